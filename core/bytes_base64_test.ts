/**
 * Differential test: the native base64 in core/bytes.ts against the
 * btoa/atob implementation it replaced (kept here as the reference), on
 * bytes and on arbitrary texts over the base64 alphabet, padding and a few
 * intruders: same text out, same bytes out, same refusals.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fromBase64, toBase64 } from "./bytes.ts";
import { isDerlinkError } from "./errors.ts";

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function referenceTo(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function referenceFrom(text: string): Uint8Array | "bad-base64" {
  if (!B64.test(text)) return "bad-base64";
  const bin = atob(text);
  const out = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return referenceTo(out) === text ? out : "bad-base64";
}

function ours(text: string): Uint8Array | "bad-base64" {
  try {
    return fromBase64(text);
  } catch (e) {
    assert.ok(isDerlinkError(e, "bytes/bad-base64"), String(e));
    return "bad-base64";
  }
}

// spec: DL-BYTES-2
Deno.test("DL-BYTES-2 native base64 agrees with the reference on bytes", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
    const text = toBase64(b);
    assert.equal(text, referenceTo(b));
    assert.deepEqual(fromBase64(text), b);
  }));
  const big = new Uint8Array(100_000).map((_, i) => i * 7);
  assert.equal(toBase64(big), referenceTo(big));
});

// spec: DL-BYTES-2
Deno.test("DL-BYTES-2 native base64 agrees with the reference on arbitrary texts", () => {
  const alphabet = "AQgwZz09+/=\n \t-_.".split("");
  const texts = fc.oneof(
    fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((cs) => cs.join("")),
    fc.string({ maxLength: 12 }),
    // Valid text with one character changed: padding bits, padding, alphabet.
    fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 10 }), fc.nat(), fc.constantFrom(...alphabet))
      .map(([b, at, c]) => {
        const t = referenceTo(b);
        const i = at % t.length;
        return t.slice(0, i) + c + t.slice(i + 1);
      }),
  );
  fc.assert(fc.property(texts, (t) => assert.deepEqual(ours(t), referenceFrom(t), t)), {
    numRuns: 3000,
  });
});
