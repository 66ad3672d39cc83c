/**
 * Typed errors with stable string codes.
 *
 * Every failure derlink reports carries a code of the form `area/condition`
 * (for example `xml/depth-limit`). Codes are part of the public contract:
 * vectors, conformance reports and out-of-process implementations compare
 * them as strings, so a code is never renamed once published. Each area
 * declares its codes once with {@link defineErrorCodes}; the registry built
 * from those declarations generates `docs/errors.md`.
 *
 * @module
 */

/** A stable error code: `area/condition`, lower-case, hyphenated. */
export type ErrorCode = `${string}/${string}`;

/** One registered code and what it means. */
export interface ErrorCodeInfo {
  readonly code: ErrorCode;
  readonly area: string;
  readonly meaning: string;
}

const registry = new Map<ErrorCode, ErrorCodeInfo>();
const CODE_SHAPE = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/**
 * Declares the codes of one area. Returns the codes as constants keyed by
 * condition so call sites never type a code by hand.
 *
 * ```ts
 * const XmlError = defineErrorCodes("xml", { "depth-limit": "element nesting exceeds the limit" });
 * XmlError["depth-limit"]; // "xml/depth-limit"
 * ```
 */
// spec: DL-ERR-1 PD-2
export function defineErrorCodes<const T extends Record<string, string>>(
  area: string,
  meanings: T,
): { readonly [K in keyof T & string]: `${typeof area}/${K}` & ErrorCode } {
  const out: Record<string, ErrorCode> = {};
  for (const [condition, meaning] of Object.entries(meanings)) {
    const code = `${area}/${condition}` as ErrorCode;
    if (!CODE_SHAPE.test(code)) throw new Error(`malformed error code ${code}`);
    const known = registry.get(code);
    if (known && known.meaning !== meaning) throw new Error(`error code ${code} declared twice`);
    registry.set(code, { code, area, meaning });
    out[condition] = code;
  }
  return Object.freeze(out) as never;
}

/** Every code declared so far, sorted by code. */
export function registeredErrorCodes(): readonly ErrorCodeInfo[] {
  return [...registry.values()].sort((a, b) => a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** True when the code has been declared by some area. */
export function isRegisteredCode(code: string): code is ErrorCode {
  return registry.has(code as ErrorCode);
}

/**
 * The one error type of derlink. `detail` is for humans and must never
 * contain secret material (keys, passwords, plaintext of protected PDUs).
 */
export class DerlinkError extends Error {
  override readonly name = "DerlinkError";
  readonly code: ErrorCode;
  readonly detail: string;

  constructor(code: ErrorCode, detail = "", options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.code = code;
    this.detail = detail;
  }
}

/** Narrowing helper for `catch` blocks. */
export function isDerlinkError(e: unknown, code?: ErrorCode): e is DerlinkError {
  return e instanceof DerlinkError && (code === undefined || e.code === code);
}

/** Result type for code that reports failure as data instead of throwing. */
export type Result<T> = { readonly ok: true; readonly value: T } | {
  readonly ok: false;
  readonly error: DerlinkError;
};

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, detail = ""): Result<T> => ({
  ok: false,
  error: new DerlinkError(code, detail),
});

/** Codes for misuse of the library itself (not protocol failures). */
export const CoreError = defineErrorCodes("core", {
  "invalid-argument": "an API was called with an argument outside its documented domain",
  "internal": "an invariant of derlink itself was broken; this is a bug",
});
