/**
 * Disco requester and responder tests: exact query bytes, correlation by id
 * and sender, timeouts as timers, refusals with codes, the entities' round
 * trip through the responder and back into capabilities, and totality of
 * the requester under garbage.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { runChecked } from "../../core/machine.ts";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import {
  capabilitiesOf,
  keyServerEntity,
  logicalDevicesOf,
  marketEntity,
  servicesOf,
} from "./entities.ts";
import { DiscoError } from "./errors.ts";
import { DERLINK_FEATURES, DISCO_NS } from "./namespaces.ts";
import { discoRequester } from "./requester.ts";
import { answerDisco } from "./responder.ts";
import type { DiscoInfo } from "./stanzas.ts";
import {
  DER,
  DER_ENTITY,
  DOMAIN,
  DOMAIN_ENTITY,
  feature,
  identity,
  request,
  response,
} from "./testing.ts";
import type { RequesterInput, RequesterOutput } from "./types.ts";

const xml = (s: string): Xel => parseElement(s) as unknown as Xel;
const stanza = (s: string | Xel): RequesterInput => ({
  type: "stanza",
  stanza: typeof s === "string" ? xml(s) : s,
});
const codes = (out: readonly RequesterOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);

/** The responder's answer to a query the requester sent, as the network would carry it. */
function answer(entity = DER_ENTITY, sent: Xel, from: string): Xel {
  const req = xml(sent.toString().replace("<iq ", `<iq from="vpp@derlink.test/cc" `));
  const a = answerDisco(entity, req)!;
  a.attrs.from = from;
  return xml(a.toString());
}

Deno.test("requester sends the exact query and arms a timer (XEP0030-3.1 XEP0030-3.2)", () => {
  const s0 = discoRequester.init({ idPrefix: "q", timeoutMs: 3000 });
  const r = discoRequester.step(s0, {
    type: "query",
    kind: "info",
    to: "DER1@derlink.test/ied",
    node: "urn:derlink:ld:DER1PV",
    now: 100,
  });
  assert.equal(r.state.phase, "waiting");
  assert.deepEqual(r.out.map((o) => o.type === "send" ? o.stanza.toString() : o), [
    `<iq type="get" to="der1@derlink.test/ied" id="q-1"><query xmlns="${DISCO_NS.info}" node="urn:derlink:ld:DER1PV"/></iq>`,
    { type: "set-timer", name: "q-1", at: 3100 },
  ]);
});

Deno.test("a DER's answer round-trips into its capabilities and logical devices (PD-155 PAPER-MAP5)", () => {
  // spec: XEP0030-3.1 XEP0030-4.1 PD-155 PD-156
  let s = discoRequester.init({});
  const q1 = discoRequester.step(s, { type: "query", kind: "info", to: DER, now: 0 });
  const q2 = discoRequester.step(q1.state, { type: "query", kind: "items", to: DER, now: 0 });
  s = q2.state;
  const sent = [q1.out[0], q2.out[0]].map((o) => (o as { stanza: Xel }).stanza);
  // Answers arrive out of order: correlation is by id.
  const a2 = discoRequester.step(s, stanza(answer(DER_ENTITY, sent[1], DER)));
  const a1 = discoRequester.step(a2.state, stanza(answer(DER_ENTITY, sent[0], DER)));
  assert.equal(a1.state.phase, "idle");
  const info = a1.out.find((o) => o.type === "info");
  const items = a2.out.find((o) => o.type === "items");
  assert.ok(info?.type === "info" && items?.type === "items");
  assert.deepEqual(capabilitiesOf(info.info), {
    association: true,
    aProfile: true,
    suites: ["p256", "x25519-ed25519"],
    groupKeying: true,
    tariffs: true,
  });
  assert.deepEqual(logicalDevicesOf(items.items), ["DER1PV", "DER1BAT"]);
});

Deno.test("domain services are found from items and their info (PAPER-MAP5)", () => {
  const info = (e: typeof DOMAIN_ENTITY): DiscoInfo => ({
    identities: e.identities,
    features: [DISCO_NS.info, ...e.features],
  });
  const infos = new Map<string, DiscoInfo>([
    [`rooms.${DOMAIN}`, { identities: [{ category: "conference", type: "text" }], features: [] }],
    [`pubsub.${DOMAIN}`, { identities: [{ category: "pubsub", type: "service" }], features: [] }],
    [`kdc@${DOMAIN}`, info(keyServerEntity())],
  ]);
  assert.deepEqual(servicesOf(DOMAIN_ENTITY.items, infos), {
    muc: `rooms.${DOMAIN}`,
    pubsub: `pubsub.${DOMAIN}`,
    keyServer: `kdc@${DOMAIN}`,
  });
  assert.deepEqual(servicesOf(DOMAIN_ENTITY.items, new Map()), {});
  assert.deepEqual(marketEntity(`pubsub.${DOMAIN}`, "tariffs").items, [
    { jid: `pubsub.${DOMAIN}`, node: "tariffs", name: "tariffs" },
  ]);
  assert.ok(keyServerEntity().features.includes(DERLINK_FEATURES.keyServer));
});

Deno.test("spoofed, unknown-id and late answers are refused; the request stays open for the real one (PD-156)", () => {
  const s0 = discoRequester.init({ timeoutMs: 1000 });
  const q = discoRequester.step(s0, { type: "query", kind: "info", to: DER, now: 0 });
  const body = [identity(), feature(DISCO_NS.info)];
  const spoof = discoRequester.step(
    q.state,
    stanza(response("disco-1", "mallory@derlink.test/x", DISCO_NS.info, body)),
  );
  assert.deepEqual(codes(spoof.out), [DiscoError.spoofed]);
  assert.equal(spoof.state.phase, "waiting");
  const good = discoRequester.step(
    spoof.state,
    stanza(response("disco-1", DER, DISCO_NS.info, body)),
  );
  assert.equal(good.state.phase, "idle");
  const again = discoRequester.step(
    good.state,
    stanza(response("disco-1", DER, DISCO_NS.info, body)),
  );
  assert.deepEqual(codes(again.out), [DiscoError["unknown-id"]]);
});

Deno.test("a timeout is a timer output, then a tick; the failure names the request (PD-156)", () => {
  const { state, trace } = runChecked(discoRequester, discoRequester.init({ timeoutMs: 500 }), [
    { type: "query", kind: "items", to: DOMAIN, now: 10 },
    { type: "tick", now: 509 },
    { type: "tick", now: 510 },
  ]);
  assert.deepEqual(trace[1].out, []);
  assert.deepEqual(trace[2].out.map((o) => o.type), ["error", "failed"]);
  assert.deepEqual(trace[2].out[1], {
    type: "failed",
    id: "disco-1",
    to: DOMAIN,
    kind: "items",
    code: DiscoError.timeout,
  });
  assert.equal(state.phase, "idle");
});

Deno.test("responder: unknown node item-not-found, set bad-request, results never answered (XEP0030-3.2)", () => {
  assert.match(
    answerDisco(DER_ENTITY, request("items", "a", "nope"))!.toString(),
    /item-not-found/,
  );
  assert.match(
    answerDisco(DER_ENTITY, request("info", "b", undefined, "set"))!.toString(),
    /bad-request/,
  );
  assert.equal(answerDisco(DER_ENTITY, request("info", "c", undefined, "result")), undefined);
  assert.equal(answerDisco(DER_ENTITY, xml("<message/>")), undefined);
  assert.equal(answerDisco(DER_ENTITY, undefined as unknown as Xel), undefined);
});

Deno.test("requester is total under garbage and hostile answers (DL-MACHINE-1)", () => {
  const jid = fc.constantFrom(DER, DOMAIN, "x@y", "a@b@c", "");
  const answerXml = fc.tuple(
    fc.constantFrom("disco-1", "disco-2", "other"),
    jid,
    fc.constantFrom(DISCO_NS.info, DISCO_NS.items, "urn:x", null),
    fc.array(
      fc.constantFrom(
        identity(),
        identity("x", "y", "n".repeat(2000)),
        `<identity/>`,
        feature(DISCO_NS.info),
        `<feature/>`,
        `<item jid="${DOMAIN}"/>`,
        `<item/>`,
        `<item jid="a@b@c"/>`,
      ),
      { maxLength: 6 },
    ),
  ).map(([id, from, ns, kids]) => response(id, from, ns, kids));
  assertMachineTotal(discoRequester, {
    config: fc.record({ timeoutMs: fc.nat(5000), maxPending: fc.integer({ min: 1, max: 4 }) }),
    input: fc.oneof(
      fc.record({
        type: fc.constant("query" as const),
        kind: fc.constantFrom("info" as const, "items" as const),
        to: jid,
        now: fc.nat(10_000),
      }),
      answerXml.map((s) => stanza(s)),
      fc.record({ type: fc.constant("tick" as const), now: fc.nat(20_000) }),
    ),
    numRuns: 300,
  });
});
