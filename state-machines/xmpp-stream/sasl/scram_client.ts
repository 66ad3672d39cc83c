/**
 * SCRAM client (RFC 5802, RFC 7677) as three pure functions over immutable
 * states:
 *
 * ```
 * scramClientStart(options)                 → client-first, awaiting-server-first
 * scramClientOnServerFirst(state, msg, pol) → client-final, awaiting-server-final
 * scramClientOnServerFinal(state, msg)      → succeeded (server signature verified)
 * ```
 *
 * Every function returns a Result: a refusal is a `sasl/*` code, never an
 * exception. The client nonce is an input (draw it from the caller's
 * EntropySource, see `scramNonce`). Authentication counts as done only when
 * `scramClientOnServerFinal` succeeds: a `<success/>` without a verified
 * server-final-message must be treated as failure by the caller.
 *
 * @module
 */
import { constantTimeEqual, toBase64, utf8 } from "../../../core/bytes.ts";
import { fail, ok, type Result } from "../../../core/errors.ts";
import {
  checkExtensions,
  checkNonce,
  decodeBase64Attribute,
  decodeUtf8,
  encodeSaslName,
  expectAttribute,
  parseIterationCount,
  splitAttributes,
} from "./attributes.ts";
import { codeForServerErrorValue, SaslError } from "./errors.ts";
import { channelBindingAttribute, encodeGs2Header } from "./gs2.ts";
import { saslprep } from "./saslprep.ts";
import {
  clientSignature,
  deriveScramKeys,
  parseScramMechanism,
  preparePassword,
  saltedPassword,
  serverSignature,
  xor,
} from "./scram_crypto.ts";
import type {
  Gs2CbFlag,
  ScramClientAwaitingServerFinal,
  ScramClientAwaitingServerFirst,
  ScramClientOptions,
  ScramClientPolicy,
} from "./types.ts";

/**
 * Default client policy (PD-42): at least 4096 iterations (RFC 7677 §4), at
 * most 600,000 — about two seconds of @noble PBKDF2-SHA-256 on the project's
 * 2-core reference machine, and OWASP's figure for PBKDF2-SHA-256, so a
 * hardened server still works while a hostile one cannot demand more.
 */
export const DEFAULT_SCRAM_CLIENT_POLICY: ScramClientPolicy = Object.freeze({
  minIterations: 4096,
  maxIterations: 600_000,
});

/** Client-first-message and the state that waits for server-first. */
export interface ScramClientFirst {
  readonly message: Uint8Array;
  readonly state: ScramClientAwaitingServerFirst;
}

/** Client-final-message and the state that waits for server-final. */
export interface ScramClientFinal {
  readonly message: Uint8Array;
  readonly state: ScramClientAwaitingServerFinal;
}

/** The end of a successful client exchange. */
export interface ScramClientSucceeded {
  readonly phase: "scram-client/succeeded";
}

/** Builds client-first-message. */
export function scramClientStart(options: ScramClientOptions): Result<ScramClientFirst> {
  const mech = parseScramMechanism(options.mechanism);
  if (!mech) return fail(SaslError["unknown-mechanism"], options.mechanism);
  let flag: Gs2CbFlag;
  let cbData: Uint8Array = new Uint8Array(0);
  if (mech.plus) {
    // spec: RFC5802-6.plus
    if (!options.channelBinding) {
      return fail(SaslError["channel-binding-unsupported"], "a -PLUS mechanism needs binding data");
    }
    flag = { kind: "p", type: options.channelBinding.type };
    cbData = options.channelBinding.data;
  } else {
    // spec: RFC5802-6.client-y
    flag = { kind: options.clientSupportsBinding ? "y" : "n" };
  }
  // spec: RFC5802-5.1.n PD-40
  // The username is a query string: unassigned code points pass.
  const user = saslprep(options.username, { allowUnassigned: true });
  if (!user.ok) return fail(SaslError["invalid-username"], `SASLprep: ${user.reason}`);
  if (user.value === "") return fail(SaslError["invalid-username"], "empty username");
  if (
    options.authzid !== undefined && (options.authzid === "" || !options.authzid.isWellFormed())
  ) {
    return fail(SaslError["invalid-authzid"], "authzid must be a non-empty well-formed string");
  }
  const password = preparePassword(options.password);
  if (!password.ok) return password;
  const nonce = checkNonce(options.clientNonce);
  if (!nonce.ok) return nonce;
  const gs2Header = encodeGs2Header(flag, options.authzid);
  const clientFirstBare = `n=${encodeSaslName(user.value)},r=${nonce.value}`;
  return ok({
    message: utf8(gs2Header + clientFirstBare),
    state: {
      phase: "scram-client/awaiting-server-first",
      hash: mech.hash,
      gs2Header,
      cbData,
      clientNonce: nonce.value,
      clientFirstBare,
      password: password.value,
    },
  });
}

/** Reads server-first-message, checks it against policy and builds client-final-message. */
export function scramClientOnServerFirst(
  state: ScramClientAwaitingServerFirst,
  message: Uint8Array,
  policy: ScramClientPolicy = DEFAULT_SCRAM_CLIENT_POLICY,
): Result<ScramClientFinal> {
  const text = decodeUtf8(message);
  if (!text.ok) return text;
  const attrs = splitAttributes(text.value);
  if (!attrs.ok) return attrs;
  // spec: RFC5802-7.server-first
  const r = expectAttribute(attrs.value, 0, "r");
  if (!r.ok) return r;
  const s = expectAttribute(attrs.value, 1, "s");
  if (!s.ok) return s;
  const i = expectAttribute(attrs.value, 2, "i");
  if (!i.ok) return i;
  const ext = checkExtensions(attrs.value, 3);
  if (!ext.ok) return ext;
  const nonce = checkNonce(r.value);
  if (!nonce.ok) return nonce;
  // spec: RFC5802-5.1.r
  // The combined nonce must extend ours with a non-empty server part.
  if (
    !nonce.value.startsWith(state.clientNonce) || nonce.value.length === state.clientNonce.length
  ) {
    return fail(SaslError["nonce-mismatch"], "server nonce does not extend the client nonce");
  }
  // spec: RFC5802-5.1.s
  const salt = decodeBase64Attribute(s.value, "salt");
  if (!salt.ok) return salt;
  if (salt.value.length === 0) return fail(SaslError["invalid-salt"], "empty salt");
  const iterations = parseIterationCount(i.value);
  if (!iterations.ok) return iterations;
  // spec: RFC7677-4 PD-42
  if (iterations.value < policy.minIterations) {
    return fail(SaslError["iterations-too-low"], `${iterations.value} < ${policy.minIterations}`);
  }
  // spec: PD-42
  if (iterations.value > policy.maxIterations) {
    return fail(SaslError["iterations-too-high"], `${i.value} > ${policy.maxIterations}`);
  }
  const salted = saltedPassword(state.hash, state.password, salt.value, iterations.value);
  const keys = deriveScramKeys(state.hash, salted);
  // spec: RFC5802-5.1.c
  const withoutProof = `c=${
    channelBindingAttribute(state.gs2Header, state.cbData)
  },r=${nonce.value}`;
  // spec: RFC5802-3
  const authMessage = `${state.clientFirstBare},${text.value},${withoutProof}`;
  const proof = xor(keys.clientKey, clientSignature(state.hash, keys.storedKey, authMessage));
  return ok({
    message: utf8(`${withoutProof},p=${toBase64(proof)}`),
    state: {
      phase: "scram-client/awaiting-server-final",
      hash: state.hash,
      expectedServerSignature: serverSignature(state.hash, keys.serverKey, authMessage),
    },
  });
}

/** Reads server-final-message: `e=` becomes its code, `v=` must verify. */
export function scramClientOnServerFinal(
  state: ScramClientAwaitingServerFinal,
  message: Uint8Array,
): Result<ScramClientSucceeded> {
  const text = decodeUtf8(message);
  if (!text.ok) return text;
  const attrs = splitAttributes(text.value);
  if (!attrs.ok) return attrs;
  const first = attrs.value[0];
  // spec: RFC5802-7.e
  if (first.name === "e") return fail(codeForServerErrorValue(first.value), `e=${first.value}`);
  const v = expectAttribute(attrs.value, 0, "v");
  if (!v.ok) return v;
  const ext = checkExtensions(attrs.value, 1);
  if (!ext.ok) return ext;
  const signature = decodeBase64Attribute(v.value, "verifier");
  if (!signature.ok) return signature;
  // spec: RFC5802-5.v DL-BYTES-1
  // Compared in constant time; a signature of the wrong length simply fails.
  if (!constantTimeEqual(signature.value, state.expectedServerSignature)) {
    return fail(SaslError["bad-server-signature"], "server signature does not verify");
  }
  return ok({ phase: "scram-client/succeeded" });
}
