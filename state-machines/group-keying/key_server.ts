/**
 * The group key server (the paper's KDC, RFC 6407's GCKS) for one group, as
 * a machine.
 *
 * Theory of operation. The server is `serving` from the start: it holds the
 * group policy, the key tree and the traffic keys in force (one per stream,
 * drawn at init). Members register with a GROUPKEY-PULL style exchange
 * (key_server_registration.ts); each admission is one rekey, pushed to the
 * whole group, that renews the keys on the newcomer's path and introduces
 * new traffic keys, so the newcomer cannot read what was sent before it
 * joined (backward secrecy); with a batch window, every member admitted
 * within the window joins in one such rekey (PD-267,
 * key_server_admission.ts). `evict` removes members — a whole batch in one
 * rekey — renewing every key an evicted member held and retiring the old
 * traffic keys at once, so it cannot read or forge anything sent afterwards
 * (forward secrecy). `tick` pushes successors of traffic keys that are about
 * to expire, and `rotate` does so on demand; both keep the old keys until
 * their lifetime ends. Every rekey carries the next sequence number and the
 * server's signature.
 *
 * A refused input changes nothing and yields an error output. When a counter
 * would wrap (rekey sequence, key IDs, key versions, member slots), or the
 * signer fails after the key tree changed, the server enters `halted` and
 * refuses everything: the group must be re-created.
 *
 * The key tree and member registry live in the state and change in place:
 * `step` consumes the state it is given (PD-116).
 *
 * @module
 */
import { getSuite } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import {
  ANY,
  type ErrorOutput,
  errorOutput,
  inputType,
  type Machine,
  type StepResult,
  totalStep,
  type Transition,
} from "../../core/machine.ts";
import { GdoiError } from "./errors.ts";
import { bareJid } from "./jid.ts";
import { LkhTree } from "./lkh.ts";
import { decodeMessage } from "./messages.ts";
import { checkGroupPolicy, TEK_LENGTH } from "./policy.ts";
import { MemberRegistry } from "./registry.ts";
import { nextRotation } from "./key_server_rekey.ts";
import { admissionsDue, issueJoining } from "./key_server_admission.ts";
import { onProof, onRequest, purgePending } from "./key_server_registration.ts";
import {
  KEY_SERVER_PHASES,
  type KeyServerConfig,
  type KeyServerInput,
  type KeyServerOutput,
  type KeyServerState,
  KS_DEFAULTS,
} from "./key_server_types.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

export const KEY_SERVER_TRANSITIONS: readonly Transition[] = [
  t("serving", "message", "serving", ["RFC6407-3", "PD-267"], "registration step answered"),
  t("serving", "evict", "serving", ["RFC6407-4", "RFC2627-leave"], "members removed in one rekey"),
  t("serving", "rotate", "serving", ["RFC6407-4"], "new traffic keys pushed"),
  t(
    "serving",
    "tick",
    "serving",
    ["RFC6407-4", "RFC8052-lifetime", "PD-267"],
    "keys due for renewal, or waiting members, pushed",
  ),
  t("serving", ANY, "halted", ["PD-116"], "a counter would wrap or the signer failed"),
  ...KEY_SERVER_PHASES.map((p) => t(p, ANY, p, ["PD-121"], "input refused or nothing to do")),
];

type Step = StepResult<KeyServerState, KeyServerOutput>;

// spec: RFC6407-3.authz PAPER-M5 PAPER-M6
function init(config: KeyServerConfig): KeyServerState {
  checkGroupPolicy(config.policy);
  // spec: PD-267
  const batch = config.joinBatchMs ?? KS_DEFAULTS.joinBatchMs;
  const timeout = config.registrationTimeoutMs ?? KS_DEFAULTS.registrationTimeoutMs;
  if (!Number.isSafeInteger(batch) || batch < 0 || batch > timeout) {
    throw new DerlinkError(GdoiError["invalid-config"], "joinBatchMs");
  }
  const suite = getSuite(config.policy.suite, config.provider);
  const now = config.now ?? 0;
  const policy = config.policy;
  let nextKeyId = 1;
  const teks = policy.streams.map((s) => ({
    keyId: nextKeyId++,
    streamId: s.streamId,
    protection: s.protection,
    notBefore: now,
    notAfter: now + policy.tekLifetimeMs,
    key: config.entropy.bytes(TEK_LENGTH[s.protection]),
  }));
  return {
    phase: "serving",
    config,
    suite,
    now,
    seq: 0,
    nextKeyId,
    teks,
    pending: {},
    completed: [],
    admitting: [],
    tree: LkhTree.create(policy.kekLength, config.entropy, 0),
    registry: new MemberRegistry(),
  };
}

// spec: PD-116 PD-121
const refused = (state: KeyServerState, e: ErrorOutput): Step => ({
  state: e.code === GdoiError.exhausted || e.code === GdoiError["signer-failed"]
    ? { ...state, phase: "halted" }
    : state,
  out: [e],
});

function isInput(input: unknown): input is KeyServerInput {
  const i = input as Record<string, unknown>;
  if (typeof i !== "object" || i === null || !Number.isSafeInteger(i.now)) return false;
  switch (i.type) {
    case "message":
      return i.data instanceof Uint8Array && (i.from === undefined || typeof i.from === "string");
    case "evict":
      return Array.isArray(i.jids) && i.jids.every((j) => typeof j === "string");
    case "rotate":
    case "tick":
      return true;
  }
  return false;
}

function step(state: KeyServerState, input: KeyServerInput): Step {
  if (!isInput(input)) {
    return refused(state, errorOutput(GdoiError["invalid-input"], inputType(input)));
  }
  if (state.phase === "halted") {
    return { state, out: [errorOutput(GdoiError.halted, "the group must be re-created")] };
  }
  const now = Math.max(state.now, input.now);
  switch (input.type) {
    case "message":
      return withTimer(onMessage(state, input.data, input.from, now));
    case "evict":
      return withTimer(onEvict(state, input.jids, now));
    case "rotate":
      return withTimer(issueJoining(state, { evict: [], retireOld: false, now }));
    case "tick":
      return withTimer(onTick(state, now));
  }
}

function onMessage(
  state: KeyServerState,
  data: Uint8Array,
  from: string | undefined,
  now: number,
): { state: KeyServerState; out: KeyServerOutput[] } {
  const { message, signed } = decodeMessage(data);
  if (message.groupId !== state.config.policy.groupId) {
    throw new DerlinkError(GdoiError["wrong-group"], message.groupId);
  }
  switch (message.kind) {
    case "request":
      return onRequest(state, message, data, from, now);
    case "proof":
      return onProof(state, message, data, signed, from, now);
    default:
      return { state, out: [errorOutput(GdoiError["unexpected-message"], message.kind)] };
  }
}

// spec: RFC2627-leave RFC6407-4 RFC6407-4.fwd PAPER-R4b PAPER-R6b
function onEvict(state: KeyServerState, jids: readonly string[], now: number) {
  const bare = [...new Set(jids.map(bareJid))];
  const waiting = (j: string) => state.admitting.some((a) => a.jid === j);
  for (const j of bare) {
    if (state.registry.leafOf(j) === undefined && !waiting(j)) {
      return { state, out: [errorOutput(GdoiError["unknown-member"], j)] };
    }
  }
  if (bare.length === 0) return { state, out: [] };
  // An eviction cancels a waiting admission: that member never gets its key download.
  // spec: PD-267
  const admitting = state.admitting.filter((a) => !bare.includes(a.jid));
  const members = bare.filter((j) => state.registry.leafOf(j) !== undefined);
  if (members.length === 0) return { state: { ...state, admitting }, out: [] };
  return issueJoining({ ...state, admitting }, { evict: members, retireOld: true, now });
}

// spec: RFC8052-lifetime PD-117 PD-267
function onTick(state: KeyServerState, now: number) {
  const purged = purgePending(state, now);
  if (now < nextRotation(purged) && now < admissionsDue(purged)) {
    return {
      state: { ...purged, now, teks: purged.teks.filter((k) => k.notAfter > now) },
      out: [],
    };
  }
  return issueJoining(purged, { evict: [], retireOld: false, now });
}

function withTimer(r: { state: KeyServerState; out: KeyServerOutput[] }): Step {
  const at = Math.min(nextRotation(r.state), admissionsDue(r.state));
  return Number.isFinite(at) ? { state: r.state, out: [...r.out, { type: "timer", at }] } : r;
}

// A DerlinkError thrown by a handler becomes an error output with its code; state is unchanged.
const guarded = totalStep<KeyServerState, KeyServerInput, KeyServerOutput>(step, refused);

/** The key server machine. */
export const keyServer: Machine<KeyServerConfig, KeyServerState, KeyServerInput, KeyServerOutput> =
  {
    name: "group-keying.key-server",
    phases: KEY_SERVER_PHASES,
    transitions: KEY_SERVER_TRANSITIONS,
    init,
    step: guarded,
  };
