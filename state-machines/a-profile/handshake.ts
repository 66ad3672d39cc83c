/**
 * The handshake as pure functions both machines call: building the
 * initiator's request, checking it at the responder, building the response,
 * checking it at the initiator, and deriving the session keys.
 *
 * The order of the checks is part of the profile (PD-96): the first failing
 * check names the code, so a given message always gets the same refusal.
 * Responder: time, intended responder, replay, chain, sender identity,
 * signature, suite, mode, key share. Initiator: association, echoed nonce,
 * time, chain, identity, signature, mode and suite, key share.
 *
 * @module
 */
import { constantTimeEqual, toHex } from "../../core/bytes.ts";
import { fail, isDerlinkError, ok, type Result } from "../../core/errors.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import type { PeerIdentity } from "../../core/pki/types.ts";
import { type Context, hashOf, sameBareJid, suiteOf, validatePeer } from "./context.ts";
import { AProfileError } from "./errors.ts";
import { initialSecrets } from "./keyschedule.ts";
import { isReplay } from "./replay_cache.ts";
import { drawBytes, drawSource, type Rng } from "./rng.ts";
import { newSession, type Session } from "./session.ts";
import {
  ASSOCIATION_BYTES,
  NONCE_BYTES,
  type Offer,
  PROTOCOL_VERSION,
  requestTbs,
  type RequestToken,
  responseTbs,
  type ResponseToken,
  type SignedRequest,
  type SignedResponse,
  transcriptHash,
} from "./tokens.ts";
import { isConfidential, type ModeId, type ReplayCacheState } from "./types.ts";

/** The initiator's request before and after signing, with its ephemeral private keys. */
export interface PendingRequest {
  readonly token: RequestToken;
  /** Secret: one ephemeral private key per offered suite, in offer order. */
  readonly ephemerals: readonly Uint8Array[];
}

/** A fresh request token: new association id, nonce and one ephemeral key per allowed suite. */
// spec: PAPER-M3 PD-86
export function newRequest(
  ctx: Context,
  rng0: Rng,
  now: number,
): { pending: PendingRequest; rng: Rng } {
  let rng = rng0;
  const [association, r1] = drawBytes(rng, ASSOCIATION_BYTES);
  const [nonce, r2] = drawBytes(r1, NONCE_BYTES);
  rng = r2;
  const offers: Offer[] = [];
  const ephemerals: Uint8Array[] = [];
  for (const suite of ctx.policy.suites) {
    const [source, next] = drawSource(rng);
    rng = next;
    const pair = suiteOf(ctx, suite).kex.generate(source);
    offers.push({ suite, key: pair.publicKey });
    ephemerals.push(pair.privateKey);
  }
  const token: RequestToken = {
    version: PROTOCOL_VERSION,
    association,
    time: now,
    nonce,
    responder: ctx.peerJid!,
    signatureSuite: ctx.signatureSuite,
    offers,
    modes: ctx.modes,
    chain: ctx.chain,
  };
  return { pending: { token, ephemerals }, rng };
}

/** Signature check shared by both directions: algorithm named = certificate key's, then verify. */
// spec: PAPER-R2 PAPER-M3
function checkSignature(
  ctx: Context,
  identity: PeerIdentity,
  named: SuiteId,
  tbs: Uint8Array,
  signature: Uint8Array,
): Result<true> {
  if (identity.suite !== named) {
    return fail(
      AProfileError["bad-signature"],
      `token names ${named}, certificate key is ${identity.suite}`,
    );
  }
  const checked = suiteOf(ctx, identity.suite).sig.check(identity.publicKey, tbs, signature);
  return checked.ok ? checked : fail(AProfileError["bad-signature"], checked.error.code);
}

function checkKeyShare(ctx: Context, suite: SuiteId, key: Uint8Array): Result<true> {
  try {
    suiteOf(ctx, suite).kex.checkPublicKey(key);
    return ok(true);
  } catch (e) {
    if (isDerlinkError(e)) return fail(AProfileError["bad-key-share"], e.code);
    throw e;
  }
}

// spec: PD-86
const stale = (ctx: Context, time: number, now: number) =>
  Math.abs(time - now) > ctx.policy.timestampWindowMs;

/** What the responder decided about an acceptable request. */
export interface AcceptedRequest {
  readonly request: SignedRequest;
  readonly identity: PeerIdentity;
  readonly suite: SuiteId;
  readonly mode: ModeId;
  /** Index of the chosen offer. */
  readonly offer: number;
}

/**
 * The responder's checks of a request. `currentPeer` is set during a
 * re-handshake: the new request must come from the same identity.
 */
// spec: PAPER-R2 PAPER-TA2 PD-86 PD-92 PD-96
export function checkRequest(
  ctx: Context,
  cache: ReplayCacheState,
  request: SignedRequest,
  from: string | undefined,
  now: number,
  currentPeer?: string,
): Result<AcceptedRequest> {
  const t = request.token;
  if (stale(ctx, t.time, now)) {
    return fail(
      AProfileError["stale-timestamp"],
      `request time ${t.time - now} ms from local time`,
    );
  }
  if (!sameBareJid(t.responder, ctx.localJid)) {
    return fail(AProfileError["wrong-peer"], "the request names another responder");
  }
  if (isReplay(cache, toHex(t.nonce), t.time)) {
    return fail(AProfileError.replay, "request nonce already seen or older than the cache floor");
  }
  const validated = validatePeer(ctx, t.chain, now);
  if (!validated.ok) return validated;
  const identity = validated.value;
  // spec: PAPER-TA1 PAPER-R2
  if (from !== undefined && !sameBareJid(identity.jid, from)) {
    return fail(AProfileError["wrong-peer"], "certificate JID differs from the stanza sender");
  }
  if (ctx.acceptPeers && !ctx.acceptPeers.some((p) => sameBareJid(p, identity.jid))) {
    return fail(AProfileError["wrong-peer"], "peer not in the accepted list");
  }
  if (currentPeer !== undefined && !sameBareJid(currentPeer, identity.jid)) {
    return fail(AProfileError["wrong-peer"], "a re-handshake must come from the same peer");
  }
  const sig = checkSignature(ctx, identity, t.signatureSuite, requestTbs(t), request.signature);
  if (!sig.ok) return sig;
  // spec: PD-89
  const offer = t.offers.findIndex((o) => ctx.policy.suites.includes(o.suite));
  if (offer < 0) {
    return fail(
      AProfileError["no-common-suite"],
      t.offers.map((o) => o.suite).join(","),
    );
  }
  const mode = t.modes.find((m) => ctx.modes.includes(m));
  if (mode === undefined) {
    // spec: PAPER-R6a
    const onlyIntegrity = t.modes.every((m) => !isConfidential(m));
    return onlyIntegrity && ctx.policy.requireConfidentiality
      ? fail(AProfileError["confidentiality-required"], "only integrity-only protection offered")
      : fail(AProfileError["no-common-mode"], t.modes.join(","));
  }
  const suite = t.offers[offer].suite;
  const share = checkKeyShare(ctx, suite, t.offers[offer].key);
  if (!share.ok) return share;
  return ok({ request, identity, suite, mode, offer });
}

/** The responder's token (to be signed) and the session it implies. */
export function buildResponse(
  ctx: Context,
  accepted: AcceptedRequest,
  rng0: Rng,
  now: number,
): { token: ResponseToken; tbs: Uint8Array; session: Session; rng: Rng } {
  const suite = suiteOf(ctx, accepted.suite);
  const req = accepted.request.token;
  const [nonce, r1] = drawBytes(rng0, NONCE_BYTES);
  const [source, rng] = drawSource(r1);
  const pair = suite.kex.generate(source);
  const token: ResponseToken = {
    version: PROTOCOL_VERSION,
    association: req.association,
    time: now,
    nonce,
    echo: req.nonce,
    suite: accepted.suite,
    mode: accepted.mode,
    key: pair.publicKey,
    signatureSuite: ctx.signatureSuite,
    chain: ctx.chain,
  };
  const shared = suite.kex.agree(pair.privateKey, req.offers[accepted.offer].key);
  const secrets = initialSecrets(suite.kdf, shared, transcriptHash(hashOf(ctx), req, token));
  return {
    token,
    tbs: responseTbs(hashOf(ctx), req, token),
    session: newSession(suite, accepted.mode, req.association, "r2i", secrets, now),
    rng,
  };
}

/** The initiator's checks of a response, and its session when they pass. */
// spec: PAPER-R2 PAPER-M3 PD-86 PD-89 PD-96
export function checkResponse(
  ctx: Context,
  pending: PendingRequest,
  response: SignedResponse,
  from: string | undefined,
  now: number,
): Result<{ identity: PeerIdentity; session: Session }> {
  const req = pending.token;
  const t = response.token;
  if (!constantTimeEqual(t.association, req.association)) {
    return fail(AProfileError["association-mismatch"], "response to another association");
  }
  if (!constantTimeEqual(t.echo, req.nonce)) {
    return fail(AProfileError["nonce-mismatch"], "response does not echo our nonce");
  }
  if (stale(ctx, t.time, now)) {
    return fail(
      AProfileError["stale-timestamp"],
      `response time ${t.time - now} ms from local time`,
    );
  }
  const validated = validatePeer(ctx, t.chain, now);
  if (!validated.ok) return validated;
  const identity = validated.value;
  // spec: PAPER-R2 PAPER-TA2
  if (!sameBareJid(identity.jid, ctx.peerJid)) {
    return fail(AProfileError["wrong-peer"], "responder certificate names another JID");
  }
  if (from !== undefined && !sameBareJid(from, ctx.peerJid)) {
    return fail(AProfileError["wrong-peer"], "response from another sender");
  }
  const hash = hashOf(ctx);
  const sig = checkSignature(
    ctx,
    identity,
    t.signatureSuite,
    responseTbs(hash, req, t),
    response.signature,
  );
  if (!sig.ok) return sig;
  // spec: PAPER-R6a
  if (!isConfidential(t.mode) && ctx.policy.requireConfidentiality) {
    return fail(AProfileError["confidentiality-required"], "responder chose integrity-only");
  }
  // spec: PD-89
  const offer = req.offers.findIndex((o) => o.suite === t.suite);
  if (offer < 0 || !ctx.policy.suites.includes(t.suite)) {
    return fail(AProfileError.downgrade, `suite ${t.suite} was not offered`);
  }
  if (!req.modes.includes(t.mode) || !ctx.modes.includes(t.mode)) {
    return fail(AProfileError.downgrade, `mode ${t.mode} was not offered`);
  }
  const share = checkKeyShare(ctx, t.suite, t.key);
  if (!share.ok) return share;
  const suite = suiteOf(ctx, t.suite);
  const shared = suite.kex.agree(pending.ephemerals[offer], t.key);
  const secrets = initialSecrets(suite.kdf, shared, transcriptHash(hashOf(ctx), req, t));
  return ok({ identity, session: newSession(suite, t.mode, req.association, "i2r", secrets, now) });
}
