/**
 * Per-message protection as a pure machine: one channel between our
 * identity and one peer, every message signed on its own (RFC 3923-style,
 * elliptic-curve suites instead of RSA, PAPER-OPT7).
 *
 * Theory of operation. There is no handshake. `start` makes the channel
 * usable at once (after validating the peer's provisioned certificate when
 * we encrypt to it); a channel that only receives becomes usable with the
 * first message that passes every check. `send` protects one payload: next
 * sequence number of our sender instance, time, the peer's certificate
 * digest, then (if encrypting) ECDH-ES + AES-256-GCM to the peer's
 * certificate key, then a `sign-request` for the signed bytes; the
 * `signature` answer turns it into a `send` of the `<signed>` element. Our
 * chain rides along until the peer shows, by naming our certificate as
 * recipient, that it holds it (PD-227). A received message is checked in the
 * order of PD-229; the state changes only when every check passed.
 * `release` and `abort` are signed messages too; they end this channel, not
 * the receive state, which a new channel inherits (`restart`), so a replay
 * stays a replay across associations.
 *
 * @module
 */
import { fromHex, toHex } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { ANY, errorOutput, type Machine, totalStep, type Transition } from "../../core/machine.ts";
import type { PublicKey } from "../../core/pki/algorithms.ts";
import { Memo } from "../../core/pki/memo.ts";
import { parseCertificate } from "../../core/pki/parse.ts";
import { sameBareJid } from "../a-profile/context.ts";
import { drawSource, seedRng } from "../a-profile/rng.ts";
import type { AProfileInput } from "../a-profile/types.ts";
import { check } from "./check.ts";
import { PerMessageError } from "./errors.ts";
import { recipient } from "./peer.ts";
import { acceptReceive } from "./receive_state.ts";
import { certificateDigest, encryptBody, kexPublicOf } from "./seal.ts";
import {
  type Context,
  DEFAULT_POLICY,
  type MessageKind,
  type PeerCertificate,
  type PerMessageConfig,
  type PerMessageOutput,
  type PerMessagePolicy,
  type PerMessageState,
  type Phase,
  PHASES,
} from "./types.ts";
import { encode, type Header, signedBytes } from "./wire.ts";

type Out = PerMessageOutput;
type Step = { state: PerMessageState; out: Out[] };

const stay = (phase: Phase, note: string): Transition => ({
  from: phase,
  on: ANY,
  to: phase,
  spec: ["PD-229"],
  note,
});

// spec: PD-226 PD-229
export const TRANSITIONS: readonly Transition[] = [
  { from: "idle", on: "start", to: "established", spec: ["PD-226"], note: "no handshake" },
  { from: "idle", on: "start", to: "failed", spec: ["PD-228"], note: "no recipient certificate" },
  { from: "idle", on: "receive", to: "established", spec: ["PD-229"], note: "first valid message" },
  { from: "idle", on: "receive", to: "released", spec: ["PD-226"] },
  { from: "idle", on: "receive", to: "aborted", spec: ["PD-226"] },
  { from: "established", on: "receive", to: "released", spec: ["PD-226"], note: "peer released" },
  { from: "established", on: "receive", to: "aborted", spec: ["PD-226"], note: "peer aborted" },
  { from: "established", on: "release", to: "released", spec: ["PD-226"] },
  { from: "established", on: "abort", to: "aborted", spec: ["PD-226"] },
  stay("idle", "refused or ignored"),
  stay("established", "send, signature, receive, refusals"),
  stay("released", "pending signatures complete; the rest is refused"),
  stay("aborted", "pending signatures complete; the rest is refused"),
  stay("failed", "terminal"),
];

const invalid = (detail: string) => new DerlinkError(PerMessageError["invalid-config"], detail);

// Our own certificate's key, by certificate digest: a fleet's channels share one identity.
const ownKey = new Memo<PublicKey>(64);

/** Fills in defaults and refuses configurations that cannot work. */
function resolve(config: PerMessageConfig): Context {
  const policy: PerMessagePolicy = { ...DEFAULT_POLICY, ...config.policy };
  for (const k of ["timestampWindowMs", "receiveWindow", "maxSequenceGap"] as const) {
    if (!Number.isSafeInteger(policy[k]) || policy[k] < 1) throw invalid(k);
  }
  if (policy.receiveWindow > 4096) throw invalid("receiveWindow above 4096");
  if (config.chain.length === 0) throw invalid("empty certificate chain");
  if (!sameBareJid(config.localJid, config.localJid)) throw invalid("localJid");
  if (!sameBareJid(config.peerJid, config.peerJid)) throw invalid("peerJid");
  const suite = getSuite(config.signatureSuite, config.provider ?? "default");
  const digest = certificateDigest(suite, config.chain[0]);
  const own = ownKey.get(toHex(digest), () => {
    const parsed = parseCertificate(config.chain[0]);
    if (!parsed.ok) throw invalid(`own certificate: ${parsed.error.code}`);
    return parsed.value.key;
  });
  if (own.suite !== suite.id) throw invalid("signatureSuite is not the certificate's");
  return {
    localJid: config.localJid,
    peerJid: config.peerJid,
    chain: config.chain,
    suite,
    digest,
    digestHex: toHex(digest),
    kexPublic: kexPublicOf(suite, own.publicKey),
    agree: config.agree,
    anchors: config.anchors,
    crls: config.crls,
    validateChain: config.validateChain,
    policy,
  };
}

function init(config: PerMessageConfig): PerMessageState {
  const ctx = resolve(config);
  const rng = seedRng(config.entropy);
  const [src, next] = drawSource(rng);
  const state: PerMessageState = {
    phase: "idle",
    ctx,
    rng: next,
    sid: src.bytes(8),
    seq: 0,
    nextId: 1,
    pending: [],
    peerHasOurCert: false,
    recv: config.receive ?? { window: { highest: 0, bits: 0n }, last: 0 },
    // A provisioned chain is checked when it is used (at start and for each message we encrypt).
    provisioned: config.peerChain,
  };
  return state;
}

/**
 * A new channel of the same identity after this one ended: same sender
 * instance and numbering, same receive state, known peer certificate.
 */
// spec: PD-233
export function restart(old: PerMessageState): PerMessageState {
  return { ...old, phase: "idle", pending: [] };
}

// ---------------------------------------------------------------- sending

function prepare(s: PerMessageState, kind: MessageKind, payload: Uint8Array, now: number): Step {
  const ctx = s.ctx;
  let peer = s.peer;
  let body = payload;
  let epk: Uint8Array | undefined;
  let rng = s.rng;
  if (ctx.policy.encrypt) {
    const r = recipient(s, now);
    if (!r.ok) return { state: s, out: [errorOutput(r.error.code, r.error.message)] };
    peer = r.value;
  }
  const header: Header = {
    kind,
    from: ctx.localJid,
    to: ctx.peerJid,
    sid: s.sid,
    seq: s.seq + 1,
    time: now,
    suite: ctx.suite.id,
    signer: ctx.digest,
    rcpt: peer ? fromHex(peer.digest) : undefined,
  };
  let full = header;
  if (ctx.policy.encrypt && peer) {
    // spec: PD-228 RFC3923-6-order
    const theirs = getSuite(peer.identity.suite);
    const [src, next] = drawSource(rng);
    rng = next;
    const eph = theirs.kex.generate(src);
    epk = eph.publicKey;
    full = { ...header, epk };
    body = encryptBody(theirs, eph.privateKey, peer.kexPublic, full, payload);
  }
  // spec: PD-227 RFC3923-6-retrieval
  const carry = ctx.policy.chainCarriage === "always" || !s.peerHasOurCert;
  const message = { header: full, chain: carry ? ctx.chain : [], body };
  const id = s.nextId;
  return {
    state: {
      ...s,
      rng,
      seq: header.seq,
      nextId: id + 1,
      peer: s.peer ?? peer,
      pending: [...s.pending, { id, message }],
    },
    out: [{ type: "sign-request", id, suite: ctx.suite.id, data: signedBytes(message) }],
  };
}

function signed(s: PerMessageState, id: number, signature: Uint8Array | undefined): Step {
  const p = s.pending.find((x) => x.id === id);
  if (!p) {
    return { state: s, out: [errorOutput(PerMessageError["signer-failed"], `no request ${id}`)] };
  }
  const state = { ...s, pending: s.pending.filter((x) => x.id !== id) };
  if (!signature) {
    return { state, out: [errorOutput(PerMessageError["signer-failed"], `request ${id} failed`)] };
  }
  const element = encode({ ...p.message, signature });
  return { state, out: [{ type: "send", message: "pdu", element }] };
}

// ---------------------------------------------------------------- receiving

function receive(
  s: PerMessageState,
  input: Extract<AProfileInput, { type: "receive" }>,
): Step {
  if (s.phase !== "idle" && s.phase !== "established") {
    return {
      state: s,
      out: [errorOutput(PerMessageError["unexpected-message"], `message in ${s.phase}`)],
    };
  }
  const r = check(s, input.element, input.from, input.now);
  if (!r.ok) return { state: s, out: [errorOutput(r.error.code, r.error.message)] };
  const { message, peer, payload } = r.value;
  const h = message.header;
  const state: PerMessageState = {
    ...s,
    peer,
    // spec: PD-227
    peerHasOurCert: s.peerHasOurCert || (h.rcpt !== undefined && toHex(h.rcpt) === s.ctx.digestHex),
    recv: acceptReceive(s.recv, h, s.ctx.policy),
  };
  const out: Out[] = [];
  if (s.phase === "idle" && h.kind === "data") out.push(established(state, peer));
  if (h.kind === "release") {
    return { state: { ...state, phase: "released" }, out: [{ type: "released" }] };
  }
  if (h.kind === "abort") {
    return { state: { ...state, phase: "aborted" }, out: [{ type: "aborted", by: "peer" }] };
  }
  out.push({ type: "data", association: toHex(h.sid), seq: h.seq, payload });
  return { state: { ...state, phase: "established" }, out };
}

const established = (s: PerMessageState, peer?: PeerCertificate): Out => ({
  type: "established",
  association: toHex(s.sid),
  peer: peer?.identity,
  suite: s.ctx.suite.id,
  mode: s.ctx.policy.encrypt ? "signed-encrypted" : "signed",
  renewed: false,
});

// ---------------------------------------------------------------- the step

function step(s: PerMessageState, input: AProfileInput): Step {
  const refuse = (code: string, detail: string): Step => ({
    state: s,
    out: [errorOutput(code as never, detail)],
  });
  if (typeof input !== "object" || input === null || typeof input.type !== "string") {
    return refuse(PerMessageError["invalid-input"], "not an input");
  }
  if (s.phase === "failed") return refuse(PerMessageError["unexpected-message"], "channel failed");
  switch (input.type) {
    case "tick":
      return { state: s, out: [] };
    case "start": {
      if (s.phase !== "idle") {
        return refuse(PerMessageError["unexpected-message"], "already started");
      }
      let peer = s.peer;
      if (s.ctx.policy.encrypt) {
        const r = recipient(s, input.now);
        if (!r.ok) {
          return {
            state: { ...s, phase: "failed" },
            out: [errorOutput(r.error.code, r.error.message)],
          };
        }
        peer = r.value;
      }
      const state = { ...s, phase: "established" as const, peer };
      return { state, out: [established(state, peer)] };
    }
    case "send":
      if (s.phase !== "established") {
        return refuse(PerMessageError["not-established"], `send in ${s.phase}`);
      }
      return prepare(s, "data", input.payload, input.now);
    case "signature":
      return signed(s, input.id, input.value);
    case "signer-failed":
      return signed(s, input.id, undefined);
    case "receive":
      return receive(s, input);
    // spec: PD-233
    case "release":
    case "abort": {
      if (s.phase !== "established") {
        return refuse(PerMessageError["unexpected-message"], `${input.type} in ${s.phase}`);
      }
      const r = prepare(s, input.type, new Uint8Array(0), input.now);
      if (input.type === "release") {
        return { state: { ...r.state, phase: "released" }, out: [...r.out, { type: "released" }] };
      }
      return {
        state: { ...r.state, phase: "aborted" },
        out: [...r.out, { type: "aborted", by: "local" }],
      };
    }
    default:
      return refuse(PerMessageError["unexpected-message"], `${input.type} has no meaning here`);
  }
}

export const perMessage: Machine<
  PerMessageConfig,
  PerMessageState,
  AProfileInput,
  PerMessageOutput
> = {
  name: "per-message.channel",
  phases: PHASES,
  transitions: TRANSITIONS,
  init,
  step: totalStep(step, (state, error) => ({ state: { ...state, phase: "failed" }, out: [error] })),
};
