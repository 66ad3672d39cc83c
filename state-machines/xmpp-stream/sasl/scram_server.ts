/**
 * SCRAM server (RFC 5802, RFC 7677) as three pure functions over immutable
 * states. The credential lookup sits between the first two, so the caller
 * (the stream machine, then an adapter) can fetch credentials however it
 * likes without this code doing I/O:
 *
 * ```
 * scramServerReadClientFirst(config, msg)             → needs-credentials (username to look up)
 * scramServerOnClientFirst(state, lookup, serverNonce) → server-first, awaiting-client-final
 * scramServerOnClientFinal(state, msg)                → succeeded, with server-final
 * ```
 *
 * A refusal is a `sasl/*` code; `scramServerErrorValue(code)` gives the `e=`
 * value and `xmppFailureCondition(code)` the `<failure/>` condition to send.
 *
 * @module
 */
import { constantTimeEqual, toBase64, utf8 } from "../../../core/bytes.ts";
import { CoreError, fail, ok, type Result } from "../../../core/errors.ts";
import {
  checkExtensions,
  checkNonce,
  decodeBase64Attribute,
  decodeSaslName,
  decodeUtf8,
  expectAttribute,
  splitAttributes,
} from "./attributes.ts";
import { SaslError } from "./errors.ts";
import { channelBindingAttribute, isChannelBindingType, parseGs2Header } from "./gs2.ts";
import { saslprep } from "./saslprep.ts";
import {
  clientSignature,
  parseScramMechanism,
  scramHashLength,
  serverSignature,
  storedKeyFromProof,
} from "./scram_crypto.ts";
import type {
  ScramCredentialLookup,
  ScramServerAwaitingClientFinal,
  ScramServerConfig,
  ScramServerNeedsCredentials,
  ScramServerSuccess,
} from "./types.ts";

/** Server-first-message and the state that waits for client-final. */
export interface ScramServerFirst {
  readonly message: Uint8Array;
  readonly state: ScramServerAwaitingClientFinal;
}

/** Reads client-first-message: syntax first, then the channel-binding rules. */
export function scramServerReadClientFirst(
  config: ScramServerConfig,
  message: Uint8Array,
): Result<ScramServerNeedsCredentials> {
  const mech = parseScramMechanism(config.mechanism);
  if (!mech) return fail(SaslError["unknown-mechanism"], config.mechanism);
  const text = decodeUtf8(message);
  if (!text.ok) return text;
  const gs2 = parseGs2Header(text.value);
  if (!gs2.ok) return gs2;
  const attrs = splitAttributes(gs2.value.rest);
  if (!attrs.ok) return attrs;
  // spec: RFC5802-7.client-first
  const n = expectAttribute(attrs.value, 0, "n");
  if (!n.ok) return n;
  const r = expectAttribute(attrs.value, 1, "r");
  if (!r.ok) return r;
  const ext = checkExtensions(attrs.value, 2);
  if (!ext.ok) return ext;
  const nonce = checkNonce(r.value);
  if (!nonce.ok) return nonce;
  // spec: RFC5802-5.1.n
  const escaped = decodeSaslName(n.value, SaslError["invalid-username"]);
  if (!escaped.ok) return escaped;
  // spec: RFC5802-5.1.n PD-40
  const username = saslprep(escaped.value, { allowUnassigned: true });
  if (!username.ok) return fail(SaslError["invalid-username"], `SASLprep: ${username.reason}`);
  if (username.value === "") return fail(SaslError["invalid-username"], "empty username");

  const flag = gs2.value.flag;
  let expectedCbData: Uint8Array = new Uint8Array(0);
  if (flag.kind === "p") {
    // spec: RFC5802-4 RFC5802-6.plus
    if (!mech.plus) {
      return fail(SaslError["channel-binding-flag-mismatch"], "p= with a non-PLUS mechanism");
    }
    // spec: RFC5802-6.server-p
    const data = isChannelBindingType(flag.type) ? config.channelBindings[flag.type] : undefined;
    if (!data || data.length === 0) {
      return fail(SaslError["channel-binding-unsupported"], `no ${flag.type} binding here`);
    }
    expectedCbData = data;
  } else {
    // spec: RFC5802-6.plus
    if (mech.plus) {
      return fail(
        SaslError["channel-binding-flag-mismatch"],
        `${flag.kind} with a -PLUS mechanism`,
      );
    }
    // spec: RFC5802-6.server-y
    if (flag.kind === "y" && config.advertisedPlus) {
      return fail(
        SaslError["channel-binding-downgrade"],
        "client sent y although -PLUS was advertised",
      );
    }
    // spec: PD-43
    if (config.requireChannelBinding) {
      return fail(SaslError["channel-binding-required"], "policy requires channel binding");
    }
  }
  return ok({
    phase: "scram-server/needs-credentials",
    hash: mech.hash,
    username: username.value,
    authzid: gs2.value.authzid,
    gs2Header: gs2.value.header,
    expectedCbData,
    clientNonce: nonce.value,
    clientFirstBare: gs2.value.rest,
  });
}

/** Given the credential lookup and a fresh server nonce, builds server-first-message. */
export function scramServerOnClientFirst(
  state: ScramServerNeedsCredentials,
  lookup: ScramCredentialLookup,
  serverNonce: string,
): Result<ScramServerFirst> {
  const snonce = checkNonce(serverNonce);
  if (!snonce.ok) return snonce;
  let salt: Uint8Array, iterations: number, storedKey: Uint8Array, serverKey: Uint8Array;
  const userKnown = lookup.kind === "found";
  if (lookup.kind === "found") {
    const c = lookup.credentials;
    if (c.hash !== state.hash || c.storedKey.length !== scramHashLength(c.hash)) {
      return fail(
        CoreError["invalid-argument"],
        `credentials are for ${c.hash}, exchange uses ${state.hash}`,
      );
    }
    ({ salt, iterations, storedKey, serverKey } = c);
  } else if (lookup.decoy) {
    // spec: RFC5802-9.enum
    // Carry on with made-up parameters; the final step refuses like a wrong password.
    ({ salt, iterations } = lookup.decoy);
    storedKey = serverKey = new Uint8Array(scramHashLength(state.hash));
  } else {
    return fail(SaslError["unknown-user"], "no credentials for this username");
  }
  if (salt.length === 0 || !Number.isSafeInteger(iterations) || iterations < 1) {
    return fail(CoreError["invalid-argument"], "stored salt empty or iteration count not positive");
  }
  // spec: RFC5802-5.1.r
  const nonce = state.clientNonce + snonce.value;
  // spec: RFC5802-7.server-first
  const serverFirst = `r=${nonce},s=${toBase64(salt)},i=${iterations}`;
  return ok({
    message: utf8(serverFirst),
    state: {
      phase: "scram-server/awaiting-client-final",
      hash: state.hash,
      username: state.username,
      authzid: state.authzid,
      gs2Header: state.gs2Header,
      expectedCbData: state.expectedCbData,
      nonce,
      clientFirstBare: state.clientFirstBare,
      serverFirst,
      userKnown,
      storedKey,
      serverKey,
    },
  });
}

/** Reads client-final-message: binding, nonce, then the proof (constant time). */
export function scramServerOnClientFinal(
  state: ScramServerAwaitingClientFinal,
  message: Uint8Array,
): Result<ScramServerSuccess> {
  const text = decodeUtf8(message);
  if (!text.ok) return text;
  const attrs = splitAttributes(text.value);
  if (!attrs.ok) return attrs;
  const list = attrs.value;
  // spec: RFC5802-7.client-final
  const c = expectAttribute(list, 0, "c");
  if (!c.ok) return c;
  const r = expectAttribute(list, 1, "r");
  if (!r.ok) return r;
  const ext = checkExtensions(list.slice(0, -1), 2);
  if (!ext.ok) return ext;
  const p = expectAttribute(list, Math.max(2, list.length - 1), "p");
  if (!p.ok) return p;

  const cbind = decodeBase64Attribute(c.value, "channel binding");
  if (!cbind.ok) return cbind;
  // spec: RFC5802-6.server-c RFC5802-5.1.c
  // The server always checks c=: it carries the GS2 header (so a stripped p
  // or a forged y is seen) and, with p, this end's binding data.
  const expected = utf8(channelBindingAttribute(state.gs2Header, state.expectedCbData));
  if (!constantTimeEqual(utf8(c.value), expected)) {
    return fail(SaslError["channel-binding-mismatch"], "c= differs from this connection's binding");
  }
  // spec: RFC5802-5.1.r
  if (r.value !== state.nonce) return fail(SaslError["nonce-mismatch"], "final nonce differs");
  const proof = decodeBase64Attribute(p.value, "proof");
  if (!proof.ok) return proof;
  const withoutProof = text.value.slice(0, text.value.lastIndexOf(","));
  // spec: RFC5802-3
  const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
  const signature = clientSignature(state.hash, state.storedKey, authMessage);
  // spec: RFC5802-5.p DL-BYTES-1
  const verified = proof.value.length === signature.length &&
    constantTimeEqual(storedKeyFromProof(state.hash, proof.value, signature), state.storedKey);
  if (!verified || !state.userKnown) {
    return fail(SaslError["not-authorized"], "client proof does not verify");
  }
  return ok({
    phase: "scram-server/succeeded",
    message: utf8(`v=${toBase64(serverSignature(state.hash, state.serverKey, authMessage))}`),
    username: state.username,
    authzid: state.authzid,
    channelBound: state.expectedCbData.length > 0,
  });
}
