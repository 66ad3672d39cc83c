/**
 * The peer's certificate: validation through core/pki at the time of use,
 * the JID it must carry, and what encryption to it needs (PD-228).
 *
 * @module
 */
import { KeyUsageFlags } from "@peculiar/asn1-x509";
import { toHex } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { fail, ok, type Result } from "../../core/errors.ts";
import { Memo } from "../../core/pki/memo.ts";
import { parseCertificate } from "../../core/pki/parse.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { sameBareJid } from "../a-profile/context.ts";
import { PerMessageError } from "./errors.ts";
import { certificateDigest, kexPublicOf } from "./seal.ts";
import type { Context, PeerCertificate, PerMessageState } from "./types.ts";

/** Validates a peer chain at `now`; the end entity must carry the peer's JID. */
// spec: PAPER-M2 PAPER-TA2 RFC3923-6-names
// Parsing a certificate costs about a millisecond and validation parsed it already (in the pki
// memo, which is not exported): remember the one bit we need, by certificate digest.
const keyAgreement = new Memo<boolean>(1024);

/** Empties the keyAgreement memo (benchmarks use it with clearPkiMemo to measure cold paths). */
export const clearPeerMemo = (): void => keyAgreement.clear();

/** Whether a certificate carries keyUsage keyAgreement (memoised by its digest). */
export function keyAgreementOf(digest: string, der: CertificateDer): boolean {
  return keyAgreement.get(digest, () => {
    const parsed = parseCertificate(der);
    const usage = parsed.ok ? parsed.value.extensions.keyUsage ?? 0 : 0;
    return (usage & KeyUsageFlags.keyAgreement) !== 0;
  });
}

// spec: PD-232
export function validatePeer(
  ctx: Context,
  chain: readonly CertificateDer[],
  now: number,
  known?: PeerCertificate,
): Result<PeerCertificate> {
  const r = ctx.validateChain(chain, {
    anchors: ctx.anchors,
    now,
    crls: ctx.crls,
    requiredEku: ctx.policy.requiredEku,
    allowedSuites: ctx.policy.certificateSuites,
    requireCrl: ctx.policy.requireCrl,
  });
  if (!r.ok) return r;
  if (!sameBareJid(r.value.jid, ctx.peerJid)) {
    return fail(PerMessageError["wrong-signer"], `certificate names ${r.value.jid ?? "no JID"}`);
  }
  const suite = getSuite(r.value.suite);
  const digest = toHex(certificateDigest(suite, chain[0]));
  // The same certificate as before: what was derived from it still holds.
  if (known && known.digest === digest) return ok({ ...known, chain, identity: r.value });
  return ok({
    chain,
    identity: r.value,
    digest,
    kexPublic: kexPublicOf(suite, r.value.publicKey),
    keyAgreement: keyAgreementOf(digest, chain[0]),
  });
}

/** The peer certificate to encrypt to, validated now. */
// spec: PD-228 PD-232 RFC3923-6-retrieval RFC5280-4.2.1.3
export function recipient(s: PerMessageState, now: number): Result<PeerCertificate> {
  const chain = s.peer?.chain ?? s.provisioned;
  if (!chain) {
    return fail(PerMessageError["no-recipient-certificate"], "no certificate of the peer");
  }
  const peer = validatePeer(s.ctx, chain, now, s.peer);
  if (!peer.ok) {
    return fail(
      PerMessageError["no-recipient-certificate"],
      `peer certificate: ${peer.error.code}`,
    );
  }
  if (s.ctx.policy.requireKeyAgreementUsage && !peer.value.keyAgreement) {
    return fail(PerMessageError["recipient-key-usage"], "the peer certificate lacks keyAgreement");
  }
  return peer;
}
