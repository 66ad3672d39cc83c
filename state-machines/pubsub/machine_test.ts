/**
 * Publisher and subscriber machine tests against a scripted service: the
 * operator's create/configure/whitelist/publish flow with exact stanzas,
 * the conflict path, refusals; the DER's subscribe/fetch/notify flow, the
 * refusals of spoofed, foreign-node, forged and replayed notifications,
 * expiry by tick; totality of both machines under garbage.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Element } from "ltx";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { runChecked } from "../../core/machine.ts";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { tariffElement } from "./envelope.ts";
import { PubsubError, TariffError } from "./errors.ts";
import { publisher } from "./publisher.ts";
import { subscriber } from "./subscriber.ts";
import {
  DER1,
  DER1_FULL,
  HOUR,
  MARKET,
  marketFixture,
  NODE,
  notification,
  NOW,
  sampleTariff,
  SERVICE,
  signed,
} from "./testing.ts";
import type {
  PublisherInput,
  PublisherOutput,
  SubscriberInput,
  SubscriberOutput,
} from "./types.ts";

const f = marketFixture();
const xml = (s: string) => parseElement(s) as unknown as Xel;
const result = (id: string, body = "", from = SERVICE) =>
  xml(`<iq type="result" id="${id}" from="${from}" to="${MARKET}/op">${body}</iq>`);
const errorIq = (id: string, cond: string, extra = "") =>
  xml(
    `<iq type="error" id="${id}" from="${SERVICE}"><error type="cancel"><${cond} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>${extra}</error></iq>`,
  );
const sends = (out: readonly (PublisherOutput | SubscriberOutput)[]) =>
  out.flatMap((o) => o.type === "send" ? [o.stanza.toString()] : []);
const events = (out: readonly (PublisherOutput | SubscriberOutput)[]) =>
  out.flatMap((o) => o.type === "event" ? [o.event.type] : []);
const codes = (out: readonly (PublisherOutput | SubscriberOutput)[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);

const pubConfig = {
  jid: MARKET,
  service: SERVICE,
  node: NODE,
  subscribers: [DER1, "der2@derlink.test"],
  sign: f.signer("market"),
  chain: f.chainOf("market"),
};
const draft = {
  validFrom: NOW + HOUR,
  slotSeconds: 3600,
  currency: "EUR",
  prices: [200_000, 210_000],
};

function drivePub(inputs: PublisherInput[]) {
  const { state, trace } = runChecked(publisher, publisher.init(pubConfig), inputs);
  return { state, out: trace.flatMap((x) => [...x.out]), last: trace.at(-1)!.out };
}

Deno.test("publisher creates a whitelist node, whitelists the DERs, publishes a signed tariff (XEP0060-8.1.3 XEP0060-8.9.2 XEP0060-7.1 PD-159)", () => {
  // spec: XEP0060-8.1.3 XEP0060-8.9.2 XEP0060-7.1 XEP0060-4.5 PD-159 PAPER-MAP6 PAPER-AS4
  const r = drivePub([
    { type: "start" },
    { type: "stanza", stanza: result("ps-1") },
    { type: "stanza", stanza: result("ps-2") },
    { type: "publish", tariff: draft, now: NOW },
    { type: "stanza", stanza: result("ps-3") },
  ]);
  assert.equal(r.state.phase, "ready");
  const [create, whitelist, publish] = sends(r.out);
  assert.match(
    create,
    /^<iq type="set" to="pubsub.derlink.test" id="ps-1"><pubsub xmlns="http:\/\/jabber.org\/protocol\/pubsub"><create node="tariffs\/grid-east"\/><configure><x xmlns="jabber:x:data" type="submit">/,
  );
  assert.match(create, /<field var="pubsub#access_model"><value>whitelist<\/value><\/field>/);
  assert.match(create, /<field var="pubsub#publish_model"><value>publishers<\/value><\/field>/);
  assert.equal(
    whitelist,
    `<iq type="set" to="${SERVICE}" id="ps-2"><pubsub xmlns="http://jabber.org/protocol/pubsub#owner"><affiliations node="${NODE}"><affiliation jid="${DER1}" affiliation="member"/><affiliation jid="der2@derlink.test" affiliation="member"/></affiliations></pubsub></iq>`,
  );
  const env = signed(sampleTariff({ prices: draft.prices, issuedAt: NOW }));
  assert.equal(
    publish,
    `<iq type="set" to="${SERVICE}" id="ps-3"><pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="${NODE}"><item id="t-1">${
      tariffElement(env)
    }</item></publish></pubsub></iq>`,
  );
  assert.deepEqual(events(r.out), ["created", "whitelisted", "ready", "published"]);
  assert.equal(r.state.nextSeq, 2);
});

Deno.test("publisher: an existing node is reconfigured; refusals carry codes; a refused item still spends its number", () => {
  // spec: XEP0060-8.2 XEP0060-7.1.3.1
  const conflict = drivePub([
    { type: "start" },
    { type: "stanza", stanza: errorIq("ps-1", "conflict") },
  ]);
  assert.equal(conflict.state.phase, "configuring");
  assert.match(sends(conflict.last)[0], /pubsub#owner"><configure node="tariffs\/grid-east"><x/);
  const refused = drivePub([{ type: "start" }, {
    type: "stanza",
    stanza: errorIq("ps-1", "forbidden"),
  }]);
  assert.equal(refused.state.phase, "failed");
  assert.deepEqual(codes(refused.last), [PubsubError["create-refused"]]);
  const pub = drivePub([
    { type: "start" },
    { type: "stanza", stanza: result("ps-1") },
    { type: "stanza", stanza: result("ps-2") },
    { type: "publish", tariff: draft, now: NOW },
    { type: "stanza", stanza: errorIq("ps-3", "forbidden") },
  ]);
  assert.deepEqual(codes(pub.last), [PubsubError["publish-refused"]]);
  assert.equal(pub.state.nextSeq, 2);
  const early = drivePub([{ type: "publish", tariff: draft, now: NOW }]);
  assert.deepEqual(codes(early.last), [PubsubError["not-ready"]]);
  const spoof = drivePub([{ type: "start" }, {
    type: "stanza",
    stanza: result("ps-1", "", "evil@derlink.test"),
  }]);
  assert.deepEqual(codes(spoof.last), [PubsubError.spoofed]);
  assert.equal(spoof.state.phase, "creating");
  const badDraft = drivePub([
    { type: "start" },
    { type: "stanza", stanza: result("ps-1") },
    { type: "stanza", stanza: result("ps-2") },
    { type: "publish", tariff: { ...draft, currency: "euro" }, now: NOW },
  ]);
  assert.deepEqual(codes(badDraft.last), [TariffError.malformed]);
  assert.equal(badDraft.state.nextSeq, 1);
});

const subConfig = { ...f.policy, jid: DER1_FULL, service: SERVICE };

function driveSub(inputs: SubscriberInput[], config = subConfig) {
  const { state, trace } = runChecked(subscriber, subscriber.init(config), inputs);
  return { state, out: trace.flatMap((x) => [...x.out]), last: trace.at(-1)!.out };
}

const at = (stanza: Xel, now = NOW): SubscriberInput => ({ type: "stanza", stanza, now });
const itemsResult = (id: string, env: Uint8Array) =>
  xml(
    `<iq type="result" id="${id}" from="${SERVICE}"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="${NODE}"><item id="${
      sampleTariffIdOf(env)
    }">${tariffElement(env)}</item></items></pubsub></iq>`,
  );
const sampleTariffIdOf = (env: Uint8Array) =>
  (parseElement(tariffElement(env).toString()) as unknown as Xel).attrs.id!;
const SUBSCRIBED = [
  { type: "subscribe" } as SubscriberInput,
  at(
    result(
      "sub-1",
      `<pubsub xmlns="http://jabber.org/protocol/pubsub"><subscription node="${NODE}" jid="${DER1_FULL}" subscription="subscribed"/></pubsub>`,
    ),
  ),
  at(itemsResult("sub-2", signed())),
];

Deno.test("publisher: grants and revokes keep the whitelist, earlier states stay as they were (XEP0060-8.9.2 PD-271)", () => {
  // spec: XEP0060-8.9.2 PD-271
  const ready = drivePub([
    { type: "start" },
    { type: "stanza", stanza: result("ps-1") },
    { type: "stanza", stanza: result("ps-2") },
  ]).state;
  assert.deepEqual([...ready.whitelist.keys()].sort(), [DER1, "der2@derlink.test"]);
  // 300 grants in flight at once, answered in reverse order; one refused, one revoked.
  let s = ready;
  for (let i = 0; i < 300; i++) {
    s = publisher.step(s, { type: "grant", jid: `d${i}@derlink.test/x` }).state;
  }
  assert.equal(s.pending.size, 300);
  const inFlight = s;
  const granted: string[] = [];
  for (let i = 299; i >= 0; i--) {
    const r = i === 7
      ? publisher.step(s, { type: "stanza", stanza: errorIq(`ps-${i + 3}`, "forbidden") })
      : publisher.step(s, { type: "stanza", stanza: result(`ps-${i + 3}`) });
    s = r.state;
    for (const o of r.out) {
      if (o.type === "event" && o.event.type === "granted") granted.push(o.event.jid);
    }
  }
  assert.equal(s.pending.size, 0);
  assert.equal(granted.length, 299);
  assert.equal(s.whitelist.size, 301);
  assert.ok(s.whitelist.has("d0@derlink.test") && !s.whitelist.has("d7@derlink.test"));
  // The same response twice matches nothing the second time.
  assert.deepEqual(publisher.step(s, { type: "stanza", stanza: result("ps-3") }).out, []);
  s = publisher.step(s, { type: "revoke", jid: DER1 }).state;
  s = publisher.step(s, { type: "stanza", stanza: result("ps-303") }).state;
  assert.equal(s.whitelist.size, 300);
  assert.ok(!s.whitelist.has(DER1));
  // Pure: the states taken on the way are unchanged.
  assert.equal(inFlight.pending.size, 300);
  assert.equal(inFlight.whitelist.size, 2);
  assert.equal(ready.pending.size, 0);
});

Deno.test("subscriber subscribes, fetches the tariff in force, then takes notifications (XEP0060-6.1 XEP0060-6.5 XEP0060-7.1.2.1 PAPER-AS4)", () => {
  // spec: XEP0060-6.1 XEP0060-6.5 XEP0060-7.1.2.1 PAPER-AS4 PAPER-MAP6 PD-158
  const r = driveSub([
    ...SUBSCRIBED,
    at(notification(tariffElement(signed(sampleTariff({ seq: 2 }))) as unknown as Xel, "t-2")),
  ]);
  assert.equal(r.state.phase, "subscribed");
  assert.deepEqual(sends(r.out), [
    `<iq type="set" to="${SERVICE}" id="sub-1"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscribe node="${NODE}" jid="${DER1_FULL}"/></pubsub></iq>`,
    `<iq type="get" to="${SERVICE}" id="sub-2"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="${NODE}" max_items="1"/></pubsub></iq>`,
  ]);
  assert.deepEqual(r.out.flatMap((o) => o.type === "tariff" ? [o.tariff.seq] : []), [1, 2]);
  assert.equal(r.state.lastSeq, 2);
  assert.equal(r.state.current?.id, "t-2");
});

Deno.test("subscriber refuses spoofed, foreign-node, forged, replayed and unsubscribed notifications (PD-158 PAPER-TA5)", () => {
  // spec: PD-158 PAPER-TA5 PAPER-AS4
  const t2 = tariffElement(signed(sampleTariff({ seq: 2 }))) as unknown as Xel;
  const cases: [string, SubscriberInput[], string][] = [
    [
      "spoofed sender",
      [...SUBSCRIBED, at(notification(t2, "t-2", "evil@derlink.test"))],
      PubsubError.spoofed,
    ],
    [
      "other node",
      [...SUBSCRIBED, at(notification(t2, "t-2", SERVICE, "other"))],
      PubsubError["unknown-node"],
    ],
    ["replayed", [
      ...SUBSCRIBED,
      at(notification(tariffElement(signed()) as unknown as Xel, "t-1")),
    ], TariffError.replay],
    ["signed by a DER", [
      ...SUBSCRIBED,
      at(
        notification(
          tariffElement(signed(sampleTariff({ seq: 3 }), "der")) as unknown as Xel,
          "t-3",
        ),
      ),
    ], TariffError["wrong-signer"]],
    ["not a tariff", [
      ...SUBSCRIBED,
      at(notification(new Element("x", { xmlns: "urn:x" }) as unknown as Xel, "t-4")),
    ], TariffError.malformed],
    ["not subscribed", [at(notification(t2, "t-2"))], PubsubError["not-subscribed"]],
  ];
  for (const [what, inputs, code] of cases) {
    const r = driveSub(inputs);
    assert.deepEqual(codes(r.last), [code], what);
    assert.equal(r.state.lastSeq, inputs.length > 1 ? 1 : 0, what);
  }
  const refused = driveSub([
    { type: "subscribe" },
    at(
      errorIq(
        "sub-1",
        "not-allowed",
        `<closed-node xmlns="http://jabber.org/protocol/pubsub#errors"/>`,
      ),
    ),
  ]);
  assert.equal(refused.state.phase, "failed");
  assert.deepEqual(refused.last, [{
    type: "error",
    code: PubsubError["subscribe-refused"],
    detail: "not-allowed+closed-node",
  }]);
});

Deno.test("subscriber: the tariff in force expires by tick (PD-158)", () => {
  const r = driveSub([...SUBSCRIBED, { type: "tick", now: NOW + 25 * HOUR - 1 }, {
    type: "tick",
    now: NOW + 25 * HOUR,
  }]);
  assert.deepEqual(events(r.last), ["tariff-expired"]);
  assert.equal(r.state.current, undefined);
});

Deno.test("publisher and subscriber are total under garbage (DL-MACHINE-1)", () => {
  const stanzas = fc.constantFrom(
    result("ps-1"),
    result("sub-1"),
    errorIq("ps-1", "conflict"),
    errorIq("sub-2", "forbidden"),
    notification(tariffElement(signed()) as unknown as Xel, "t-1"),
    notification("garbage", "t-9"),
    xml(
      `<message from="${SERVICE}"><event xmlns="http://jabber.org/protocol/pubsub#event"/></message>`,
    ),
    xml(
      `<iq type="result" id="sub-2" from="${SERVICE}"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="x"><item/></items></pubsub></iq>`,
    ),
  );
  assertMachineTotal(publisher, {
    config: fc.constant(pubConfig),
    input: fc.oneof(
      fc.constant({ type: "start" } as PublisherInput),
      stanzas.map((s) => ({ type: "stanza", stanza: s }) as PublisherInput),
      fc.record({
        type: fc.constant("publish" as const),
        tariff: fc.constant(draft),
        now: fc.nat(),
      }),
      fc.constantFrom<PublisherInput>({ type: "grant", jid: DER1 }, {
        type: "revoke",
        jid: "a@b@c",
      }, { type: "retract", id: "t-1" }),
    ),
    numRuns: 100,
  });
  assertMachineTotal(subscriber, {
    config: fc.constant(subConfig),
    input: fc.oneof(
      fc.constantFrom<SubscriberInput>({ type: "subscribe" }, { type: "unsubscribe" }),
      stanzas.map((s) => at(s)),
      fc.record({ type: fc.constant("tick" as const), now: fc.nat() }),
    ),
    numRuns: 100,
  });
});
