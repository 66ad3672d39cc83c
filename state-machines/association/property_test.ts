/**
 * Properties of the two roles: both are total (assertMachineTotal: any
 * input, garbage included, follows a declared edge and never reports
 * core/internal), and under any interleaving of requests, responses,
 * delivery order, timeouts, aborts and presence events every request the
 * client sends ends exactly once — with its response, a timeout or the
 * association's end — and none is answered after it ended.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { pduArb, requestArb, responseArb, SMALL_LIMITS } from "./arbitraries.ts";
import { associationClient, type ClientState } from "./client.ts";
import type { Carriage } from "./pdus.ts";
import { associationServer, type ServerState } from "./server.ts";
import type { AssociationOutput, ClientInput, ServerInput } from "./types.ts";
import { CLIENT_JID, OTHER_JID, presence, SERVER_JID, T0 } from "./testing.ts";
import { encodePdu } from "./xer.ts";

const carriageArb: fc.Arbitrary<Carriage> = fc.oneof(
  fc.constant({ kind: "message" as const }),
  fc.record({
    kind: fc.constant("iq" as const),
    type: fc.constantFrom("set" as const, "result" as const),
    id: fc.constantFrom("m1", "m2", "a1", "c1", "x"),
  }, { noNullPrototype: true }),
);
const now = fc.integer({ min: T0, max: T0 + 200_000 });
const fromArb = fc.constantFrom(SERVER_JID, CLIENT_JID, OTHER_JID, "der1@grid.example");
const pduInput = fc.record({
  type: fc.constant("pdu" as const),
  data: pduArb(SMALL_LIMITS).map((p) => {
    const e = encodePdu(p, SMALL_LIMITS);
    return e.ok ? e.value : utf8("<x/>");
  }),
  carriage: carriageArb,
  from: fromArb,
  now,
}, { noNullPrototype: true });
const common = [
  pduInput,
  fc.record({
    type: fc.constant("presence" as const),
    stanza: fc.tuple(fromArb, fc.constantFrom(undefined, "unavailable")).map(([f, t]) =>
      presence(f, t)
    ),
    now,
  }),
  fc.record({
    type: fc.constant("pong" as const),
    id: fc.constantFrom("p1", "p2"),
    from: fromArb,
    now,
  }),
  fc.record({
    type: fc.constantFrom("tick" as const, "abort" as const, "ping-timeout" as const),
    now,
  }),
];
const ping = { intervalMs: 5_000, timeoutMs: 2_000 };

Deno.test("client: total on any input sequence (DL-MACHINE-1)", () => {
  // spec: DL-MACHINE-1
  assertMachineTotal(associationClient, {
    config: fc.constantFrom({ peer: SERVER_JID }, { peer: SERVER_JID, settings: { ping } }),
    input: fc.oneof(
      ...common,
      fc.record({ type: fc.constantFrom("associate" as const, "conclude" as const), now }),
      fc.record({ type: fc.constant("request" as const), request: requestArb(SMALL_LIMITS), now }),
    ) as fc.Arbitrary<ClientInput>,
    numRuns: 300,
  });
});

Deno.test("server: total on any input sequence (DL-MACHINE-1)", () => {
  // spec: DL-MACHINE-1
  assertMachineTotal(associationServer, {
    config: fc.constantFrom({ peer: CLIENT_JID }, { peer: CLIENT_JID, settings: { ping } }),
    input: fc.oneof(
      ...common,
      fc.record({
        type: fc.constant("respond" as const),
        invokeId: fc.nat({ max: 4 }),
        answer: fc.oneof(responseArb(SMALL_LIMITS), fc.constant({ error: "other" as const })),
        now,
      }),
    ) as fc.Arbitrary<ServerInput>,
    numRuns: 300,
  });
});

/** One thing that may happen next in the world of a client, a server and the network between them. */
type Action =
  | { k: "request"; service: number }
  | { k: "respond"; which: number; ok: boolean }
  | { k: "deliver"; toServer: boolean; index: number }
  | { k: "drop"; toServer: boolean }
  | { k: "time"; dt: number }
  | { k: "presence"; lost: boolean; spoofed: boolean }
  | { k: "abort"; client: boolean }
  | { k: "associate" }
  | { k: "ping-timeout" };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("request" as const), service: fc.nat(2) }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant("respond" as const), which: fc.nat(), ok: fc.boolean() }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant("deliver" as const),
      toServer: fc.boolean(),
      index: fc.nat(3),
    }),
  },
  fc.record({ k: fc.constant("drop" as const), toServer: fc.boolean() }),
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("time" as const),
      dt: fc.integer({ min: 0, max: 4_000 }),
    }),
  },
  fc.record({ k: fc.constant("presence" as const), lost: fc.boolean(), spoofed: fc.boolean() }),
  fc.record({ k: fc.constant("abort" as const), client: fc.boolean() }),
  fc.record({ k: fc.constant("associate" as const) }),
  fc.record({ k: fc.constant("ping-timeout" as const) }),
);

const REQUESTS = [
  { service: "read" as const, items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" as const }] },
  { service: "select" as const, control: "DER1/CSWI1.Pos" },
  { service: "get-name-list" as const, scope: { objectClass: "logical-device" as const } },
];
const ANSWERS = {
  read: { service: "read" as const, results: [{ type: "boolean" as const, value: true }] },
  select: { service: "select" as const, selected: false },
  "get-name-list": { service: "get-name-list" as const, names: ["DER1"], moreFollows: false },
};

/** Runs one world through `actions`; counts how requests ended into `seen`. */
function runWorld(actions: Action[], seen: Map<string, number>): void {
  let c: ClientState = associationClient.init({
    peer: SERVER_JID,
    settings: { requestTimeoutMs: 3_000 },
  });
  let s: ServerState = associationServer.init({
    peer: CLIENT_JID,
    settings: { maxOutstanding: 4 },
  });
  let t = T0;
  const toServer: ServerInput[] = [];
  const toClient: ClientInput[] = [];
  const sent = new Set<number>();
  const ended = new Map<number, number>();
  const indications: { id: number; service: keyof typeof ANSWERS }[] = [];
  const stepC = (input: ClientInput) => {
    const r = runChecked(associationClient, c, [input]);
    c = r.state;
    observe(r.trace[0].out, true);
  };
  const stepS = (input: ServerInput) => {
    const r = runChecked(associationServer, s, [input]);
    s = r.state;
    observe(r.trace[0].out, false);
  };
  const observe = (out: readonly AssociationOutput[], fromClient: boolean) => {
    for (const o of out) {
      if (o.type === "send") {
        if (fromClient && o.carriage.kind === "iq" && o.carriage.id.startsWith("m")) {
          sent.add(Number(o.carriage.id.slice(1)));
        }
        const input = { type: "pdu" as const, data: o.data, carriage: o.carriage, now: t };
        if (fromClient) toServer.push({ ...input, from: CLIENT_JID });
        else toClient.push({ ...input, from: SERVER_JID });
      }
      if (o.type !== "event") continue;
      const e = o.event;
      if (!fromClient && e.type === "indication") {
        indications.push({
          id: e.invokeId,
          service: e.request.service as keyof typeof ANSWERS,
        });
      }
      if (fromClient && (e.type === "confirmation" || e.type === "request-failed")) {
        assert.ok(sent.has(e.invokeId), `invoke ${e.invokeId} ended but was never sent`);
        ended.set(e.invokeId, (ended.get(e.invokeId) ?? 0) + 1);
        const how = e.type === "confirmation" ? e.type : e.code;
        seen.set(how, (seen.get(how) ?? 0) + 1);
        assert.equal(ended.get(e.invokeId), 1, `invoke ${e.invokeId} ended twice`);
      }
    }
  };
  stepC({ type: "associate", now: t });
  for (const a of actions) {
    switch (a.k) {
      case "request":
        stepC({ type: "request", request: REQUESTS[a.service], now: t });
        break;
      case "respond": {
        if (indications.length === 0) break;
        const [ind] = indications.splice(a.which % indications.length, 1);
        const answer = a.ok ? ANSWERS[ind.service] : { error: "temporarily-unavailable" as const };
        stepS({ type: "respond", invokeId: ind.id, answer, now: t });
        break;
      }
      case "deliver": {
        const q = a.toServer ? toServer : toClient;
        if (q.length === 0) break;
        // Mostly in order; sometimes out of order (another path through the network).
        const [input] = q.splice(a.index % q.length, 1);
        if (a.toServer) stepS({ ...input, now: t } as ServerInput);
        else stepC({ ...input, now: t } as ClientInput);
        break;
      }
      case "drop":
        (a.toServer ? toServer : toClient).shift();
        break;
      case "time":
        t += a.dt;
        stepC({ type: "tick", now: t });
        stepS({ type: "tick", now: t });
        break;
      case "presence":
        stepC({
          type: "presence",
          stanza: presence(
            a.spoofed ? OTHER_JID : SERVER_JID,
            a.lost ? "unavailable" : undefined,
          ),
          now: t,
        });
        break;
      case "abort":
        if (a.client) stepC({ type: "abort", now: t });
        else stepS({ type: "abort", now: t });
        break;
      case "associate":
        stepC({ type: "associate", now: t });
        break;
      case "ping-timeout":
        stepC({ type: "ping-timeout", now: t });
        break;
    }
    if (c.phase === "aborted") assert.deepEqual(c.pending, {});
  }
  // Everything still pending ends by its timeout.
  t += 10_000;
  stepC({ type: "tick", now: t });
  for (const id of sent) {
    assert.equal(ended.get(id), 1, `invoke ${id} ended ${ended.get(id) ?? 0} times`);
  }
  assert.deepEqual(c.pending, {});
  // Late deliveries change nothing that has ended.
  for (const input of toClient) stepC({ ...input, now: t } as ClientInput);
}

Deno.test("every request ends exactly once, and nothing is answered after it ended (PD-144 PD-145 PD-149)", () => {
  // spec: PD-144 PD-145 PD-146 PD-149 PAPER-MAP3
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(
      fc.array(actionArb, { minLength: 10, maxLength: 80, size: "max" }),
      (actions) => runWorld(actions, seen),
    ),
    { numRuns: 400 },
  );
  // The runs reached every way a request can end.
  for (
    const how of [
      "confirmation",
      "association/timeout",
      "association/peer-unavailable",
      "association/local-abort",
      "association/peer-aborted",
      "association/service-error",
      "association/ping-timeout",
    ]
  ) assert.ok((seen.get(how) ?? 0) > 0, `no request ended by ${how}: ${[...seen]}`);
});
