/**
 * Where the elements of a DER encoding sit, for slicing bytes out of a
 * structure the ASN.1 schemas have already parsed and proved to be DER
 * (it re-encoded to itself, parse.ts). Slicing gives the same bytes as
 * serialising the parsed part again — DER is one encoding per value and an
 * element's encoding does not depend on what surrounds it — without the
 * cost of a second serialisation.
 *
 * Only what that use needs: single-byte tags and definite lengths (DER has
 * no other lengths). Anything else throws; parse.ts turns a throw into
 * pki/malformed.
 *
 * @module
 */

/** One element: header at `start`, contents from `body` to `end` (exclusive). */
export interface Span {
  readonly start: number;
  readonly body: number;
  readonly end: number;
}

/** The element that starts at `at` and must end by `limit`. */
export function spanAt(der: Uint8Array, at: number, limit: number = der.length): Span {
  if (at + 2 > limit) throw new Error("DER element truncated");
  // High tag numbers (low five bits all set) never occur in what derlink slices.
  if ((der[at] & 0x1f) === 0x1f) throw new Error("multi-byte DER tag");
  const first = der[at + 1];
  let body = at + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || body + count > limit) throw new Error("DER length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[body + i];
    body += count;
  }
  const end = body + length;
  if (end > limit) throw new Error("DER element overruns its parent");
  return { start: at, body, end };
}

/** The elements inside constructed element `parent`, in order. */
export function childrenOf(der: Uint8Array, parent: Span): Span[] {
  const out: Span[] = [];
  for (let at = parent.body; at < parent.end;) {
    const child = spanAt(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The bytes of `span`, header included, as a view (no copy). */
export const bytesOf = (der: Uint8Array, span: Span): Uint8Array =>
  der.subarray(span.start, span.end);
