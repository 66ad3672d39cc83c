/**
 * Error codes of the PKI area: every reason a certificate chain, a trust
 * anchor or a CRL is refused. Validation reports the first failure it meets,
 * in the order validate.ts documents, so a given chain and policy always
 * yield the same code.
 *
 * @module
 */
import { defineErrorCodes } from "../errors.ts";

export const PkiError = defineErrorCodes("pki", {
  "malformed":
    "a certificate is not DER, not X.509 v3, or an extension it carries cannot be decoded",
  "unsupported-algorithm":
    "a key or signature algorithm is not one of the suites' (ECDSA P-256 / brainpoolP256r1 with SHA-256, Ed25519)",
  "invalid-key":
    "a certificate's public key is refused by its suite (not on the curve, wrong encoding)",
  "invalid-anchor":
    "a trust anchor of the policy cannot be parsed or uses an unsupported algorithm",
  "untrusted":
    "no issuer for a certificate of the chain is among the intermediates or trust anchors",
  "bad-signature": "a certificate's signature does not verify with its issuer's public key",
  "expired": "the validation time is after a certificate's notAfter",
  "not-yet-valid": "the validation time is before a certificate's notBefore",
  "not-a-ca": "an issuing certificate lacks basicConstraints with cA set",
  "path-too-long": "the path exceeds a pathLenConstraint or derlink's maximum depth",
  "key-usage":
    "keyUsage is absent or lacks the bit the certificate's role needs (digitalSignature, keyCertSign, cRLSign)",
  "extended-key-usage": "the end entity lacks an extended key usage the policy requires",
  "unknown-critical-extension":
    "a certificate or CRL has a critical extension derlink does not process",
  "revoked": "a certificate's serial number is listed on a valid CRL of its issuer",
  "crl-missing": "the policy requires revocation status and no CRL of the issuer was supplied",
  "crl-malformed": "a supplied CRL is not DER, not v2, lacks nextUpdate, or cannot be decoded",
  "crl-bad-signature": "a CRL's signature does not verify with its issuer's public key",
  "crl-expired": "the validation time is after a CRL's nextUpdate",
  "crl-not-yet-valid": "the validation time is before a CRL's thisUpdate",
  "wrong-identity": "the end entity does not carry the JID the policy expects",
  "disallowed-suite": "the end entity's key belongs to a suite the policy does not allow",
});
