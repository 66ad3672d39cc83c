/**
 * Strict reading of a JWS compact serialization (RFC 7515 §7.1) before any
 * key is touched: size, three dot-separated parts, canonical unpadded
 * base64url (jose decodes leniently, so two texts could carry one signature —
 * a changed last character must not keep a token valid), UTF-8 JSON objects,
 * and a header holding only the parameters the profile allows.
 *
 * @module
 */
import { base64url } from "jose";
import { DerlinkError } from "../errors.ts";
import { AccessError } from "./errors.ts";
import { JWS_ALGS, type JwsAlg, TOKEN_TYPE } from "./types.ts";

/** A token split and decoded, its signature not yet checked. */
export interface CompactParts {
  readonly header: { readonly alg: JwsAlg; readonly kid: string };
  readonly payload: Record<string, unknown>;
  readonly signature: Uint8Array;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
// spec: PD-201
const ALLOWED_HEADER = new Set(["alg", "typ", "kid"]);
const decoder = new TextDecoder("utf-8", { fatal: true });

const refuse = (code: keyof typeof AccessError, detail: string): never => {
  throw new DerlinkError(AccessError[code], detail);
};

/** Decodes one part; refuses characters outside base64url and non-canonical text. */
function part(text: string, what: string): Uint8Array {
  // spec: RFC7515-2 RFC7515-7.1
  if (!B64URL.test(text) || text.length % 4 === 1) refuse("malformed", `${what} is not base64url`);
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(text);
  } catch {
    return refuse("malformed", `${what} is not base64url`);
  }
  if (base64url.encode(bytes) !== text) refuse("malformed", `${what} is not canonical base64url`);
  return bytes;
}

function jsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    // spec: RFC8725-3.7
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return refuse("malformed", `${what} is not UTF-8 JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    refuse("malformed", `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Splits and checks a token, in this order: size, shape, header (parameters,
 * alg, typ, kid), payload, signature part. Throws `access/*` codes.
 */
export function readCompact(token: unknown, maxBytes: number): CompactParts {
  if (typeof token !== "string") return refuse("malformed", "the token is not a string");
  // spec: PD-203
  if (token.length > maxBytes) refuse("oversize", `${token.length} characters`);
  const parts = token.split(".");
  if (parts.length !== 3) refuse("malformed", `${parts.length} parts instead of 3`);
  const header = jsonObject(part(parts[0], "header"), "header");
  for (const name of Object.keys(header)) {
    // spec: RFC8725-3.10 RFC7515-4.1.11 PD-201
    if (!ALLOWED_HEADER.has(name)) refuse("unexpected-header", `header parameter ${name}`);
  }
  const alg = header.alg;
  // spec: RFC7515-4.1.1
  if (typeof alg !== "string" || alg.length === 0) refuse("malformed", "alg missing or not text");
  // spec: RFC8725-3.1 RFC8725-3.2 RFC7518-3.6
  if (alg === "none") refuse("alg-none", "unsecured JWS");
  // spec: RFC8725-2.1
  if (!(JWS_ALGS as readonly string[]).includes(alg as string)) {
    refuse("alg-not-allowed", `alg ${String(alg).slice(0, 16)}`);
  }
  // spec: RFC8725-3.11 RFC9068-4
  const typ = header.typ;
  if (typ !== TOKEN_TYPE && typ !== `application/${TOKEN_TYPE}`) {
    refuse("wrong-type", typeof typ === "string" ? `typ ${typ.slice(0, 32)}` : "typ missing");
  }
  const kid = header.kid;
  if (kid === undefined) refuse("unknown-key", "kid missing");
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 128) {
    refuse("malformed", "kid is not a short text");
  }
  const payload = jsonObject(part(parts[1], "payload"), "payload");
  const signature = part(parts[2], "signature");
  if (signature.length === 0) refuse("malformed", "empty signature");
  return { header: { alg: alg as JwsAlg, kid: kid as string }, payload, signature };
}
