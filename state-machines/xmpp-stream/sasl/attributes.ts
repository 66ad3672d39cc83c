/**
 * The SCRAM attribute syntax (RFC 5802 §5.1, §7): comma-separated
 * `letter=value` pairs in a fixed order, SASLname escaping, nonces, the
 * iteration count and base64 fields.
 *
 * Parsing is strict: every attribute must have its exact letter in its exact
 * place and a non-empty value; the only tolerance is the one the RFC asks
 * for, ignoring unknown optional extensions after the defined attributes.
 * Every function returns a Result; none throws on hostile input.
 *
 * @module
 */
import { fromBase64, fromUtf8 } from "../../../core/bytes.ts";
import { type ErrorCode, fail, ok, type Result } from "../../../core/errors.ts";
import { SaslError } from "./errors.ts";

/** One `letter=value` pair. */
export interface Attribute {
  readonly name: string;
  readonly value: string;
}

// spec: RFC5802-7.syntax
const ATTRIBUTE = /^([A-Za-z])=(.+)$/s;

/** Decodes strict UTF-8; a malformed sequence is `sasl/invalid-encoding`. */
export function decodeUtf8(bytes: Uint8Array): Result<string> {
  try {
    return ok(fromUtf8(bytes));
  } catch {
    return fail(SaslError["invalid-encoding"], "not UTF-8");
  }
}

/**
 * Splits a message into attributes. Every part must be `letter=value` with a
 * non-empty value without NUL (RFC 5802 §7 value-char).
 */
export function splitAttributes(text: string): Result<Attribute[]> {
  const out: Attribute[] = [];
  for (const part of text.split(",")) {
    const m = ATTRIBUTE.exec(part);
    // spec: RFC5802-7.syntax
    if (!m || m[2].includes("\0")) {
      return fail(
        SaslError["malformed-message"],
        `attribute ${out.length + 1} is not letter=value`,
      );
    }
    out.push({ name: m[1], value: m[2] });
  }
  return ok(out);
}

/**
 * Takes the attribute at `index`, which must carry `name`. An `m` in its
 * place is the mandatory-extension refusal rather than a plain syntax error.
 */
export function expectAttribute(
  attrs: readonly Attribute[],
  index: number,
  name: string,
): Result<string> {
  const a = attrs[index];
  if (!a) return fail(SaslError["malformed-message"], `missing ${name}=`);
  // spec: RFC5802-5.1.m
  if (a.name === "m") return fail(SaslError["unknown-extension"], "m= is not supported");
  if (a.name !== name) {
    return fail(
      SaslError["malformed-message"],
      `expected ${name}= at position ${index + 1}, got ${a.name}=`,
    );
  }
  return ok(a.value);
}

/**
 * Checks the optional extensions that follow the defined attributes: unknown
 * ones are ignored, a mandatory `m=` is refused wherever it appears.
 */
export function checkExtensions(attrs: readonly Attribute[], from: number): Result<void> {
  for (let i = from; i < attrs.length; i++) {
    // spec: RFC5802-5.1.m
    if (attrs[i].name === "m") return fail(SaslError["unknown-extension"], "m= is not supported");
    // spec: RFC5802-7.ext
    // Any other attribute here is an optional extension: ignored.
  }
  return ok(undefined);
}

/** True when `s` is 1*printable: ASCII 0x21-0x7E without comma (RFC 5802 §7). */
export const isPrintableNonce = (s: string): boolean => /^[\x21-\x2B\x2D-\x7E]+$/.test(s);

// spec: RFC5802-5.1.r
/** Validates a nonce's characters; `sasl/invalid-nonce` otherwise. */
export function checkNonce(s: string): Result<string> {
  return isPrintableNonce(s)
    ? ok(s)
    : fail(SaslError["invalid-nonce"], `nonce of ${s.length} chars`);
}

// spec: RFC5802-5.1.n
/** Escapes a username or authzid as a SASLname: `=` → `=3D`, `,` → `=2C`. */
export const encodeSaslName = (s: string): string =>
  s.replaceAll("=", "=3D").replaceAll(",", "=2C");

/**
 * Decodes a SASLname. An `=` not followed by `2C` or `3D` (upper case, see
 * PD-41) is refused with `code`.
 */
export function decodeSaslName(s: string, code: ErrorCode): Result<string> {
  // spec: RFC5802-5.1.n PD-41
  if (/=(?!2C|3D)/.test(s)) return fail(code, "'=' not followed by 2C or 3D");
  return ok(s.replace(/=2C|=3D/g, (m) => m === "=2C" ? "," : "="));
}

// spec: RFC5802-5.1.i
/**
 * Parses posit-number (a non-zero digit then digits). Counts of more than
 * 15 digits are reported as Infinity so the caller's maximum refuses them.
 */
export function parseIterationCount(s: string): Result<number> {
  if (!/^[1-9][0-9]*$/.test(s)) {
    return fail(SaslError["malformed-message"], "i= is not a positive number");
  }
  return ok(s.length > 15 ? Infinity : Number(s));
}

/** Decodes a base64 attribute value; `sasl/invalid-base64` otherwise. */
export function decodeBase64Attribute(s: string, what: string): Result<Uint8Array> {
  try {
    return ok(fromBase64(s));
  } catch {
    return fail(SaslError["invalid-base64"], `${what} is not canonical base64`);
  }
}
