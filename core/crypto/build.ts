/**
 * Assembles a {@link Suite} from the shared validation code and the
 * primitives of one or more providers.
 *
 * Validation runs here, once, before any provider sees an input, so the
 * providers differ only in speed. Which provider computes each operation is
 * data: {@link DEFAULT_PROVIDERS} for the default suite; for an explicit
 * provider, that provider wherever it has the operation and noble elsewhere.
 *
 * @module
 */
import type { EntropySource } from "../entropy.ts";
import { CoreError, DerlinkError, fail, isDerlinkError, ok, type Result } from "../errors.ts";
import { CryptoError } from "./errors.ts";
import { compactToDer, derToCompact } from "./ecdsa_der.ts";
import {
  checkEd25519PrivateKey,
  checkEd25519PublicKey,
  checkEd25519Signature,
  checkX25519Key,
  checkX25519Output,
  checkX25519Peer,
  diagnoseEd25519Failure,
  KEY_BYTES,
} from "./curve25519.ts";
import { nobleProvider } from "./noble_provider.ts";
import { nodeProvider } from "./node_provider.ts";
import { aead, guard, hash, kdf, mac, type Prim } from "./symmetric.ts";
import type {
  KexCurve,
  KexPrimitives,
  Provider,
  ProviderId,
  SignatureAlgorithm,
  SignaturePrimitives,
  SymmetricPrimitives,
} from "./primitives.ts";
import type {
  KeyAgreement,
  Operation,
  OperationProviders,
  ProviderChoice,
  SignatureScheme,
  Suite,
  SuiteId,
} from "./suite.ts";
import {
  checkPrivateKey,
  checkPublicKey,
  generatePrivateKey,
  WEIERSTRASS,
  type WeierstrassName,
} from "./weierstrass.ts";

export const PROVIDERS: Readonly<Record<ProviderId, Provider>> = {
  noble: nobleProvider,
  node: nodeProvider,
};

interface Shape {
  readonly kexCurve: KexCurve;
  readonly sigAlg: SignatureAlgorithm;
  readonly weierstrass?: WeierstrassName;
}

const SHAPES: Readonly<Record<SuiteId, Shape>> = {
  "p256": { kexCurve: "p256", sigAlg: "ecdsa-p256-sha256", weierstrass: "p256" },
  "brainpool256": {
    kexCurve: "brainpoolP256r1",
    sigAlg: "ecdsa-brainpoolP256r1-sha256",
    weierstrass: "brainpoolP256r1",
  },
  "x25519-ed25519": { kexCurve: "x25519", sigAlg: "ed25519" },
};

/**
 * The default provider of each operation: the fastest correct one measured
 * by bench/crypto_bench.ts on the project machine, except ECDSA signing,
 * which stays with noble's RFC 6979 so transcripts replay byte for byte
 * (noble also signs P-256 faster). Measured: node:crypto is 5-17x faster
 * for X25519/Ed25519, about 2.5x for P-256 ECDH, 1.4x for P-256 verify, and
 * faster for AES-GCM, HKDF and SHA-256 on large inputs; noble derives P-256
 * public keys faster and HMACs short messages about 2x faster. Re-measured
 * per call at the simulation's sizes (bench/crypto_call_cost.ts, PD-262):
 * node:crypto stays faster for every operation the simulation uses, AES-GCM
 * included, although Deno builds a stream object for every AES-GCM call.
 */
// spec: PD-13 PD-17 PD-262
export const DEFAULT_PROVIDERS: Readonly<Record<SuiteId, OperationProviders>> = {
  "p256": {
    "kex.public": "noble",
    "kex.agree": "node",
    "sig.public": "noble",
    "sig.sign": "noble",
    "sig.verify": "node",
    "aead": "node",
    "hkdf": "node",
    "hkdf.extract": "noble",
    "hkdf.expand": "noble",
    "hmac": "noble",
    "sha256": "node",
  },
  "brainpool256": {
    "kex.public": "noble",
    "kex.agree": "noble",
    "sig.public": "noble",
    "sig.sign": "noble",
    "sig.verify": "noble",
    "aead": "node",
    "hkdf": "node",
    "hkdf.extract": "noble",
    "hkdf.expand": "noble",
    "hmac": "noble",
    "sha256": "node",
  },
  "x25519-ed25519": {
    "kex.public": "node",
    "kex.agree": "node",
    "sig.public": "node",
    "sig.sign": "node",
    "sig.verify": "node",
    "aead": "node",
    "hkdf": "node",
    "hkdf.extract": "noble",
    "hkdf.expand": "noble",
    "hmac": "noble",
    "sha256": "node",
  },
};

const SYMMETRIC_KEYS: Readonly<Record<string, keyof SymmetricPrimitives>> = {
  "aead": "gcmSeal",
  "hkdf": "hkdf",
  "hkdf.extract": "hkdfExtract",
  "hkdf.expand": "hkdfExpand",
  "hmac": "hmacSha256",
  "sha256": "sha256",
};

function providerHas(p: Provider, op: Operation, shape: Shape): boolean {
  if (op.startsWith("kex.")) return p.kex[shape.kexCurve] !== undefined;
  if (op.startsWith("sig.")) return p.sig[shape.sigAlg] !== undefined;
  return p.symmetric[SYMMETRIC_KEYS[op]] !== undefined;
}

/** Providers that can build suite `id`: a provider needs at least one public-key operation. */
export function providersOf(id: SuiteId): ProviderChoice[] {
  const shape = SHAPES[id];
  const out: ProviderChoice[] = ["default"];
  for (const p of Object.values(PROVIDERS)) {
    if (p.kex[shape.kexCurve] || p.sig[shape.sigAlg]) out.push(p.id);
  }
  return out;
}

function chooseProviders(id: SuiteId, choice: ProviderChoice): OperationProviders {
  if (choice === "default") return DEFAULT_PROVIDERS[id];
  const shape = SHAPES[id];
  const provider = PROVIDERS[choice];
  const out = {} as Record<Operation, ProviderId>;
  for (const op of Object.keys(DEFAULT_PROVIDERS[id]) as Operation[]) {
    out[op] = providerHas(provider, op, shape) ? choice : "noble";
  }
  return out;
}

function asResult(f: () => void): Result<true> {
  try {
    f();
    return ok(true);
  } catch (e) {
    if (isDerlinkError(e)) return { ok: false, error: e };
    return fail(CoreError.internal, (e as Error).message);
  }
}

// ---- key agreement -------------------------------------------------------------------------

function weierstrassKex(
  name: WeierstrassName,
  pub: Prim<KexPrimitives>,
  agree: Prim<KexPrimitives>,
): KeyAgreement {
  const curve = WEIERSTRASS[name];
  return {
    name: name === "p256" ? "ECDH-P256" : "ECDH-brainpoolP256r1",
    privateKeyLength: 32,
    publicKeyLength: 65,
    sharedSecretLength: 32,
    generate(entropy: EntropySource) {
      const privateKey = generatePrivateKey(curve, entropy);
      return { privateKey, publicKey: this.publicFromPrivate(privateKey) };
    },
    publicFromPrivate(d) {
      checkPrivateKey(curve, d);
      return guard(pub.id, "public key", () => pub.p.publicFromPrivate(d));
    },
    checkPublicKey: (q) => checkPublicKey(curve, q),
    agree(d, q) {
      // spec: SEC1-3.3.1
      checkPrivateKey(curve, d);
      checkPublicKey(curve, q);
      return guard(agree.id, "ECDH", () => agree.p.agree(d, q));
    },
  };
}

function x25519Kex(pub: Prim<KexPrimitives>, agree: Prim<KexPrimitives>): KeyAgreement {
  return {
    name: "X25519",
    privateKeyLength: 32,
    publicKeyLength: 32,
    sharedSecretLength: 32,
    generate(entropy: EntropySource) {
      // spec: RFC7748-6.1 PD-15
      // 32 uniform bytes are the key; clamping happens inside X25519 itself (RFC 7748 §5).
      const privateKey = entropy.bytes(KEY_BYTES);
      return { privateKey, publicKey: this.publicFromPrivate(privateKey) };
    },
    publicFromPrivate(k) {
      checkX25519Key(k, "private");
      return guard(pub.id, "public key", () => pub.p.publicFromPrivate(k));
    },
    checkPublicKey: (u) => checkX25519Peer(u),
    agree(k, u) {
      // spec: RFC7748-5 RFC7748-6.1
      checkX25519Key(k, "private");
      checkX25519Peer(u);
      const shared = guard(agree.id, "X25519", () => agree.p.agree(k, u));
      checkX25519Output(shared);
      return shared;
    },
  };
}

// ---- signatures ----------------------------------------------------------------------------

function ecdsaScheme(
  name: WeierstrassName,
  pub: Prim<SignaturePrimitives>,
  signer: Prim<SignaturePrimitives>,
  verifier: Prim<SignaturePrimitives>,
): SignatureScheme {
  const curve = WEIERSTRASS[name];
  const check = (q: Uint8Array, m: Uint8Array, der: Uint8Array): Result<true> => {
    let compact: Uint8Array | undefined;
    const pre = asResult(() => {
      checkPublicKey(curve, q);
      compact = derToCompact(curve, der);
    });
    if (!pre.ok) return pre;
    let valid = false;
    try {
      valid = verifier.p.verify(q, m, compact!);
    } catch {
      valid = false;
    }
    return valid ? ok(true) : fail(CryptoError["signature-mismatch"], "ECDSA equation fails");
  };
  return {
    name: name === "p256" ? "ECDSA-P256-SHA256" : "ECDSA-brainpoolP256r1-SHA256",
    privateKeyLength: 32,
    publicKeyLength: 65,
    deterministic: signer.p.deterministic,
    generate(entropy: EntropySource) {
      const privateKey = generatePrivateKey(curve, entropy);
      return { privateKey, publicKey: this.publicFromPrivate(privateKey) };
    },
    publicFromPrivate(d) {
      checkPrivateKey(curve, d);
      return guard(pub.id, "public key", () => pub.p.publicFromPrivate(d));
    },
    sign(d, m) {
      // spec: FIPS186-5-6.4.1 PD-12
      checkPrivateKey(curve, d);
      return compactToDer(curve, guard(signer.id, "ECDSA sign", () => signer.p.sign(d, m)));
    },
    check,
    verify: (q, m, der) => check(q, m, der).ok,
  };
}

function ed25519Scheme(
  pub: Prim<SignaturePrimitives>,
  signer: Prim<SignaturePrimitives>,
  verifier: Prim<SignaturePrimitives>,
): SignatureScheme {
  const check = (a: Uint8Array, m: Uint8Array, sig: Uint8Array): Result<true> => {
    const pre = asResult(() => {
      checkEd25519PublicKey(a);
      checkEd25519Signature(sig);
    });
    if (!pre.ok) return pre;
    let valid = false;
    try {
      valid = verifier.p.verify(a, m, sig);
    } catch {
      valid = false;
    }
    return valid ? ok(true) : { ok: false, error: diagnoseEd25519Failure(a, sig) };
  };
  return {
    name: "Ed25519",
    privateKeyLength: 32,
    publicKeyLength: 32,
    deterministic: signer.p.deterministic,
    generate(entropy: EntropySource) {
      // spec: RFC8032-5.1.5 PD-15
      const privateKey = entropy.bytes(KEY_BYTES);
      return { privateKey, publicKey: this.publicFromPrivate(privateKey) };
    },
    publicFromPrivate(seed) {
      checkEd25519PrivateKey(seed);
      return guard(pub.id, "public key", () => pub.p.publicFromPrivate(seed));
    },
    sign(seed, m) {
      // spec: RFC8032-5.1.6
      checkEd25519PrivateKey(seed);
      return guard(signer.id, "Ed25519 sign", () => signer.p.sign(seed, m));
    },
    check,
    verify: (a, m, sig) => check(a, m, sig).ok,
  };
}

// ---- assembly ------------------------------------------------------------------------------

export function buildSuite(id: SuiteId, choice: ProviderChoice): Suite {
  if (!providersOf(id).includes(choice)) {
    throw new DerlinkError(CryptoError["unsupported"], `${choice} cannot compute ${id}`);
  }
  const shape = SHAPES[id];
  const providers = chooseProviders(id, choice);
  const kexOf = (op: Operation): Prim<KexPrimitives> => ({
    id: providers[op],
    p: PROVIDERS[providers[op]].kex[shape.kexCurve]!,
  });
  const sigOf = (op: Operation): Prim<SignaturePrimitives> => ({
    id: providers[op],
    p: PROVIDERS[providers[op]].sig[shape.sigAlg]!,
  });
  const symOf = (op: Operation): Prim<SymmetricPrimitives> => ({
    id: providers[op],
    p: PROVIDERS[providers[op]].symmetric,
  });
  const kex = shape.weierstrass
    ? weierstrassKex(shape.weierstrass, kexOf("kex.public"), kexOf("kex.agree"))
    : x25519Kex(kexOf("kex.public"), kexOf("kex.agree"));
  const sig = shape.weierstrass
    ? ecdsaScheme(shape.weierstrass, sigOf("sig.public"), sigOf("sig.sign"), sigOf("sig.verify"))
    : ed25519Scheme(sigOf("sig.public"), sigOf("sig.sign"), sigOf("sig.verify"));
  return Object.freeze({
    id,
    provider: choice,
    providers,
    kex,
    sig,
    aead: aead(symOf("aead")),
    kdf: kdf(symOf("hkdf"), symOf("hkdf.extract"), symOf("hkdf.expand")),
    mac: mac(symOf("hmac")),
    hash: hash(symOf("sha256")),
  });
}
