/**
 * The key server's half of a registration (GROUPKEY-PULL style, RFC 6407
 * §3.2, run over XMPP instead of an IKE phase 1; PD-111):
 *
 * 1. request (Ni, claimed JID, suite) → challenge: Nr, an ephemeral ECDH
 *    share, the key server's chain and the group policy, signed;
 * 2. proof (Ni, Nr, the member's share and chain, signed) → the chain is
 *    validated, its JID must be the claimed one and the stanza sender, the
 *    signature must verify, the policy must admit the JID (RFC 6407 §3.3
 *    authorisation); then the member is admitted: it joins the tree in a
 *    rekey — its own, or one for a batch of joins (PD-267) — and gets its
 *    key download sealed under a key only it and the server can derive
 *    (key_server_admission.ts).
 *
 * A refused proof leaves the registration pending, so a forged proof cannot
 * cancel a genuine one; a completed registration cannot be replayed.
 *
 * @module
 */
import { concat, toHex } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { bareJid } from "./jid.ts";
import { downloadKey, transcriptHash } from "./key_download.ts";
import { admit } from "./key_server_admission.ts";
import { signWith } from "./key_server_rekey.ts";
import {
  type KeyServerOutput,
  type KeyServerState,
  KS_DEFAULTS,
  type PendingRegistration,
} from "./key_server_types.ts";
import {
  challengeBody,
  NONCE_LENGTH,
  type PullProof,
  type PullRequest,
  SIGNATURE_LABEL,
  withSignature,
} from "./messages.ts";
import { groupInfoOf, mayJoin } from "./policy.ts";

type Step = { state: KeyServerState; out: KeyServerOutput[] };

const timeoutOf = (s: KeyServerState) =>
  s.config.registrationTimeoutMs ?? KS_DEFAULTS.registrationTimeoutMs;

/** Drops registrations that timed out. */
export function purgePending(state: KeyServerState, now: number): KeyServerState {
  const timeout = timeoutOf(state);
  const live = Object.entries(state.pending).filter(([, p]) => now - p.created <= timeout);
  if (live.length === Object.keys(state.pending).length) return state;
  return { ...state, pending: Object.fromEntries(live) };
}

/** Message 1 → message 2. */
// spec: RFC6407-3 PD-111
export function onRequest(
  state: KeyServerState,
  m: PullRequest,
  raw: Uint8Array,
  from: string | undefined,
  now: number,
): Step {
  const { config, suite } = state;
  if (m.suite !== config.policy.suite) {
    throw new DerlinkError(GdoiError["unsupported-suite"], m.suite);
  }
  if (m.ni.length !== NONCE_LENGTH) throw new DerlinkError(GdoiError.malformed, "Ni length");
  // spec: RFC6407-3.authn
  if (from !== undefined && bareJid(from) !== bareJid(m.jid)) {
    throw new DerlinkError(GdoiError["identity-mismatch"], "the request names another JID");
  }
  const purged = purgePending(state, now);
  if (Object.keys(purged.pending).length >= (config.maxPending ?? KS_DEFAULTS.maxPending)) {
    throw new DerlinkError(GdoiError["too-many-pending"], "");
  }
  const nr = config.entropy.bytes(NONCE_LENGTH);
  const eph = suite.kex.generate(config.entropy);
  const body = challengeBody({
    groupId: config.policy.groupId,
    ni: m.ni,
    nr,
    keyShare: eph.publicKey,
    chain: config.chain,
    info: groupInfoOf(config.policy),
  });
  const signature = signWith(
    state,
    concat(SIGNATURE_LABEL.challenge, transcriptHash(suite, raw), body),
  );
  const challenge = withSignature(body, signature);
  const pending: PendingRegistration = {
    jid: bareJid(m.jid),
    ni: m.ni,
    request: raw,
    challenge,
    ephemeral: eph.privateKey,
    created: now,
  };
  return {
    state: { ...purged, now, pending: { ...purged.pending, [toHex(nr)]: pending } },
    out: [{ type: "send", to: pending.jid, message: "challenge", data: challenge }],
  };
}

/** Message 3 → admission; message 4 follows with the rekey that joins the member. */
// spec: RFC6407-3 RFC6407-3.authn RFC6407-3.authz PAPER-M5
export function onProof(
  state: KeyServerState,
  m: PullProof,
  raw: Uint8Array,
  signed: Uint8Array,
  from: string | undefined,
  now: number,
): Step {
  const { config, suite } = state;
  const id = toHex(m.nr);
  const p = state.pending[id];
  if (!p) {
    throw new DerlinkError(
      state.completed.includes(id)
        ? GdoiError["registration-replay"]
        : GdoiError["unknown-registration"],
      "",
    );
  }
  // spec: RFC6407-3.nonce
  if (toHex(m.ni) !== toHex(p.ni)) throw new DerlinkError(GdoiError["nonce-mismatch"], "Ni");
  if (now - p.created > timeoutOf(state)) {
    throw new DerlinkError(GdoiError["registration-expired"], "");
  }
  if (from !== undefined && bareJid(from) !== p.jid) {
    throw new DerlinkError(GdoiError["identity-mismatch"], "sender is not the registering JID");
  }
  // spec: PD-112 RFC6407-3.authn
  const checked = config.validateChain(m.chain, {
    anchors: config.anchors,
    now,
    crls: config.crls,
    expectedJid: p.jid,
    requiredEku: config.requiredEku,
    allowedSuites: [config.policy.suite],
  });
  if (!checked.ok) throw checked.error;
  const peer = checked.value;
  if (peer.jid === undefined || bareJid(peer.jid) !== p.jid) {
    throw new DerlinkError(GdoiError["identity-mismatch"], "certificate JID");
  }
  const transcript = concat(
    SIGNATURE_LABEL.proof,
    transcriptHash(suite, p.request, p.challenge),
    signed,
  );
  if (!suite.sig.verify(peer.publicKey, transcript, m.signature)) {
    throw new DerlinkError(GdoiError["bad-signature"], "registration proof");
  }
  // spec: RFC6407-3.authz PAPER-M5
  if (!mayJoin(config.policy, p.jid)) throw new DerlinkError(GdoiError["not-authorized"], p.jid);
  try {
    suite.kex.checkPublicKey(m.keyShare);
  } catch (e) {
    throw new DerlinkError(GdoiError["bad-key-share"], e instanceof Error ? e.message : "");
  }
  const secret = suite.kex.agree(p.ephemeral, m.keyShare);
  const sessionKey = downloadKey(
    suite,
    secret,
    p.ni,
    m.nr,
    transcriptHash(suite, p.request, p.challenge, raw),
  );
  const { [id]: _done, ...pending } = state.pending;
  const completed = [...state.completed, id].slice(-KS_DEFAULTS.completedMemory);
  // The member joins in its own rekey at once, or in the next batch (PD-267); a member
  // registering again (a restarted device) leaves its old leaf in that rekey (PD-123).
  // spec: PD-267 PD-123
  return admit(
    { ...state, pending, completed },
    { id, jid: p.jid, ni: p.ni, nr: m.nr, sessionKey, at: now },
    now,
  );
}
