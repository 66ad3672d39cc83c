/**
 * Generator of `vectors/pubsub/market.json` (run by `deno task vectors`):
 * transcripts of the market publisher (operator) and subscriber (DER)
 * machines against a scripted pubsub service, each ending in one checked
 * input; negative cases end in a refusal (service errors, spoofed or
 * foreign-node notifications, forged, replayed, older and wrong-signer
 * tariffs).
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { tariffElement } from "./envelope.ts";
import { PubsubError, TariffError } from "./errors.ts";
import { PUBSUB } from "./stanzas.ts";
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
import {
  policyToJson,
  type PublisherJson,
  type PublisherVectorInput as PIn,
  runPublisher,
  runSubscriber,
  type SubscriberJson,
  type SubscriberVectorInput as SIn,
} from "./vectors.ts";

const f = marketFixture("p256");
const PUB: PublisherJson = {
  jid: MARKET,
  service: SERVICE,
  node: NODE,
  subscribers: [DER1, "der2@derlink.test"],
  suite: "p256",
  privateKey: toHex(f.grid.peers[0].key.privateKey),
  chain: f.chainOf("market").map(toHex),
};
const SUB: SubscriberJson = { ...policyToJson(f.policy), jid: DER1_FULL, service: SERVICE };

const result = (id: string, body = "", from = SERVICE) =>
  `<iq type="result" id="${id}" from="${from}">${body}</iq>`;
const error = (id: string, cond: string, extra = "") =>
  `<iq type="error" id="${id}" from="${SERVICE}"><error type="cancel"><${cond} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>${extra}</error></iq>`;
const draft = {
  validFrom: NOW + HOUR,
  slotSeconds: 3600,
  currency: "EUR",
  prices: [200_000, 210_000],
};
const p = (xml: string): PIn => ({ type: "stanza", xml });
const s = (xml: string, now = NOW): SIn => ({ type: "stanza", xml, now });
const note = (env: Uint8Array, id: string, from = SERVICE, node = NODE) =>
  s(notification(tariffElement(env) as never, id, from, node).toString());
const items = (id: string, inner: string) =>
  result(id, `<pubsub xmlns="${PUBSUB.pubsub}"><items node="${NODE}">${inner}</items></pubsub>`);

const PUB_READY: PIn[] = [{ type: "start" }, p(result("ps-1")), p(result("ps-2"))];
const SUB_READY: SIn[] = [
  { type: "subscribe" },
  s(result(
    "sub-1",
    `<pubsub xmlns="${PUBSUB.pubsub}"><subscription node="${NODE}" jid="${DER1_FULL}" subscription="subscribed"/></pubsub>`,
  )),
  s(items("sub-2", `<item id="t-1">${tariffElement(signed())}</item>`)),
];

interface Case<I> {
  comment: string;
  flags: string[];
  spec: string[];
  inputs: I[];
  error?: string;
}

function publisherCases(): Case<PIn>[] {
  const c: Case<PIn>[] = [];
  const ok = (comment: string, spec: string[], inputs: PIn[]) =>
    c.push({ comment, flags: ["valid"], spec, inputs });
  const bad = (comment: string, flags: string[], spec: string[], inputs: PIn[], error: string) =>
    c.push({ comment, flags, spec, inputs, error });
  for (let n = 1; n <= PUB_READY.length; n++) {
    ok(
      `operator flow, step ${n}`,
      ["XEP0060-8.1.3", "XEP0060-8.9.2", "XEP0060-4.5", "PD-159"],
      PUB_READY.slice(0, n),
    );
  }
  ok("publish a signed tariff", ["XEP0060-7.1", "PAPER-AS4", "PAPER-MAP6"], [...PUB_READY, {
    type: "publish",
    tariff: draft,
    now: NOW,
  }]);
  ok("the service accepts the item", ["XEP0060-7.1"], [...PUB_READY, {
    type: "publish",
    tariff: draft,
    now: NOW,
  }, p(result("ps-3"))]);
  ok("the second tariff gets the next number", ["PD-158"], [...PUB_READY, {
    type: "publish",
    tariff: draft,
    now: NOW,
  }, { type: "publish", tariff: draft, now: NOW + 1 }]);
  ok("an existing node is reconfigured", ["XEP0060-8.2"], [
    { type: "start" },
    p(error("ps-1", "conflict")),
  ]);
  ok("whitelist one more DER", ["XEP0060-8.9.2"], [...PUB_READY, {
    type: "grant",
    jid: "der3@derlink.test/x",
  }]);
  ok("remove a DER from the whitelist", ["XEP0060-8.9.2"], [...PUB_READY, {
    type: "revoke",
    jid: DER1,
  }, p(result("ps-3"))]);
  ok("retract an item", ["XEP0060-7.2"], [
    ...PUB_READY,
    { type: "retract", id: "t-1" },
    p(result("ps-3")),
  ]);
  bad("creation refused", ["refused"], ["XEP0060-8.1.3"], [
    { type: "start" },
    p(error("ps-1", "forbidden")),
  ], PubsubError["create-refused"]);
  bad("configuration refused", ["refused"], ["XEP0060-8.2"], [
    { type: "start" },
    p(error("ps-1", "conflict")),
    p(error("ps-2", "not-acceptable")),
  ], PubsubError["configure-refused"]);
  bad("whitelist refused", ["refused"], ["XEP0060-8.9.2"], [
    { type: "start" },
    p(result("ps-1")),
    p(error("ps-2", "forbidden")),
  ], PubsubError["affiliation-refused"]);
  bad("item refused", ["refused"], ["XEP0060-7.1.3.1"], [...PUB_READY, {
    type: "publish",
    tariff: draft,
    now: NOW,
  }, p(error("ps-3", "forbidden"))], PubsubError["publish-refused"]);
  bad("retract refused", ["refused"], ["XEP0060-7.2"], [...PUB_READY, {
    type: "retract",
    id: "t-9",
  }, p(error("ps-3", "item-not-found"))], PubsubError["retract-refused"]);
  bad("publish before the node is ready", ["phase"], ["XEP0060-7.1"], [{
    type: "publish",
    tariff: draft,
    now: NOW,
  }], PubsubError["not-ready"]);
  bad("a response from another address", ["spoofed"], ["PD-159"], [
    { type: "start" },
    p(result("ps-1", "", "evil@derlink.test")),
  ], PubsubError.spoofed);
  bad("a draft with a bad currency", ["malformed"], ["PD-157"], [...PUB_READY, {
    type: "publish",
    tariff: { ...draft, currency: "eu" },
    now: NOW,
  }], TariffError.malformed);
  bad("a draft without prices", ["malformed"], ["PD-157"], [...PUB_READY, {
    type: "publish",
    tariff: { ...draft, prices: [] },
    now: NOW,
  }], TariffError.malformed);
  bad(
    "start twice",
    ["phase"],
    ["XEP0060-8.1.3"],
    [...PUB_READY, { type: "start" }],
    PubsubError["unexpected-input"],
  );
  return c;
}

function subscriberCases(): Case<SIn>[] {
  const c: Case<SIn>[] = [];
  const ok = (comment: string, spec: string[], inputs: SIn[]) =>
    c.push({ comment, flags: ["valid"], spec, inputs });
  const bad = (comment: string, flags: string[], spec: string[], inputs: SIn[], error: string) =>
    c.push({ comment, flags, spec, inputs, error });
  for (let n = 1; n <= SUB_READY.length; n++) {
    ok(
      `DER flow, step ${n}`,
      ["XEP0060-6.1", "XEP0060-6.5", "PAPER-MAP6", "PD-158"],
      SUB_READY.slice(0, n),
    );
  }
  const t2 = signed(sampleTariff({ seq: 2 }));
  ok("a new tariff notified", ["XEP0060-7.1.2.1", "PAPER-AS4"], [...SUB_READY, note(t2, "t-2")]);
  ok("a retraction notified", ["XEP0060-7.2.2.1"], [
    ...SUB_READY,
    s(`<message from="${SERVICE}" type="headline"><event xmlns="${PUBSUB.event}"><items node="${NODE}"><retract id="t-1"/></items></event></message>`),
  ]);
  ok("an empty node: subscribed without a tariff", ["XEP0060-6.5"], [
    SUB_READY[0],
    SUB_READY[1],
    s(items("sub-2", "")),
  ]);
  ok("the tariff in force expires", ["PD-158"], [...SUB_READY, {
    type: "tick",
    now: NOW + 25 * HOUR,
  }]);
  ok("unsubscribe", ["XEP0060-6.2"], [...SUB_READY, { type: "unsubscribe" }]);
  bad(
    "subscription refused: not on the whitelist",
    ["refused"],
    ["XEP0060-6.1.3.4"],
    [
      { type: "subscribe" },
      s(error("sub-1", "not-allowed", `<closed-node xmlns="${PUBSUB.errors}"/>`)),
    ],
    PubsubError["subscribe-refused"],
  );
  bad("subscription pending", ["refused"], ["XEP0060-6.1"], [
    { type: "subscribe" },
    s(result(
      "sub-1",
      `<pubsub xmlns="${PUBSUB.pubsub}"><subscription node="${NODE}" jid="${DER1_FULL}" subscription="pending"/></pubsub>`,
    )),
  ], PubsubError["subscribe-refused"]);
  bad("the node's items refused", ["refused"], ["XEP0060-6.5"], [
    SUB_READY[0],
    SUB_READY[1],
    s(error("sub-2", "forbidden")),
  ], PubsubError["items-refused"]);
  bad("a notification from another address", ["spoofed"], ["PD-158", "PAPER-TA5"], [
    ...SUB_READY,
    note(t2, "t-2", "market@derlink.test/op"),
  ], PubsubError.spoofed);
  bad("a notification for another node", ["node"], ["PD-158"], [
    ...SUB_READY,
    note(t2, "t-2", SERVICE, "tariffs/other"),
  ], PubsubError["unknown-node"]);
  bad(
    "a notification before subscribing",
    ["phase"],
    ["PD-158"],
    [note(t2, "t-2")],
    PubsubError["not-subscribed"],
  );
  bad("the tariff in force notified again", ["replay"], ["PD-158"], [
    ...SUB_READY,
    note(signed(), "t-1"),
  ], TariffError.replay);
  bad("an older tariff", ["rollback"], ["PD-158"], [
    ...SUB_READY,
    note(t2, "t-2"),
    note(signed(), "t-1"),
  ], TariffError.rollback);
  bad("a tariff signed by a DER", ["wrong-signer"], ["PD-158", "PAPER-AS4"], [
    ...SUB_READY,
    note(signed(sampleTariff({ seq: 2 }), "der"), "t-2"),
  ], TariffError["wrong-signer"]);
  bad("a tariff under a foreign CA", ["untrusted"], ["PD-158"], [
    ...SUB_READY,
    note(signed(sampleTariff({ seq: 2 }), "foreign"), "t-2"),
  ], TariffError["untrusted-signer"]);
  bad("a tariff delivered under another item id", ["id"], ["PD-158"], [
    ...SUB_READY,
    note(t2, "t-3"),
  ], TariffError["id-mismatch"]);
  bad("an item that is not a tariff", ["malformed"], ["PD-157"], [
    ...SUB_READY,
    s(notification("plain text", "t-2").toString()),
  ], TariffError.malformed);
  bad("a tariff whose window has ended", ["expired"], ["PD-158"], [
    ...SUB_READY,
    note(signed(sampleTariff({ seq: 2, validFrom: NOW - 2 * HOUR, prices: [1, 2] })), "t-2"),
  ], TariffError.expired);
  bad(
    "subscribe twice",
    ["phase"],
    ["XEP0060-6.1"],
    [...SUB_READY, { type: "subscribe" }],
    PubsubError["unexpected-input"],
  );
  return c;
}

function tests<I>(
  cases: Case<I>[],
  run: (inputs: I[]) => { phase: string; last: Record<string, unknown>[]; edges: string[] },
  first: number,
) {
  return cases.map((k, i) => {
    const r = run(k.inputs);
    if (k.error && !r.last.some((o) => o.error === k.error)) {
      throw new Error(
        `market vector "${k.comment}" does not end in ${k.error}: ${JSON.stringify(r.last)}`,
      );
    }
    return {
      tcId: first + i,
      comment: k.comment,
      flags: k.flags,
      spec: k.spec,
      result: k.error ? "invalid" : "valid",
      ...(k.error ? { error: k.error } : {}),
      inputs: k.inputs,
      phase: r.phase,
      outputs: r.last,
    };
  });
}

export function marketVectorFile(): unknown {
  const pub = tests(publisherCases(), (i) => runPublisher(PUB, i), 1);
  const sub = tests(subscriberCases(), (i) => runSubscriber(SUB, i), pub.length + 1);
  return {
    suite: "pubsub.market",
    schema: "pubsub.schema.json",
    version: 1,
    source:
      "generated by deno task vectors (state-machines/pubsub/vectorgen_market.ts, fixed seeds); XEP-0060 §4.5, §6.1, §6.5, §7.1-7.2, §8.1.3, §8.2, §8.9.2 client side as derlink profiles it (PD-157..PD-159)",
    generated: true,
    notes: {
      valid: "a transcript the machine must follow exactly",
      refused: "the pubsub service refuses a request",
      phase: "an input in the wrong phase",
      spoofed: "a response or notification from another address than the service",
      node: "a notification for another node",
      replay: "a tariff accepted before",
      rollback: "an older tariff",
      "wrong-signer": "signed by someone other than the operator",
      untrusted: "the signer's chain does not validate",
      id: "delivered under another item id",
      expired: "the window ended before it arrived",
      malformed: "a draft or payload that does not make a tariff",
    },
    numberOfTests: pub.length + sub.length,
    testGroups: [
      { type: "pubsub-publisher", config: PUB, tests: pub },
      { type: "pubsub-subscriber", config: SUB, tests: sub },
    ],
  };
}
