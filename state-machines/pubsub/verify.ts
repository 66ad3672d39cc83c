/**
 * How a subscriber decides whether a tariff is the market operator's, and
 * new (PAPER-AS4; PD-158). The XMPP server carries tariffs but is trusted
 * for nothing about them (PAPER-TA5): it could drop one, but neither forge,
 * alter, re-address nor replay one unnoticed.
 *
 * Order of checks, each failure with its own code:
 * 1. the envelope and body parse (`tariff/malformed`, `tariff/oversize`);
 * 2. a signature is present (`tariff/unsigned`);
 * 3. the signer chain validates against the subscriber's anchors and CRLs
 *    at `now`, with a key of an allowed suite (`tariff/untrusted-signer`);
 * 4. the certificate names the configured market operator, and carries
 *    the configured role, if any (`tariff/wrong-signer`);
 * 5. the signature over label ‖ body verifies (`tariff/bad-signature`),
 *    and the signed body names the same market (`tariff/wrong-signer`);
 * 6. the body's node is ours (`tariff/wrong-node`) and the item id the
 *    server delivered is the signed id (`tariff/id-mismatch`);
 * 7. the window has not ended (`tariff/expired`) and the tariff is not
 *    issued in the future beyond the skew (`tariff/from-future`);
 * 8. the sequence number is above every one accepted before
 *    (`tariff/replay` when equal, `tariff/rollback` when lower).
 *
 * @module
 */
import type { SuiteId } from "../../core/crypto/suite.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { DerlinkError, fail, ok, type Result } from "../../core/errors.ts";
import { bareJid } from "../group-keying/jid.ts";
import { PkiError } from "../../core/pki/errors.ts";
import type { CertificateDer, ValidateChain } from "../../core/pki/types.ts";
import { decodeEnvelope, signedBytes } from "./envelope.ts";
import { TariffError } from "./errors.ts";
import { decodeTariff, type Tariff, validUntil } from "./tariff.ts";

/** What a subscriber checks a tariff against. */
export interface TariffPolicy {
  /** Bare JID of the only market operator whose tariffs count. */
  readonly market: string;
  /** Our pubsub node. */
  readonly node: string;
  readonly anchors: readonly CertificateDer[];
  readonly crls?: readonly Uint8Array[];
  readonly validateChain: ValidateChain;
  /** Suites the signer's key may belong to (default all three). */
  readonly allowedSuites?: readonly SuiteId[];
  /** A role the operator's certificate must carry (PD-81 roles), if set. */
  readonly requiredRole?: string;
  /** How far ahead of our clock issuedAt may be, ms (default 60 s). */
  readonly maxSkewMs?: number;
}

export interface TariffCheck {
  readonly now: number;
  /** Highest sequence number accepted so far (0: none). */
  readonly lastSeq: number;
  /** The pubsub item id the tariff arrived under, if any. */
  readonly itemId?: string;
}

const ALL_SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];

function parse(envelope: Uint8Array) {
  const e = decodeEnvelope(envelope);
  return { e, t: decodeTariff(e.body) };
}

/** Verifies a tariff envelope; never throws. */
// spec: PAPER-AS4 PAPER-TA5 PD-158
export function verifyTariff(
  envelope: Uint8Array,
  policy: TariffPolicy,
  check: TariffCheck,
): Result<Tariff> {
  let parsed;
  try {
    parsed = parse(envelope);
  } catch (e) {
    if (e instanceof DerlinkError) return fail(e.code, e.detail);
    return fail(TariffError.malformed, "envelope");
  }
  const { e, t } = parsed;
  if (e.signature.length === 0 || e.chain.length === 0) {
    return fail(TariffError.unsigned, "no signature or no signer certificate");
  }
  // spec: PD-158 PAPER-M2
  const checked = policy.validateChain(e.chain, {
    anchors: policy.anchors,
    now: check.now,
    crls: policy.crls,
    expectedJid: policy.market,
    allowedSuites: policy.allowedSuites ?? ALL_SUITES,
  });
  if (!checked.ok) {
    const code = checked.error.code === PkiError["wrong-identity"]
      ? TariffError["wrong-signer"]
      : TariffError["untrusted-signer"];
    return fail(code, checked.error.code);
  }
  const signer = checked.value;
  // spec: PD-158
  if (policy.requiredRole !== undefined && !signer.roles.includes(policy.requiredRole)) {
    return fail(TariffError["wrong-signer"], `certificate lacks role ${policy.requiredRole}`);
  }
  // spec: PAPER-AS4 PD-157
  if (!getSuite(signer.suite).sig.verify(signer.publicKey, signedBytes(e.body), e.signature)) {
    return fail(TariffError["bad-signature"], `tariff ${t.id}`);
  }
  if (bareJid(t.market) !== bareJid(policy.market)) {
    return fail(TariffError["wrong-signer"], "the body names another market");
  }
  // spec: PD-158
  if (t.node !== policy.node) return fail(TariffError["wrong-node"], t.node);
  if (check.itemId !== undefined && check.itemId !== t.id) {
    return fail(TariffError["id-mismatch"], `item ${check.itemId} carries ${t.id}`);
  }
  if (check.now >= validUntil(t)) return fail(TariffError.expired, `ended ${validUntil(t)}`);
  if (t.issuedAt > check.now + (policy.maxSkewMs ?? 60_000)) {
    return fail(TariffError["from-future"], `issued ${t.issuedAt}`);
  }
  if (t.seq === check.lastSeq) return fail(TariffError.replay, `seq ${t.seq}`);
  if (t.seq < check.lastSeq) return fail(TariffError.rollback, `seq ${t.seq} < ${check.lastSeq}`);
  return ok(t);
}
