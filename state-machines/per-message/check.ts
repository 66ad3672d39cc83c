/**
 * The checks a received message goes through, in the order of PD-229: the
 * first failure is the answer, and nothing is changed by a refusal.
 *
 * 1. decoding (malformed, unknown-element, unsupported-version);
 * 2. addressing: the sender inside equals the stamped sender and the
 *    configured peer, the recipient inside equals us;
 * 3. time within the window; 4. replay (receive_state.ts);
 * 5. confidentiality required; 6. the signer's certificate: carried (its
 *    digest must be the signed `signer`) or held, validated now, carrying
 *    the sender's JID, of the signature's algorithm;
 * 7. the signature; 8. the recipient certificate named and, when
 *    encrypted, the key share and the AES-GCM tag.
 *
 * @module
 */
import { constantTimeEqual, toHex } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { fail, ok, type Result } from "../../core/errors.ts";
import { sameBareJid } from "../a-profile/context.ts";
import { PerMessageError } from "./errors.ts";
import { validatePeer } from "./peer.ts";
import { replayRefusal } from "./receive_state.ts";
import { certificateDigest, decryptBody } from "./seal.ts";
import type { PeerCertificate, PerMessageState } from "./types.ts";
import { decode, signedBytes, type SignedMessage } from "./wire.ts";

export interface Accepted {
  readonly message: SignedMessage;
  readonly peer: PeerCertificate;
  readonly payload: Uint8Array;
}

/** Every check of PD-229, in order; the first failure is the answer. */
// spec: PD-229 PAPER-R2 PAPER-R4a PAPER-R6a PAPER-AS3 RFC3923-6-names RFC3923-6-timestamps RFC3923-7
export function check(
  s: PerMessageState,
  element: Parameters<typeof decode>[0],
  from: string | undefined,
  now: number,
): Result<Accepted> {
  const ctx = s.ctx;
  const d = decode(element);
  if (!d.ok) return d;
  const m = d.value;
  const h = m.header;
  if (!sameBareJid(h.from, from)) {
    return fail(PerMessageError["sender-mismatch"], `stamped ${from ?? "nothing"}`);
  }
  if (!sameBareJid(h.from, ctx.peerJid)) return fail(PerMessageError["unexpected-peer"], h.from);
  if (!sameBareJid(h.to, ctx.localJid)) return fail(PerMessageError["wrong-recipient"], h.to);
  if (Math.abs(h.time - now) > ctx.policy.timestampWindowMs) {
    return fail(PerMessageError["stale-timestamp"], `time ${h.time - now} ms from local time`);
  }
  const replay = replayRefusal(s.recv, h, ctx.policy);
  if (replay) return fail(replay, `sid ${toHex(h.sid)} seq ${h.seq}`);
  if (ctx.policy.requireEncryption && !h.epk) {
    return fail(PerMessageError["confidentiality-required"], "unencrypted message");
  }
  const signer = toHex(h.signer);
  let peer: PeerCertificate;
  if (m.chain.length > 0) {
    if (toHex(certificateDigest(ctx.suite, m.chain[0])) !== signer) {
      return fail(PerMessageError["certificate-mismatch"], "carried certificate is not the signer");
    }
    const v = validatePeer(ctx, m.chain, now, s.peer);
    if (!v.ok) return v;
    peer = v.value;
  } else {
    if (!s.peer || s.peer.digest !== signer) {
      return fail(PerMessageError["unknown-certificate"], `signer ${signer.slice(0, 16)}...`);
    }
    // spec: PAPER-M7
    const v = validatePeer(ctx, s.peer.chain, now, s.peer);
    if (!v.ok) return v;
    peer = v.value;
  }
  if (peer.identity.suite !== h.suite) {
    return fail(
      PerMessageError["algorithm-mismatch"],
      `${h.suite} by a ${peer.identity.suite} key`,
    );
  }
  const sig = getSuite(h.suite).sig;
  if (!sig.verify(peer.identity.publicKey, signedBytes(m), m.signature)) {
    return fail(PerMessageError["bad-signature"], `seq ${h.seq}`);
  }
  if (h.rcpt && !constantTimeEqual(h.rcpt, ctx.digest)) {
    return fail(
      PerMessageError["wrong-recipient"],
      "encrypted or addressed to another certificate",
    );
  }
  if (!h.epk) return ok({ message: m, peer, payload: m.body });
  if (!h.rcpt) return fail(PerMessageError["wrong-recipient"], "encrypted without naming us");
  if (!ctx.agree) return fail(PerMessageError["bad-ciphertext"], "no key agreement configured");
  const opened = decryptBody(ctx.suite, ctx.agree, ctx.kexPublic, h, m.body);
  if (opened.badKey) return fail(PerMessageError["bad-key-share"], "ephemeral key refused");
  if (!opened.plaintext) return fail(PerMessageError["bad-ciphertext"], `seq ${h.seq}`);
  return ok({ message: m, peer, payload: opened.plaintext });
}
