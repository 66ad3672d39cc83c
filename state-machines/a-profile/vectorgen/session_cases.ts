/**
 * Cases for the protected session, for either role under test: after the
 * group's prefix (a completed handshake) the honest peer's PDUs are
 * delivered in order, reordered, replayed, beyond the window, with each
 * header field and body byte flipped, under retired keys or past their
 * lifetime, and crafted by a peer that breaks the rules (a sequence jump, a
 * release-ack nobody asked for).
 *
 * @module
 */
import { fromBase64 as fromB64, toBase64 } from "../../../core/bytes.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { AProfileError as E } from "../errors.ts";
import { JIDS, type TestPki } from "../fixtures.ts";
import { encodePdu, type PduKind } from "../messages.ts";
import type { JsonConfig, JsonStep } from "../replay.ts";
import { protect, type Session } from "../session.ts";
import type { AProfileInput, AProfileOutput, MessageKind } from "../types.ts";
import type { XmlElement } from "../xml.ts";
import { AT, type Case, expectCode, recv } from "./case.ts";
import {
  edit,
  flipBase64,
  HonestInitiator,
  HonestResponder,
  parse as parseEl,
  setText,
} from "./tools.ts";

/** An established honest peer of the machine under test. */
export interface Peer {
  sent(input: AProfileInput): XmlElement[];
  step(input: AProfileInput): AProfileOutput[];
  readonly state: { readonly session?: Session };
}

export interface SessionSetup {
  /** A fresh honest peer, established with the machine under test after the prefix. */
  peer(): Peer;
  /** The peer's JID (the `from` of its PDUs) and ours. */
  readonly peerJid: string;
  readonly iutJid: string;
  /** The elements of one kind the machine under test sends during `steps` (after the prefix). */
  iutSent(
    steps: readonly JsonStep[],
    message?: MessageKind,
    config?: Partial<JsonConfig>,
  ): string[];
  /** A `signature` step answering the last sign-request of `steps` (manual signer). */
  signature(steps: readonly JsonStep[], config: Partial<JsonConfig>): JsonStep;
}

const spec = ["PAPER-R4a", "PAPER-R6a", "PD-90"];
const at = (n: number) => AT + 10 + n;

/** A PDU from the peer's session, optionally tweaked: the misbehaving peer. */
function craft(
  peer: Peer,
  kind: PduKind,
  payload: Uint8Array,
  now: number,
  tweak: (s: Session) => Session = (s) => s,
): string {
  const s = tweak(peer.state.session!);
  return encodePdu(protect(getSuite(s.suite), s, kind, payload, now).pdu).toString();
}

export function sessionCases(pki: TestPki, setup: SessionSetup): Case[] {
  const cases: Case[] = [];
  const from = setup.peerJid;
  const r = (xml: string | XmlElement, n = 0) => recv(xml.toString(), from, at(n));
  const data = (p: Peer, n: number) =>
    p.sent({ type: "send", payload: new Uint8Array([0x10 + n]), now: at(n) })[0];
  const add = (
    comment: string,
    flags: string[],
    extra: string[],
    expect: Case["expect"],
    steps: JsonStep[],
    config?: Case["config"],
  ) => cases.push({ comment, flags, spec: [...spec, ...extra], expect, steps, config });

  // ---- valid
  {
    const p = setup.peer();
    add("one data PDU from the peer", ["ValidTranscript"], [], "valid", [r(data(p, 1), 1)]);
  }
  {
    const p = setup.peer();
    const [a, b, c] = [data(p, 1), data(p, 2), data(p, 3)];
    add("three data PDUs in order", ["ValidTranscript"], [], "valid", [r(a, 1), r(b, 2), r(c, 3)]);
    add("reordered inside the window: 2, 1, 3", ["ValidTranscript", "Window"], ["PD-91"], "valid", [
      r(b, 2),
      r(a, 2),
      r(c, 3),
    ]);
    add("a gap (1, 3) is accepted", ["ValidTranscript", "Window"], ["PD-91"], "valid", [
      r(a, 1),
      r(c, 3),
    ]);
    add("PDU 1 replayed", ["Replay"], ["PD-91", "PAPER-AS3"], expectCode(E.replay), [
      r(a, 1),
      r(a, 2),
    ]);
    add("PDU 1 replayed after 2 and 3", ["Replay"], ["PD-91", "PAPER-AS3"], expectCode(E.replay), [
      r(a, 1),
      r(b, 2),
      r(c, 3),
      r(a, 4),
    ]);
  }
  {
    const p = setup.peer();
    const [k, d] = [p.sent({ type: "update-keys", now: at(1) })[0], data(p, 2)];
    add(
      "peer updates its key and asks us to follow; data under the new key",
      ["ValidTranscript", "KeyUpdate"],
      ["PD-93"],
      "valid",
      [r(k, 1), r(d, 2)],
    );
    add(
      "peer's key-update lost: the next epoch is derived",
      ["ValidTranscript", "KeyUpdate"],
      ["PD-93"],
      "valid",
      [r(d, 2)],
    );
  }
  {
    const p = setup.peer();
    const [d1, k, d2] = [data(p, 1), p.sent({ type: "update-keys", now: at(2) })[0], data(p, 3)];
    add(
      "a PDU under the retired epoch after the key update",
      ["KeyUpdate", "Lifetime"],
      ["PD-93"],
      expectCode(E["key-expired"]),
      [r(k, 2), r(d2, 3), r(d1, 4)],
    );
  }
  {
    const p = setup.peer();
    add(
      "peer releases: acknowledged, released",
      ["ValidTranscript", "Release"],
      ["PD-99"],
      "valid",
      [r(p.sent({ type: "release", now: at(1) })[0], 1)],
    );
  }
  {
    const p = setup.peer();
    const rel = p.sent({ type: "release", now: at(1) })[0];
    add(
      "a data PDU after the peer's release",
      ["Release"],
      ["PD-99", "PD-97"],
      expectCode(E["unexpected-message"]),
      [r(rel, 1), r(craft(p, "data", new Uint8Array([1]), at(2)), 2)],
    );
  }
  {
    const p = setup.peer();
    add("peer aborts: authenticated, aborted", ["ValidTranscript", "Abort"], ["PD-99"], "valid", [
      r(p.sent({ type: "abort", now: at(1) })[0], 1),
    ]);
  }
  add("we send data", ["ValidTranscript"], [], "valid", [{
    input: { type: "send", payload: "48656c6c6f", now: at(1) },
  }]);
  add("we update our key", ["ValidTranscript", "KeyUpdate"], ["PD-93"], "valid", [{
    input: { type: "update-keys", now: at(1) },
  }]);
  add("we abort: announced authenticated", ["ValidTranscript", "Abort"], ["PD-99"], "valid", [{
    input: { type: "abort", now: at(1) },
  }]);
  {
    const p = setup.peer();
    const release: JsonStep = { input: { type: "release", now: at(1) } };
    const [ours] = setup.iutSent([release]);
    const ack = p.sent({
      type: "receive",
      element: parseEl(ours),
      from: setup.iutJid,
      now: at(2),
    })[0];
    add("we release, the peer acknowledges", ["ValidTranscript", "Release"], ["PD-99"], "valid", [
      release,
      r(ack, 2),
    ]);
    const [sent] = setup.iutSent([{ input: { type: "send", payload: "01", now: at(1) } }]);
    add("our own PDU reflected back to us", ["Reflection"], ["PD-90"], expectCode(E["bad-tag"]), [{
      input: { type: "send", payload: "01", now: at(1) },
    }, r(sent, 2)]);
  }

  // ---- window and lifetimes (configuration of the machine under test)
  {
    const p = setup.peer();
    const pdus = [1, 2, 3, 4, 5, 6].map((n) => data(p, n));
    add(
      "PDU 1 after PDU 6 with a window of 4: below the window",
      ["Window"],
      ["PD-91"],
      expectCode(E["out-of-window"]),
      [r(pdus[5], 6), r(pdus[0], 7)],
      { policy: { receiveWindow: 4 } },
    );
    add(
      "PDU 3 after PDU 6 with a window of 4: inside, accepted",
      ["ValidTranscript", "Window"],
      ["PD-91"],
      "valid",
      [r(pdus[5], 6), r(pdus[2], 7)],
      { policy: { receiveWindow: 4 } },
    );
    add(
      "the fourth PDU of an epoch with a lifetime of 3",
      ["Lifetime"],
      ["PD-93"],
      expectCode(E["key-expired"]),
      pdus.slice(0, 4).map((x, i) => r(x, i + 1)),
      { policy: { keyLifetimePdus: 3 } },
    );
  }
  {
    const p = setup.peer();
    const jump = craft(
      p,
      "data",
      new Uint8Array([1]),
      at(1),
      (s) => ({ ...s, send: { ...s.send, seq: 9 } }),
    );
    add(
      "sequence number 10 first, maximum gap 8",
      ["Window"],
      ["PD-91"],
      expectCode(E["sequence-gap"]),
      [r(jump, 1)],
      { policy: { maxSequenceGap: 8 } },
    );
    add(
      "sequence number 10 first, default maximum gap: accepted",
      ["ValidTranscript", "Window"],
      ["PD-91"],
      "valid",
      [r(jump, 1)],
    );
    const late = AT + 400_000;
    const old = craft(p, "data", new Uint8Array([2]), late);
    add(
      "a PDU under an epoch older than its time lifetime plus the window",
      ["Lifetime"],
      ["PD-93"],
      expectCode(E["key-expired"]),
      [recv(old, from, late)],
      { policy: { keyLifetimeMs: 60_000 } },
    );
    add(
      "release-ack nobody asked for",
      ["Release"],
      ["PD-99", "PD-97"],
      expectCode(E["unexpected-message"]),
      [r(craft(p, "release-ack", new Uint8Array(0), at(1)), 1)],
    );
    add("key-update with a two-byte body", ["KeyUpdate"], ["PD-93"], expectCode(E.malformed), [
      r(craft(p, "key-update", new Uint8Array([1, 0]), at(1)), 1),
    ]);
    add("key-update with body value 2", ["KeyUpdate"], ["PD-93"], expectCode(E.malformed), [
      r(craft(p, "key-update", new Uint8Array([2]), at(1)), 1),
    ]);
    add("an empty data PDU: accepted", ["ValidTranscript"], [], "valid", [
      r(craft(p, "data", new Uint8Array(0), at(1)), 1),
    ]);
  }
  {
    const other = new HonestResponder(pki, "another association");
    const init = new HonestInitiator(pki, "another association");
    const q = init.request(AT);
    init.step({ type: "receive", element: other.respond(q, AT), from: JIDS.der, now: AT });
    const foreignPdu = (setup.peerJid === JIDS.der ? other : init).sent({
      type: "send",
      payload: new Uint8Array([1]),
      now: at(1),
    })[0];
    add(
      "a PDU of another association between the same peers",
      ["Replay"],
      ["PD-90"],
      expectCode(E["association-mismatch"]),
      [r(foreignPdu, 1)],
    );
  }

  // ---- header fields and body flipped
  {
    const p = setup.peer();
    const P = data(p, 1);
    const f = (
      comment: string,
      change: (e: XmlElement) => void,
      code: string,
      extra: string[] = [],
    ) => add(comment, ["FieldFlip"], extra, expectCode(code), [r(edit(P, change), 1)]);
    f("sequence number 1 → 2", (e) => e.attrs.seq = "2", E["bad-tag"]);
    f("sequence number 1 → 1000", (e) => e.attrs.seq = "1000", E["bad-tag"]);
    f("epoch 0 → 1", (e) => e.attrs.epoch = "1", E["bad-tag"], ["PD-93"]);
    f("epoch 0 → 2", (e) => e.attrs.epoch = "2", E["bad-epoch"], ["PD-93"]);
    f("time + 1 ms", (e) => e.attrs.time = String(Number(e.attrs.time) + 1), E["bad-tag"]);
    f(
      "time + 10 min",
      (e) => e.attrs.time = String(Number(e.attrs.time) + 600_000),
      E["stale-timestamp"],
    );
    f(
      "time - 10 min",
      (e) => e.attrs.time = String(Number(e.attrs.time) - 600_000),
      E["stale-timestamp"],
    );
    for (const k of ["abort", "release", "key-update", "release-ack"]) {
      f(`kind data → ${k}`, (e) => e.attrs.kind = k, E["bad-tag"]);
    }
    f(
      "association id changed",
      (e) =>
        e.attrs.association = (e.attrs.association![0] === "0" ? "1" : "0") +
          e.attrs.association!.slice(1),
      E["association-mismatch"],
    );
    const body = (e: XmlElement) => e.children[0] as string;
    for (const i of [0, 8, -1]) {
      f(`body byte ${i} flipped`, (e) => setText(e, flipBase64(body(e), i)), E["bad-tag"]);
    }
    f(
      "body cut to its last 16 bytes",
      (e) => setText(e, toBase64(fromB64(body(e)).slice(-16))),
      E["bad-tag"],
    );
    f("body of 15 bytes", (e) => setText(e, toBase64(new Uint8Array(15))), E.malformed, ["PD-85"]);
    f("empty body", (e) => setText(e, ""), E.malformed, ["PD-85"]);
    f("body not base64", (e) => setText(e, "!!!!"), E.malformed, ["PD-85"]);
    f("unknown attribute", (e) => e.attrs.flags = "0", E["unknown-element"], ["PD-85"]);
    f("sequence number missing", (e) => delete e.attrs.seq, E.malformed, ["PD-85"]);
    f("sequence number 0", (e) => e.attrs.seq = "0", E.malformed, ["PD-85"]);
    f("sequence number with a leading zero", (e) => e.attrs.seq = "01", E.malformed, ["PD-85"]);
    f("negative epoch", (e) => e.attrs.epoch = "-1", E.malformed, ["PD-85"]);
    f("unknown kind", (e) => e.attrs.kind = "ping", E.malformed, ["PD-85"]);
    f("element inside the PDU", (e) => e.children.push(parseEl("<iv/>")), E["unknown-element"], [
      "PD-85",
    ]);
    f("PDU in another namespace", (e) => e.attrs.xmlns = "urn:other", E["unknown-element"], [
      "PD-85",
    ]);
  }
  return cases;
}
