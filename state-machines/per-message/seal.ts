/**
 * The cryptography of one protected message: certificate digests, the key
 * agreement key of a certificate key, and ECDH-ES encryption of the body.
 *
 * Encryption (PD-228): the sender draws an ephemeral key pair of the
 * recipient's curve for this message only, agrees with the recipient's
 * certificate key (P-256 / brainpoolP256r1: the same scalar; Ed25519: its
 * X25519 form by the birational map, RFC 7748 §4.1), and derives
 *
 *   key ‖ nonce = HKDF-SHA-256(IKM = ECDH secret, salt = epk ‖ recipient public key,
 *                              info = "derlink per-message v0 ecdh-es" ‖ SHA-256(header), 44)
 *
 * then seals the body with AES-256-GCM, the header as additional data.
 * The header names sender, recipient, both certificates and the ephemeral
 * key, so a ciphertext re-signed by someone else no longer opens (the known
 * weakness of encrypt-then-sign). Key and nonce are used once.
 *
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { concat, utf8 } from "../../core/bytes.ts";
import { getSuite, type ProviderChoice, type Suite } from "../../core/crypto/suite.ts";
import type { EntropySource } from "../../core/entropy.ts";
import { isDerlinkError } from "../../core/errors.ts";
import type { LocalSigner } from "../a-profile/types.ts";
import type { KeyAgreementFn } from "./types.ts";
import { type Header, headerBytes } from "./wire.ts";

const INFO = utf8("derlink per-message v0 ecdh-es");
const KEY_BYTES = 32;
const NONCE_BYTES = 12;

/** SHA-256 of a certificate: how messages name signer and recipient. */
export const certificateDigest = (suite: Suite, der: Uint8Array): Uint8Array =>
  suite.hash.digest(der);

/** The key agreement public key of a certificate key of `suite`. */
// spec: PD-228
export function kexPublicOf(suite: Suite, certificateKey: Uint8Array): Uint8Array {
  return suite.id === "x25519-ed25519"
    ? ed25519.utils.toMontgomery(certificateKey)
    : certificateKey;
}

/** Key agreement with our certificate key, in process (the default; an HSM would hold the key). */
export function localAgreement(
  key: LocalSigner,
  provider: ProviderChoice = "default",
): KeyAgreementFn {
  const kex = getSuite(key.suite, provider).kex;
  const secret = key.suite === "x25519-ed25519"
    ? ed25519.utils.toMontgomerySecret(key.privateKey)
    : key.privateKey;
  return (peerPublic) => kex.agree(secret, peerPublic);
}

function keys(suite: Suite, shared: Uint8Array, epk: Uint8Array, recipient: Uint8Array, h: Header) {
  const okm = suite.kdf.hkdf(
    shared,
    concat(epk, recipient),
    concat(INFO, suite.hash.digest(headerBytes(h))),
    KEY_BYTES + NONCE_BYTES,
  );
  return { key: okm.subarray(0, KEY_BYTES), nonce: okm.subarray(KEY_BYTES) };
}

/** A fresh ephemeral key pair of the suite's curve. */
export const ephemeral = (suite: Suite, entropy: EntropySource) => suite.kex.generate(entropy);

/** Encrypts `plaintext` to `recipient` (its key agreement public key); `h` carries `epk` already. */
// spec: PD-228 PAPER-R6a
export function encryptBody(
  suite: Suite,
  ephemeralPrivate: Uint8Array,
  recipient: Uint8Array,
  h: Header,
  plaintext: Uint8Array,
): Uint8Array {
  const shared = suite.kex.agree(ephemeralPrivate, recipient);
  const k = keys(suite, shared, h.epk!, recipient, h);
  return suite.aead.seal(k.key, k.nonce, plaintext, headerBytes(h));
}

/** Decrypts a body sent to us; undefined when the key share is refused or the tag fails. */
export function decryptBody(
  suite: Suite,
  agree: KeyAgreementFn,
  ourPublic: Uint8Array,
  h: Header,
  body: Uint8Array,
): { plaintext?: Uint8Array; badKey?: true } {
  let shared: Uint8Array;
  try {
    suite.kex.checkPublicKey(h.epk!);
    shared = agree(h.epk!);
  } catch (e) {
    if (isDerlinkError(e)) return { badKey: true };
    throw e;
  }
  const k = keys(suite, shared, h.epk!, ourPublic, h);
  try {
    return { plaintext: suite.aead.open(k.key, k.nonce, body, headerBytes(h)) };
  } catch (e) {
    if (isDerlinkError(e)) return {};
    throw e;
  }
}
