/**
 * Model-based tests (fast-check command model) of both machines together:
 * random sequences of start, in-order and out-of-order delivery, dropped,
 * duplicated and tampered messages, application data both ways, key
 * updates, releases and aborts. A small model predicts each side's phase,
 * which data must come out, and which deliveries must be refused; the real
 * machines (through the default signer, every step on a declared edge) must
 * agree after every command.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex } from "../../core/bytes.ts";
import { inputType, matchTransition } from "../../core/machine.ts";
import { driveStep } from "./driver.ts";
import { localSigner } from "./driver.ts";
import { initiatorConfig, JIDS, responderConfig, T0, testPki } from "./fixtures.ts";
import { initiator, type InitiatorState } from "./initiator.ts";
import { responder, type ResponderState } from "./responder.ts";
import type { AProfileInput, AProfileOutput, SuiteId } from "./types.ts";
import { edit, flipBase64, setText } from "./vectorgen/tools.ts";
import type { XmlElement } from "./xml.ts";

type Side = "I" | "R";
const other = (s: Side): Side => s === "I" ? "R" : "I";
type Phase =
  | "idle"
  | "awaiting"
  | "listening"
  | "established"
  | "releasing"
  | "released"
  | "aborted"
  | "failed";

interface Wire {
  readonly id: number;
  readonly to: Side;
  readonly kind: string;
  /** Data PDUs: the payload; key-update: whether the peer is asked to follow. */
  readonly payload?: string;
  readonly ask?: boolean;
  /** Sender's epoch when sent (PDUs). */
  readonly epoch: number;
  delivered: boolean;
  dropped?: boolean;
}

interface Model {
  phase: Record<Side, Phase>;
  net: Wire[];
  /** Sending epoch of each side, and the epoch each side receives at. */
  sendEpoch: Record<Side, number>;
  recvEpoch: Record<Side, number>;
  nextId: number;
}

class Real {
  i: InitiatorState;
  r: ResponderState;
  elements = new Map<number, XmlElement>();
  data: Record<Side, string[]> = { I: [], R: [] };
  now = T0;
  readonly sign;
  constructor(readonly suite: SuiteId) {
    const pki = testPki(suite);
    this.i = initiator.init(initiatorConfig(pki, "model i"));
    this.r = responder.init(responderConfig(pki, "model r"));
    this.sign = { I: localSigner(pki.vpp.signer), R: localSigner(pki.der.signer) };
  }
  phase(side: Side): string {
    return side === "I" ? this.i.phase : this.r.phase;
  }
  /** One input to one side; every step must follow a declared edge. */
  step(side: Side, input: AProfileInput): AProfileOutput[] {
    this.now += 1;
    const machine = side === "I" ? initiator : responder;
    const checkEdge = (from: { phase: string }, inp: AProfileInput, to: { phase: string }) => {
      const edge = matchTransition(machine.transitions, from.phase, inputType(inp), to.phase);
      assert.ok(edge, `${side}: ${from.phase} --${inputType(inp)}--> ${to.phase} undeclared`);
    };
    // deno-lint-ignore no-explicit-any
    const state = (side === "I" ? this.i : this.r) as any;
    // deno-lint-ignore no-explicit-any
    const r = driveStep(machine as any, state, input, this.sign[side], checkEdge);
    if (side === "I") this.i = r.state as InitiatorState;
    else this.r = r.state as ResponderState;
    for (const o of r.out) if (o.type === "data") this.data[side].push(toHex(o.payload));
    return r.out;
  }
}

/** What the runs exercised, to show the model reaches the interesting places. */
const reached = { established: 0, data: 0, refused: 0, released: 0, aborted: 0, keyUpdates: 0 };

const errorsOf = (out: readonly AProfileOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);
const live = (p: Phase) => p === "established" || p === "releasing";

/** Queues what `side` sent, in the model and the real network. */
function queue(m: Model, r: Real, side: Side, out: readonly AProfileOutput[]) {
  for (const o of out) {
    if (o.type !== "send") continue;
    const kind = o.element.name === "pdu" ? o.element.attrs.kind! : o.element.name;
    const body = o.element.name === "pdu" ? undefined : undefined;
    const w: Wire = {
      id: m.nextId++,
      to: other(side),
      kind,
      epoch: Number(o.element.attrs.epoch ?? 0),
      delivered: false,
      payload: body,
    };
    r.elements.set(w.id, o.element);
    m.net.push(w);
  }
}

type Cmd = fc.Command<Model, Real>;

class Start implements Cmd {
  check = (m: Readonly<Model>) => m.phase.I === "idle";
  run(m: Model, r: Real) {
    queue(m, r, "I", r.step("I", { type: "start", now: r.now }));
    m.phase.I = "awaiting";
    assert.equal(r.i.phase, "awaiting-response");
  }
  toString = () => "start";
}

class Send implements Cmd {
  constructor(readonly side: Side, readonly byte: number) {}
  check = (m: Readonly<Model>) => m.phase[this.side] === "established";
  run(m: Model, r: Real) {
    const out = r.step(this.side, {
      type: "send",
      payload: new Uint8Array([this.byte]),
      now: r.now,
    });
    assert.deepEqual(errorsOf(out), []);
    const before = m.net.length;
    queue(m, r, this.side, out);
    m.net[m.net.length - 1] = {
      ...m.net[m.net.length - 1],
      payload: toHex(new Uint8Array([this.byte])),
    };
    for (const w of m.net.slice(before)) if (w.kind === "key-update") m.sendEpoch[this.side]++;
  }
  toString = () => `send ${this.side} ${this.byte}`;
}

class UpdateKeys implements Cmd {
  constructor(readonly side: Side) {}
  check = (m: Readonly<Model>) => m.phase[this.side] === "established";
  run(m: Model, r: Real) {
    queue(m, r, this.side, r.step(this.side, { type: "update-keys", now: r.now }));
    m.net[m.net.length - 1] = { ...m.net[m.net.length - 1], ask: true };
    m.sendEpoch[this.side]++;
  }
  toString = () => `update-keys ${this.side}`;
}

class Release implements Cmd {
  constructor(readonly side: Side) {}
  check = (m: Readonly<Model>) => m.phase[this.side] === "established";
  run(m: Model, r: Real) {
    queue(m, r, this.side, r.step(this.side, { type: "release", now: r.now }));
    m.phase[this.side] = "releasing";
    assert.equal(r.phase(this.side), "releasing");
  }
  toString = () => `release ${this.side}`;
}

class Abort implements Cmd {
  constructor(readonly side: Side) {}
  check = (m: Readonly<Model>) => !["released", "aborted", "failed"].includes(m.phase[this.side]);
  run(m: Model, r: Real) {
    queue(m, r, this.side, r.step(this.side, { type: "abort", now: r.now }));
    m.phase[this.side] = "aborted";
    assert.equal(r.phase(this.side), "aborted");
  }
  toString = () => `abort ${this.side}`;
}

class Drop implements Cmd {
  constructor(readonly k: number) {}
  check = (m: Readonly<Model>) => m.net.some((w) => !w.delivered && !w.dropped);
  run(m: Model) {
    const pending = m.net.filter((w) => !w.delivered && !w.dropped);
    pending[this.k % pending.length].dropped = true;
  }
  toString = () => `drop ${this.k}`;
}

/** Delivers a pending message (k = 0: the oldest), or an old one again, or a tampered copy. */
class Deliver implements Cmd {
  constructor(readonly k: number, readonly how: "pending" | "again" | "tampered") {}
  #pick(m: Readonly<Model>): Wire | undefined {
    const pool = this.how === "pending"
      ? m.net.filter((w) => !w.delivered && !w.dropped)
      : this.how === "again"
      ? m.net.filter((w) => w.delivered)
      : m.net;
    return pool.length ? pool[this.k % pool.length] : undefined;
  }
  check = (m: Readonly<Model>) => this.#pick(m) !== undefined;
  run(m: Model, r: Real) {
    const w = this.#pick(m)!;
    const to = w.to;
    let element = r.elements.get(w.id)!;
    if (this.how === "tampered") element = tamper(element);
    const from = to === "I" ? JIDS.der : JIDS.vpp;
    const dataBefore = r.data[to].length;
    const out = r.step(to, { type: "receive", element, from, now: r.now });
    const errors = errorsOf(out);
    const fresh = this.how === "pending";
    if (fresh) w.delivered = true;
    const p = m.phase[to];
    if (!fresh) {
      reached.refused++;
      // Nothing is accepted twice and nothing tampered is accepted.
      assert.equal(errors.length, 1, `${this}: ${JSON.stringify(out.map((o) => o.type))}`);
      assert.equal(r.data[to].length, dataBefore);
      if (this.how === "tampered" && to === "I" && w.kind === "response" && p === "awaiting") {
        m.phase.I = "failed";
      }
      assert.equal(phaseOf(r, to), m.phase[to], `${this}`);
      return;
    }
    const expectRefusal = (why: string) => {
      reached.refused++;
      assert.equal(
        errors.length,
        1,
        `${this} ${w.kind} to ${to} in ${p}: ${why}; got ${JSON.stringify(out)}`,
      );
      assert.equal(r.data[to].length, dataBefore);
    };
    if (w.kind === "request") {
      if (p === "listening") {
        assert.deepEqual(errors, []);
        m.phase.R = "established";
        queue(m, r, "R", out);
      } else expectRefusal("request not expected");
    } else if (w.kind === "response") {
      if (p === "awaiting") {
        assert.deepEqual(errors, []);
        reached.established++;
        m.phase.I = "established";
      } else expectRefusal("response not expected");
    } else if (!live(p)) {
      expectRefusal("PDU outside the session");
    } else if (w.epoch < m.recvEpoch[to]) {
      expectRefusal("retired epoch");
      assert.deepEqual(errors, ["aprofile/key-expired"]);
    } else {
      assert.deepEqual(errors, [], `${this}: ${w.kind}`);
      m.recvEpoch[to] = w.epoch;
      switch (w.kind) {
        case "data":
          reached.data++;
          assert.equal(r.data[to].at(-1), w.payload);
          assert.equal(r.data[to].length, dataBefore + 1);
          break;
        case "key-update":
          reached.keyUpdates++;
          m.recvEpoch[to] = w.epoch + 1;
          queue(m, r, to, out);
          if (w.ask) m.sendEpoch[to]++;
          break;
        case "release":
          reached.released++;
          m.phase[to] = "released";
          queue(m, r, to, out);
          break;
        case "release-ack":
          if (p === "releasing") m.phase[to] = "released";
          break;
        case "abort":
          reached.aborted++;
          m.phase[to] = "aborted";
          break;
      }
    }
    assert.equal(phaseOf(r, to), m.phase[to], `${this}`);
  }
  toString = () => `deliver ${this.how} ${this.k}`;
}

/** The real phase in the model's vocabulary. */
function phaseOf(r: Real, side: Side): Phase {
  const p = r.phase(side);
  return p === "awaiting-response" ? "awaiting" : p as Phase;
}

function tamper(e: XmlElement): XmlElement {
  if (e.name === "pdu") {
    return parseLike(edit(e, (c) => setText(c, flipBase64(c.children[0] as string, 0))));
  }
  return parseLike(edit(e, (c) => {
    const sig = c.children.find((x): x is XmlElement =>
      typeof x !== "string" && x.name === "signature"
    )!;
    setText(sig, flipBase64(sig.children[0] as string, -1));
  }));
}

import { parse as parseLike } from "./vectorgen/tools.ts";

const side = fc.constantFrom<Side>("I", "R");
const send = fc.tuple(side, fc.integer({ min: 0, max: 255 })).map(([s, b]) => new Send(s, b));
const inOrder = fc.constant(new Deliver(0, "pending"));
// Repeated entries weigh the choice towards long sessions; release and abort end them.
const commands = fc.commands<Model, Real>([
  fc.constant(new Start()),
  send,
  send,
  send,
  inOrder,
  inOrder,
  inOrder,
  fc.nat(7).map((k) => new Deliver(k, "pending")),
  side.map((s) => new UpdateKeys(s)),
  side.map((s) => new Release(s)),
  side.map((s) => new Abort(s)),
  fc.nat(7).map((k) => new Drop(k)),
  fc.nat(7).map((k) => new Deliver(k, "again")),
  fc.nat(7).map((k) => new Deliver(k, "tampered")),
], { maxCommands: 60, size: "large" });

function model(): Model {
  return {
    phase: { I: "idle", R: "listening" },
    net: [],
    sendEpoch: { I: 0, R: 0 },
    recvEpoch: { I: 0, R: 0 },
    nextId: 0,
  };
}

for (
  const [suite, numRuns] of [["x25519-ed25519", 300], ["p256", 40], ["brainpool256", 25]] as const
) {
  Deno.test(`a-profile model: both machines against the command model, ${suite} (PAPER-R2 PAPER-R4a PD-91 PD-93 PD-97 PD-99)`, () => {
    // spec: PAPER-R2 PAPER-R4a PAPER-R6a PD-91 PD-93 PD-97 PD-99
    fc.assert(
      fc.property(
        fc.boolean(),
        commands,
        // Half the runs begin with an undisturbed handshake, so sessions get long.
        (handshakeFirst, cmds) =>
          fc.modelRun(
            () => ({ model: model(), real: new Real(suite) }),
            handshakeFirst
              ? [new Start(), new Deliver(0, "pending"), new Deliver(0, "pending"), ...cmds]
              : cmds,
          ),
      ),
      { numRuns, seed: 4242 },
    );
    console.log(`a-profile model ${suite}: ${JSON.stringify(reached)}`);
    assert.ok(
      reached.established > 0 && reached.data > 0 && reached.refused > 0 && reached.keyUpdates > 0,
    );
    assert.ok(reached.released > 0 && reached.aborted > 0);
    for (const k of Object.keys(reached) as (keyof typeof reached)[]) reached[k] = 0;
  });
}
