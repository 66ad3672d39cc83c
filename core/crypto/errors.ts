/**
 * Error codes of the crypto area.
 *
 * Every refusal of a key, point, signature, nonce or ciphertext carries one
 * of these codes, whichever provider did the arithmetic, so vectors and
 * conformance reports can compare them as strings.
 *
 * @module
 */
import { defineErrorCodes } from "../errors.ts";

export const CryptoError = defineErrorCodes("crypto", {
  "unknown-suite": "no cipher suite has this identifier",
  "unsupported": "the chosen provider implements none of this suite's public-key operations",
  "invalid-key-length": "a private, public or symmetric key has the wrong number of bytes",
  "invalid-private-key": "a private scalar is zero or not below the group order",
  "invalid-point-encoding":
    "a public key is not in the accepted encoding (uncompressed SEC 1, canonical Edwards y)",
  "point-not-on-curve": "a public key's coordinates do not satisfy the curve equation",
  "point-at-infinity": "a public key is the identity element",
  "small-order-point":
    "a public key has small order (X25519 all-zero output, Ed25519 torsion point)",
  "signature-encoding": "a signature is not strict DER (ECDSA) or not 64 canonical bytes (Ed25519)",
  "signature-out-of-range": "ECDSA r or s is zero or not below n, or Ed25519 S is not below L",
  "signature-mismatch": "a well-formed signature does not verify for this key and message",
  "invalid-nonce-length": "an AES-GCM nonce is not 12 bytes",
  "aead-auth-failed": "an AES-GCM ciphertext failed authentication (tag, data or key changed)",
  "invalid-length": "a requested output length is outside what the function allows",
});
