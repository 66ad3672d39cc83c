/**
 * OAUTHBEARER (RFC 7628), the server side's reading of the initial client
 * response and its error result (PD-241). Whether the token logs anyone in
 * is not decided here: the receiver asks an injected login decision (for
 * Option 2 of the paper's §V, the grid operator's, core/operator-auth).
 *
 * What is accepted: a GS2 header with flag `n` or `y` (OAUTHBEARER has no
 * channel binding, so `p=` is refused) and an authorization identity, then
 * %x01, then `key=value` pairs each closed by %x01 (keys letters only,
 * values printable ASCII, space, tab, CR or LF; no key twice), then a final
 * %x01. `auth` must be there and hold `Bearer <b64token>` (scheme in any
 * case); `port`, when given, is 1..65535 without leading zeros; `host` and
 * other keys are read and ignored.
 *
 * The bearer token is a secret: it never appears in an error detail.
 *
 * @module
 */
import { utf8 } from "../../../core/bytes.ts";
import { fail, ok, type Result } from "../../../core/errors.ts";
import { decodeUtf8 } from "./attributes.ts";
import { SaslError } from "./errors.ts";
import { parseGs2Header } from "./gs2.ts";
import { KVSEP } from "./oauthbearer.ts";

/** What an initial client response carried. The token is a secret. */
export interface OAuthBearerInitial {
  /** The authorization identity of the GS2 header, decoded; undefined when empty. */
  readonly authzid: string | undefined;
  readonly token: string;
  readonly host?: string;
  readonly port?: number;
}

const KEY = /^[A-Za-z]+$/;
// spec: RFC7628-3.1
const VALUE = /^[\x21-\x7e \t\r\n]*$/;
// spec: RFC6750-2.1
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const PORT = /^[1-9][0-9]{0,4}$/;

/** Reads the initial client response (raw bytes, after the stream's base64). */
// spec: RFC7628-3.1 RFC7628-3.1.auth RFC7628-3.1.port RFC5801-4 PD-241
export function oauthBearerServerRead(data: Uint8Array): Result<OAuthBearerInitial> {
  const text = decodeUtf8(data);
  if (!text.ok) return text;
  const gs2 = parseGs2Header(text.value);
  if (!gs2.ok) return gs2;
  // spec: RFC7628-3.1 PD-241
  if (gs2.value.flag.kind === "p") {
    return fail(SaslError["channel-binding-flag-mismatch"], "OAUTHBEARER has no channel binding");
  }
  let rest = gs2.value.rest;
  if (!rest.startsWith(KVSEP)) return fail(SaslError["malformed-message"], "no %x01 after GS2");
  rest = rest.slice(1);
  const pairs = new Map<string, string>();
  while (rest !== KVSEP) {
    const end = rest.indexOf(KVSEP);
    if (end < 0) return fail(SaslError["malformed-message"], "a pair or the end is not closed");
    const pair = rest.slice(0, end);
    rest = rest.slice(end + 1);
    const eq = pair.indexOf("=");
    const key = eq < 0 ? "" : pair.slice(0, eq);
    if (!KEY.test(key) || !VALUE.test(pair.slice(eq + 1))) {
      return fail(SaslError["malformed-message"], "a pair is not key=value");
    }
    if (pairs.has(key)) return fail(SaslError["malformed-message"], `key ${key} twice`);
    pairs.set(key, pair.slice(eq + 1));
  }
  // spec: RFC7628-3.1.auth
  const auth = pairs.get("auth");
  if (auth === undefined) return fail(SaslError["malformed-message"], "no auth pair");
  const bearer = BEARER.exec(auth);
  if (!bearer) return fail(SaslError["invalid-token"], "auth is not Bearer and a b64token");
  const port = pairs.get("port");
  // spec: RFC7628-3.1.port
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) {
    return fail(SaslError["malformed-message"], "port is not 1..65535");
  }
  const host = pairs.get("host");
  return ok({
    authzid: gs2.value.authzid,
    token: bearer[1],
    ...(host !== undefined ? { host } : {}),
    ...(port !== undefined ? { port: Number(port) } : {}),
  });
}

/** The OAuth error code every refused login gets in its error result (PD-241). */
export const OAUTHBEARER_STATUS = "invalid_token";

/** The error result a refused login is answered with, as a challenge (RFC 7628 §3.2.2). */
// spec: RFC7628-3.2.2 PD-241
export const oauthBearerErrorResult = (): Uint8Array =>
  utf8(JSON.stringify({ status: OAUTHBEARER_STATUS }));

/** The client's answer to an error result must be the single %x01 (RFC 7628 §3.2.3). */
// spec: RFC7628-3.2.3
export const isOAuthBearerDummy = (data: Uint8Array): boolean =>
  data.length === 1 && data[0] === 0x01;
