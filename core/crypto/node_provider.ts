/**
 * The native provider: node:crypto as Deno implements it.
 *
 * node:crypto takes keys as KeyObjects, so raw keys are wrapped in fixed
 * PKCS #8 / SubjectPublicKeyInfo DER prefixes (the key bytes are the only
 * variable part). It has P-256, X25519, Ed25519, AES-GCM, HMAC and HKDF, but
 * no brainpool curve and no HKDF-Expand on its own. ECDSA signing here draws
 * a random k, so it is not deterministic; the default suite signs with noble.
 *
 * @module
 */
import * as nc from "node:crypto";
import { privateKeyCache, publicKeyCache } from "./key_cache.ts";
import type { KexPrimitives, Provider, SignaturePrimitives } from "./primitives.ts";

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));

// RFC 5915 ECPrivateKey inside PKCS #8 (RFC 5208), P-256 (OID 1.2.840.10045.3.1.7), no public key.
const P256_PKCS8 = hex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420");
// RFC 5480 SubjectPublicKeyInfo for P-256 with a 65-byte uncompressed point.
const P256_SPKI = hex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
// RFC 8410 §7 and §4: PKCS #8 and SPKI for X25519 (1.3.101.110) and Ed25519 (1.3.101.112).
const X25519_PKCS8 = hex("302e020100300506032b656e04220420");
const X25519_SPKI = hex("302a300506032b656e032100");
const ED25519_PKCS8 = hex("302e020100300506032b657004220420");
const ED25519_SPKI = hex("302a300506032b6570032100");

const join = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};
const importPrivate = (prefix: Uint8Array, raw: Uint8Array): nc.KeyObject =>
  nc.createPrivateKey({ key: join(prefix, raw) as Buffer, format: "der", type: "pkcs8" });
const importPublic = (prefix: Uint8Array, raw: Uint8Array): nc.KeyObject =>
  nc.createPublicKey({ key: join(prefix, raw) as Buffer, format: "der", type: "spki" });

// Import caches (key_cache.ts), one per DER prefix: the prefix fixes curve and key type.
const privateCaches = new Map<Uint8Array, (raw: Uint8Array) => nc.KeyObject>();
const publicCaches = new Map<Uint8Array, (raw: Uint8Array) => nc.KeyObject>();
/** A private key: the signing key and each ephemeral key are used more than once. */
const privateKey = (prefix: Uint8Array, raw: Uint8Array): nc.KeyObject => {
  let load = privateCaches.get(prefix);
  if (!load) privateCaches.set(prefix, load = privateKeyCache((r) => importPrivate(prefix, r)));
  return load(raw);
};
/** A verification key: a peer certificate's key comes back on every handshake. */
const verifyKey = (prefix: Uint8Array, raw: Uint8Array): nc.KeyObject => {
  let load = publicCaches.get(prefix);
  if (!load) publicCaches.set(prefix, load = publicKeyCache((r) => importPublic(prefix, r)));
  return load(raw);
};
const u8 = (b: ArrayBuffer | Uint8Array): Uint8Array =>
  b instanceof Uint8Array
    ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()
    : new Uint8Array(b);

/** Raw public key: the tail of the exported SPKI, `length` bytes long. */
function rawPublicOf(prefix: Uint8Array, raw: Uint8Array, length: number): Uint8Array {
  const spki = nc.createPublicKey(privateKey(prefix, raw)).export({ format: "der", type: "spki" });
  return u8(spki).slice(-length);
}

function kex(pkcs8: Uint8Array, spki: Uint8Array, publicLength: number): KexPrimitives {
  return {
    publicFromPrivate: (k) => rawPublicOf(pkcs8, k, publicLength),
    agree: (k, q) =>
      u8(nc.diffieHellman({ privateKey: privateKey(pkcs8, k), publicKey: importPublic(spki, q) })),
  };
}

const ecdsaP256: SignaturePrimitives = {
  deterministic: false,
  publicFromPrivate: (d) => rawPublicOf(P256_PKCS8, d, 65),
  sign: (d, m) =>
    u8(nc.sign("sha256", m, { key: privateKey(P256_PKCS8, d), dsaEncoding: "ieee-p1363" })),
  // Compact r||s in: the strict DER parse has already happened in the suite layer.
  verify: (q, m, sig) =>
    nc.verify("sha256", m, { key: verifyKey(P256_SPKI, q), dsaEncoding: "ieee-p1363" }, sig),
};

const ed25519: SignaturePrimitives = {
  deterministic: true,
  publicFromPrivate: (seed) => rawPublicOf(ED25519_PKCS8, seed, 32),
  sign: (seed, m) => u8(nc.sign(null, m, privateKey(ED25519_PKCS8, seed))),
  verify: (a, m, sig) => nc.verify(null, m, verifyKey(ED25519_SPKI, a), sig),
};

function gcmName(key: Uint8Array): nc.CipherGCMTypes {
  return key.length === 16 ? "aes-128-gcm" : "aes-256-gcm";
}

/** The node:crypto provider. */
export const nodeProvider: Provider = {
  id: "node",
  kex: {
    p256: kex(P256_PKCS8, P256_SPKI, 65),
    x25519: kex(X25519_PKCS8, X25519_SPKI, 32),
  },
  sig: { "ecdsa-p256-sha256": ecdsaP256, ed25519 },
  symmetric: {
    sha256: (m) => u8(nc.createHash("sha256").update(m).digest()),
    hmacSha256: (k, m) => u8(nc.createHmac("sha256", k).update(m).digest()),
    hkdf: (ikm, salt, info, length) => u8(nc.hkdfSync("sha256", ikm, salt, info, length)),
    // RFC 5869 §2.2: Extract is HMAC keyed with the salt.
    hkdfExtract: (salt, ikm) => u8(nc.createHmac("sha256", salt).update(ikm).digest()),
    gcmSeal: (key, nonce, pt, aad) => {
      const c = nc.createCipheriv(gcmName(key), key, nonce);
      c.setAAD(aad);
      const head = c.update(pt);
      const tail = c.final();
      const out = new Uint8Array(head.length + tail.length + 16);
      out.set(head);
      out.set(tail, head.length);
      out.set(c.getAuthTag(), head.length + tail.length);
      return out;
    },
    gcmOpen: (key, nonce, sealed, aad) => {
      const d = nc.createDecipheriv(gcmName(key), key, nonce);
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      try {
        const head = d.update(sealed.subarray(0, sealed.length - 16));
        const tail = d.final();
        const out = new Uint8Array(head.length + tail.length);
        out.set(head);
        out.set(tail, head.length);
        return out;
      } catch {
        return null;
      }
    },
  },
};
