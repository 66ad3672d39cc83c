/**
 * PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`, one message from the
 * client. The password crosses the wire, so negotiation (`chooseMechanism`,
 * `mechanismsToOffer`) allows PLAIN only over TLS and only when enabled.
 *
 * The server side decodes the message and can check the password against
 * SCRAM stored credentials, so a server needs to keep only StoredKey and
 * ServerKey for both mechanisms.
 *
 * @module
 */
import { concat, constantTimeEqual, utf8 } from "../../../core/bytes.ts";
import { CoreError, fail, ok, type Result } from "../../../core/errors.ts";
import { decodeUtf8 } from "./attributes.ts";
import { SaslError } from "./errors.ts";
import { saslprep } from "./saslprep.ts";
import { deriveScramKeys, preparePassword, saltedPassword } from "./scram_crypto.ts";
import type { ScramStoredCredentials } from "./types.ts";

/** The three fields of a PLAIN message, as decoded (authzid absent when empty). */
export interface PlainCredentials {
  readonly authzid?: string;
  readonly authcid: string;
  readonly password: string;
}

const MAX_FIELD = 255;
const NUL = new Uint8Array([0]);

// spec: RFC4616-2
const checkField = (
  value: Uint8Array,
  what: string,
  code: typeof SaslError[keyof typeof SaslError],
) =>
  value.length === 0 || value.length > MAX_FIELD || value.includes(0)
    ? fail<void>(code, `${what} must be 1..${MAX_FIELD} octets without NUL`)
    : ok(undefined);

/** Builds the PLAIN message. Fields are sent as given (the server prepares them). */
export function plainClientMessage(c: PlainCredentials): Result<Uint8Array> {
  const authzid = utf8(c.authzid ?? "");
  const authcid = utf8(c.authcid);
  const password = utf8(c.password);
  for (const s of [c.authzid ?? "", c.authcid, c.password]) {
    if (!s.isWellFormed()) return fail(CoreError["invalid-argument"], "ill-formed string");
  }
  const checks = [
    c.authzid === undefined
      ? ok(undefined)
      : checkField(authzid, "authzid", SaslError["invalid-authzid"]),
    checkField(authcid, "authcid", SaslError["invalid-username"]),
    checkField(password, "password", SaslError["invalid-password"]),
  ];
  for (const r of checks) if (!r.ok) return r;
  return ok(concat(authzid, NUL, authcid, NUL, password));
}

/**
 * Decodes a PLAIN message on the server: exactly two NULs, valid UTF-8, field
 * lengths, then SASLprep of authcid (query) and password (stored).
 */
export function plainServerDecode(message: Uint8Array): Result<PlainCredentials> {
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  // spec: RFC4616-2
  if (second < 0) return fail(SaslError["malformed-message"], "PLAIN needs two NUL separators");
  const [authzidBytes, authcidBytes, passwordBytes] = [
    message.subarray(0, first),
    message.subarray(first + 1, second),
    message.subarray(second + 1),
  ];
  // Any third NUL lands in the password field and is refused there.
  const checks = [
    authzidBytes.length === 0
      ? ok(undefined)
      : checkField(authzidBytes, "authzid", SaslError["invalid-authzid"]),
    checkField(authcidBytes, "authcid", SaslError["malformed-message"]),
    checkField(passwordBytes, "password", SaslError["malformed-message"]),
  ];
  for (const r of checks) if (!r.ok) return r;
  const texts = [decodeUtf8(authzidBytes), decodeUtf8(authcidBytes), decodeUtf8(passwordBytes)];
  for (const t of texts) if (!t.ok) return t;
  const [authzid, authcid, password] = texts.map((t) => (t as { value: string }).value);
  // spec: RFC4616-2.prep PD-40
  const user = saslprep(authcid, { allowUnassigned: true });
  if (!user.ok || user.value === "") {
    return fail(SaslError["invalid-username"], "authcid fails SASLprep");
  }
  const pass = preparePassword(password);
  if (!pass.ok) return pass;
  return ok({ ...(authzid === "" ? {} : { authzid }), authcid: user.value, password: pass.value });
}

/**
 * Checks a decoded (prepared) PLAIN password against SCRAM stored
 * credentials: recompute StoredKey and compare in constant time.
 */
export function plainVerifyAgainstScram(
  credentials: ScramStoredCredentials,
  preparedPassword: string,
): Result<void> {
  const { hash, salt, iterations } = credentials;
  const { storedKey } = deriveScramKeys(
    hash,
    saltedPassword(hash, preparedPassword, salt, iterations),
  );
  // spec: DL-BYTES-1
  return constantTimeEqual(storedKey, credentials.storedKey)
    ? ok(undefined)
    : fail(SaslError["not-authorized"], "password does not match");
}
