/**
 * OAUTHBEARER (RFC 7628), the client side: an OAuth 2.0 bearer token
 * (RFC 6750) in one initial response, and the RFC 7628 error sequence.
 *
 * Initial response: a GS2 header without channel binding (`n,` and the
 * optional `a=<authzid>,`), then key/value pairs each ended by %x01, then a
 * final %x01. derlink always sends `auth` first, then `host` and `port` when
 * given (PD-221): RFC 7628 leaves the order open, and the one server module
 * measured here (prosody-modules' mod_sasl_oauthbearer) finds the token only
 * right after the header.
 *
 * A failed token may be answered with a challenge carrying a JSON error
 * result (`status`, optional `scope` and `openid-configuration`); the client
 * must then send a single %x01 so the server can end the exchange with a
 * failure. A server may also fail at once (Prosody's module does).
 *
 * The bearer token is a secret: it is never put in an error detail.
 *
 * @module
 */
import { fromUtf8, utf8 } from "../../../core/bytes.ts";
import { fail, ok, type Result } from "../../../core/errors.ts";
import { encodeGs2Header } from "./gs2.ts";
import { SaslError } from "./errors.ts";

/** The %x01 that ends each key/value pair and the whole response. */
export const KVSEP = "\x01";

/** What the client sends with OAUTHBEARER. The token is a secret. */
export interface OAuthBearerClientOptions {
  /** The OAuth 2.0 bearer token (RFC 6750 b64token). */
  readonly token: string;
  /** Authorization identity; derlink sends its bare JID (PD-221). */
  readonly authzid?: string;
  /** The host name the client connected to (RFC 7628 §3.1 `host`). */
  readonly host?: string;
  /** The destination port (RFC 7628 §3.1 `port`). */
  readonly port?: number;
}

// spec: RFC6750-2.1
/** RFC 6750 §2.1 b64token: the only token text an `auth=Bearer` value may carry. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Printable ASCII host name characters; VCHAR without the separators is all RFC 7628 allows. */
const HOST = /^[A-Za-z0-9.\-:[\]]{1,253}$/;

/** Builds the initial client response. */
// spec: RFC7628-3.1 RFC7628-3.1.auth PD-221
export function oauthBearerClientMessage(o: OAuthBearerClientOptions): Result<Uint8Array> {
  if (typeof o.token !== "string" || !B64TOKEN.test(o.token)) {
    return fail(SaslError["invalid-token"], "the bearer token is not an RFC 6750 b64token");
  }
  if (o.authzid !== undefined && (o.authzid === "" || !o.authzid.isWellFormed())) {
    return fail(SaslError["invalid-authzid"], "empty or ill-formed authzid");
  }
  if (o.authzid?.includes("\0") || o.authzid?.includes(KVSEP)) {
    return fail(SaslError["invalid-authzid"], "authzid holds NUL or %x01");
  }
  const pairs = [`auth=Bearer ${o.token}`];
  if (o.host !== undefined) {
    if (!HOST.test(o.host)) return fail(SaslError["malformed-message"], "host is not a host name");
    pairs.push(`host=${o.host}`);
  }
  if (o.port !== undefined) {
    // spec: RFC7628-3.1.port
    if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
      return fail(SaslError["malformed-message"], "port is not 1..65535");
    }
    pairs.push(`port=${o.port}`);
  }
  // spec: RFC7628-3.1 RFC5801-4
  // OAUTHBEARER has no channel binding: the flag is always n.
  const header = encodeGs2Header({ kind: "n" }, o.authzid);
  return ok(utf8(header + KVSEP + pairs.map((p) => p + KVSEP).join("") + KVSEP));
}

/** The error result a server sends in a challenge (RFC 7628 §3.2.2). */
export interface OAuthBearerErrorResult {
  /** The OAuth error code, e.g. `invalid_token`. */
  readonly status: string;
  readonly scope?: string;
  readonly openidConfiguration?: string;
}

/** What the client answers an error result with, and what it learned. */
export interface OAuthBearerErrorAnswer {
  readonly error: OAuthBearerErrorResult;
  /** Always the single %x01 (RFC 7628 §3.2.3). */
  readonly response: Uint8Array;
}

/** RFC 6749 §5.2 error codes are printable ASCII without `"` and `\`. */
const ERROR_CODE = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

/**
 * Reads a server challenge during OAUTHBEARER: it can only be an error
 * result. Anything that is not a JSON object with a text `status` is
 * refused as malformed; otherwise the answer is the dummy response.
 */
// spec: RFC7628-3.2.2 RFC7628-3.2.3
export function oauthBearerClientOnChallenge(data: Uint8Array): Result<OAuthBearerErrorAnswer> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(data));
  } catch {
    return fail(SaslError["malformed-message"], "the OAUTHBEARER challenge is not UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(SaslError["malformed-message"], "the error result is not a JSON object");
  }
  const v = value as Record<string, unknown>;
  // spec: RFC7628-3.2.2
  if (typeof v.status !== "string" || !ERROR_CODE.test(v.status)) {
    return fail(SaslError["malformed-message"], "the error result has no status code");
  }
  const text = (k: string) => (typeof v[k] === "string" ? v[k] as string : undefined);
  const scope = text("scope");
  const openidConfiguration = text("openid-configuration");
  return ok({
    error: {
      status: v.status,
      ...(scope !== undefined ? { scope } : {}),
      ...(openidConfiguration !== undefined ? { openidConfiguration } : {}),
    },
    response: utf8(KVSEP),
  });
}
