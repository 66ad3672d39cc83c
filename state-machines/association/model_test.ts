/**
 * Model-based test of the client role (fast-check commands): a small model
 * says what phase the client is in, which invoke ids are outstanding and
 * until when; random command sequences — associate, initiate answers,
 * requests, responses (right, duplicate, unknown, in the wrong iq), time,
 * presence (the peer's and spoofed), abort, conclude — must produce exactly
 * the outputs the model predicts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import { associationClient, type ClientState } from "./client.ts";
import { AssociationError as E } from "./errors.ts";
import type { Carriage, MmsPdu } from "./pdus.ts";
import type { ServiceRequest, ServiceResponse } from "./services.ts";
import { DEFAULT_PROPOSAL } from "./settings.ts";
import { EXPIRED_MEMORY } from "./client_state.ts";
import { OTHER_JID, presence, SERVER_JID, T0 } from "./testing.ts";
import type { AssociationOutput, ClientInput } from "./types.ts";
import { pduText } from "./xer.ts";

interface Model {
  phase: ClientState["phase"];
  now: number;
  last: number;
  pending: Map<number, { deadline: number; service: string }>;
  /** Every ended invoke id. */
  ended: Set<number>;
  /** Ids that timed out or were failed by an abort, newest last, as many as the client remembers. */
  expired: number[];
  /** Deadline of the initiate or conclude in flight. */
  deadline: number;
}
interface Real {
  c: ClientState;
}

const TIMEOUT = 1_000;
const MAX_OUT = 3;
const REQS: ServiceRequest[] = [
  { service: "read", items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" }] },
  { service: "get-name-list", scope: { objectClass: "logical-device" } },
];
const ANSWER: Record<string, ServiceResponse> = {
  read: { service: "read", results: [{ type: "boolean", value: true }] },
  "get-name-list": { service: "get-name-list", names: ["DER1"], moreFollows: false },
};

function step(r: Real, input: ClientInput): AssociationOutput[] {
  const { state, trace } = runChecked(associationClient, r.c, [input]);
  r.c = state;
  return [...trace[0].out];
}
const errors = (out: AssociationOutput[]) => out.flatMap((o) => o.type === "error" ? [o.code] : []);
const events = (out: AssociationOutput[]) =>
  out.flatMap((o) => o.type === "event" ? [o.event] : []);
const pdu = (m: Model, p: MmsPdu, carriage: Carriage): ClientInput => ({
  type: "pdu",
  data: utf8(pduText(p)),
  carriage,
  from: SERVER_JID,
  now: m.now,
});
const LIVE = ["associating", "associated", "concluding"];

function expire(m: Model, ids: number[]) {
  for (const id of ids) m.ended.add(id);
  m.expired = [...m.expired, ...ids].slice(-EXPIRED_MEMORY);
}

function loseAll(m: Model, out: AssociationOutput[], cause: string) {
  const failed = events(out).filter((e) => e.type === "request-failed");
  assert.deepEqual(
    failed.map((e) => e.type === "request-failed" && [e.invokeId, e.code]),
    [...m.pending.keys()].sort((a, b) => a - b).map((id) => [id, cause]),
  );
  expire(m, [...m.pending.keys()].sort((a, b) => a - b));
  m.pending.clear();
  m.phase = "aborted";
}

const check = (m: Model, r: Real) => {
  assert.equal(r.c.phase, m.phase);
  assert.deepEqual(
    Object.keys(r.c.pending).map(Number).sort((a, b) => a - b),
    [...m.pending.keys()].sort((a, b) => a - b),
  );
};

type Cmd = fc.Command<Model, Real>;
const cmd = (
  name: string,
  run: (m: Model, r: Real) => void,
  ok: (m: Model) => boolean = () => true,
): Cmd => ({
  check: ok,
  run: (m, r) => {
    run(m, r);
    check(m, r);
  },
  toString: () => name,
});

const associate = cmd("associate", (m, r) => {
  const out = step(r, { type: "associate", now: m.now });
  if (["idle", "concluded", "aborted"].includes(m.phase)) {
    assert.equal(out[0].type, "send");
    m.phase = "associating";
    m.pending.clear();
    m.deadline = m.now + 30_000;
  } else assert.deepEqual(errors(out), [E["unexpected-input"]]);
});

const initiateAnswer = (over: boolean) =>
  cmd(`initiate-response${over ? " over" : ""}`, (m, r) => {
    const params = { ...DEFAULT_PROPOSAL, maxOutstanding: over ? 5000 : MAX_OUT };
    const out = step(
      r,
      pdu(m, { kind: "initiate-response", params }, {
        kind: "iq",
        type: "result",
        id: `a${r.c.associations}`,
      }),
    );
    if (m.phase !== "associating") return void assert.equal(errors(out).length, 1);
    m.phase = over ? "idle" : "associated";
    if (over) assert.deepEqual(errors(out), [E["over-limit"]]);
  });

const request = (i: number) =>
  cmd(`request ${REQS[i].service}`, (m, r) => {
    const out = step(r, { type: "request", request: REQS[i], now: m.now, timeoutMs: TIMEOUT });
    if (m.phase !== "associated") return void assert.equal(errors(out).length, 1);
    if (m.pending.size >= MAX_OUT) {
      return void assert.deepEqual(errors(out), [E["too-many-outstanding"]]);
    }
    m.last += 1;
    assert.deepEqual(out[0].type === "send" && out[0].carriage, {
      kind: "iq",
      type: "set",
      id: `m${m.last}`,
    });
    m.pending.set(m.last, { deadline: m.now + TIMEOUT, service: REQS[i].service });
  });

const respond = (which: number, how: "right" | "wrong-iq" | "again" | "unknown") =>
  cmd(`respond ${how} ${which}`, (m, r) => {
    const ids = [...m.pending.keys()];
    const ended = [...m.ended.keys()];
    let id: number, iq: string;
    if (how === "unknown") [id, iq] = [m.last + 1000, `m${m.last + 1000}`];
    else if (how === "again") {
      if (ended.length === 0) return;
      id = ended[which % ended.length];
      iq = `m${id}`;
    } else {
      if (ids.length === 0) return;
      id = ids[which % ids.length];
      iq = how === "right" ? `m${id}` : `m${id}x`;
    }
    const service = m.pending.get(id)?.service ?? "read";
    const out = step(
      r,
      pdu(m, { kind: "confirmed-response", invokeId: id, response: ANSWER[service] }, {
        kind: "iq",
        type: "result",
        id: iq,
      }),
    );
    if (!LIVE.includes(m.phase)) return void assert.equal(errors(out).length, 1);
    if (how === "unknown") return void assert.deepEqual(errors(out), [E["unknown-invoke-id"]]);
    if (how === "again") {
      const code = m.expired.includes(id) ? E["late-response"] : E["duplicate-response"];
      return void assert.deepEqual(errors(out), [code]);
    }
    if (how === "wrong-iq") return void assert.deepEqual(errors(out), [E["unsolicited-response"]]);
    assert.deepEqual(events(out).map((e) => e.type === "confirmation" && e.invokeId), [id]);
    m.pending.delete(id);
    m.ended.add(id);
  });

const time = (dt: number) =>
  cmd(`time +${dt}`, (m, r) => {
    m.now += dt;
    const out = step(r, { type: "tick", now: m.now });
    if (m.phase === "associating" && m.now >= m.deadline) {
      m.phase = "idle";
      return void assert.deepEqual(errors(out), [E.timeout]);
    }
    if (m.phase === "concluding" && m.now >= m.deadline) {
      m.phase = "aborted";
      return void assert.deepEqual(events(out).map((e) => e.type), ["aborted"]);
    }
    if (m.phase === "associating" || m.phase === "concluding") {
      return void assert.deepEqual(out, []);
    }
    const due = [...m.pending].filter(([, p]) => p.deadline <= m.now).map(([id]) => id).sort((
      a,
      b,
    ) => a - b);
    assert.deepEqual(
      events(out).map((e) => e.type === "request-failed" && [e.invokeId, e.code]),
      due.map((id) => [id, E.timeout]),
    );
    for (const id of due) m.pending.delete(id);
    expire(m, due);
  });

const presenceCmd = (lost: boolean, spoofed: boolean) =>
  cmd(`presence ${lost ? "unavailable" : "available"}${spoofed ? " spoofed" : ""}`, (m, r) => {
    const out = step(r, {
      type: "presence",
      stanza: presence(spoofed ? OTHER_JID : SERVER_JID, lost ? "unavailable" : undefined),
      now: m.now,
    });
    if (spoofed) return void assert.deepEqual(events(out).map((e) => e.type), ["ignored"]);
    if (!lost || !LIVE.includes(m.phase)) return void assert.deepEqual(out, []);
    loseAll(m, out, E["peer-unavailable"]);
  });

const abort = cmd("abort", (m, r) => {
  const out = step(r, { type: "abort", now: m.now });
  if (!LIVE.includes(m.phase)) return void assert.equal(errors(out).length, 1);
  assert.equal(out[0].type, "send");
  loseAll(m, out, E["local-abort"]);
});

const conclude = cmd("conclude", (m, r) => {
  const out = step(r, { type: "conclude", now: m.now });
  if (m.phase !== "associated") return void assert.equal(errors(out).length, 1);
  if (m.pending.size > 0) return void assert.deepEqual(errors(out), [E["requests-outstanding"]]);
  m.phase = "concluding";
  m.deadline = m.now + 30_000;
});

const concludeAnswer = cmd("conclude-response", (m, r) => {
  const out = step(
    r,
    pdu(m, { kind: "conclude-response" }, {
      kind: "iq",
      type: "result",
      id: `c${r.c.associations}`,
    }),
  );
  if (m.phase !== "concluding") return void assert.equal(errors(out).length, 1);
  m.phase = "concluded";
});

Deno.test("client model: fast-check commands against a model of phases and outstanding requests (PD-144 PD-145 PD-146 PD-149)", () => {
  // spec: PD-143 PD-144 PD-145 PD-146 PD-149 IEC61850-CONCLUDE
  const commands = fc.commands([
    fc.constant(associate),
    fc.boolean().map(initiateAnswer),
    fc.nat(REQS.length - 1).map(request),
    fc.tuple(
      fc.nat(),
      fc.constantFrom(
        "right" as const,
        "right" as const,
        "wrong-iq" as const,
        "again" as const,
        "unknown" as const,
      ),
    ).map(([w, h]) => respond(w, h)),
    fc.integer({ min: 0, max: 1_500 }).map(time),
    fc.tuple(fc.boolean(), fc.boolean()).map(([l, s]) => presenceCmd(l, s)),
    fc.constant(abort),
    fc.constant(conclude),
    fc.constant(concludeAnswer),
  ], { size: "+1" });
  fc.assert(
    fc.property(commands, (cmds) => {
      const setup = () => ({
        model: {
          phase: "idle",
          now: T0,
          last: 0,
          pending: new Map(),
          ended: new Set(),
          expired: [],
          deadline: 0,
        } as Model,
        real: { c: associationClient.init({ peer: SERVER_JID }) },
      });
      fc.modelRun(setup, cmds);
    }),
    { numRuns: 300 },
  );
});
