/**
 * The GS2 header and channel binding of SCRAM (RFC 5802 §6-7).
 *
 * The GS2 header opens client-first: `<flag>,[a=<authzid>],`. The flag says
 * whether the client binds the exchange to the TLS channel (`p=<type>`),
 * could but believes the server cannot (`y`), or cannot (`n`). In
 * client-final, `c=` carries base64(gs2-header + binding data), so the
 * header is integrity-protected by the proof and a stripped `p` or a forged
 * `y` is caught.
 *
 * @module
 */
import { concat, toBase64, utf8 } from "../../../core/bytes.ts";
import { fail, ok, type Result } from "../../../core/errors.ts";
import { decodeSaslName, encodeSaslName } from "./attributes.ts";
import { SaslError } from "./errors.ts";
import type { ChannelBindingType, Gs2CbFlag } from "./types.ts";

/** The channel-binding types this profile knows (RFC 5929 §3-4, RFC 9266 §2). */
export const CHANNEL_BINDING_TYPES: readonly ChannelBindingType[] = [
  "tls-exporter",
  "tls-unique",
  "tls-server-end-point",
];

export const isChannelBindingType = (s: string): s is ChannelBindingType =>
  (CHANNEL_BINDING_TYPES as readonly string[]).includes(s);

/** Encodes a GS2 header; the authzid is SASLname-escaped. */
export function encodeGs2Header(flag: Gs2CbFlag, authzid: string | undefined): string {
  // spec: RFC5802-7.gs2
  const f = flag.kind === "p" ? `p=${flag.type}` : flag.kind;
  return `${f},${authzid === undefined ? "" : `a=${encodeSaslName(authzid)}`},`;
}

/** A parsed GS2 header and what followed it. */
export interface ParsedGs2 {
  readonly flag: Gs2CbFlag;
  readonly authzid: string | undefined;
  /** The header text exactly as received, including its final comma. */
  readonly header: string;
  /** client-first-message-bare. */
  readonly rest: string;
}

/** Splits client-first into its GS2 header and the bare message. */
export function parseGs2Header(message: string): Result<ParsedGs2> {
  const first = message.indexOf(",");
  const second = first < 0 ? -1 : message.indexOf(",", first + 1);
  if (second < 0) return fail(SaslError["malformed-message"], "no GS2 header");
  const flagText = message.slice(0, first);
  const authzText = message.slice(first + 1, second);
  let flag: Gs2CbFlag;
  // spec: RFC5802-7.gs2
  if (flagText === "n" || flagText === "y") flag = { kind: flagText };
  else if (/^p=[A-Za-z0-9.-]+$/.test(flagText)) flag = { kind: "p", type: flagText.slice(2) };
  else return fail(SaslError["malformed-message"], "GS2 flag is not n, y or p=<cb-name>");
  let authzid: string | undefined;
  if (authzText !== "") {
    if (!authzText.startsWith("a=") || authzText.length === 2) {
      return fail(SaslError["malformed-message"], "GS2 authzid is not a=<saslname>");
    }
    // spec: RFC5802-5.1.a
    const decoded = decodeSaslName(authzText.slice(2), SaslError["invalid-authzid"]);
    if (!decoded.ok) return decoded;
    authzid = decoded.value;
  }
  return ok({
    flag,
    authzid,
    header: message.slice(0, second + 1),
    rest: message.slice(second + 1),
  });
}

// spec: RFC5802-5.1.c
/** The `c=` value: base64(gs2-header + cbind-data), cbind-data only with flag p. */
export const channelBindingAttribute = (gs2Header: string, cbData: Uint8Array): string =>
  toBase64(concat(utf8(gs2Header), cbData));
