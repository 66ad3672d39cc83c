/**
 * The reader's streaming UTF-8 decoder (core/xml_text.ts) against the
 * platform's fatal streaming decoder fed one byte at a time: for any bytes
 * cut anywhere, the texts it returns join to the same text, it reports a
 * malformed sequence in the same place, the byte lengths it gives add up,
 * and an unfinished character at the end is noticed.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "./bytes.ts";
import { Utf8Stream } from "./xml_text.ts";

/** The reference: fatal decoding byte by byte up to the first malformed sequence. */
function reference(bytes: Uint8Array): { text: string; bad: boolean; unfinished: boolean } {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let text = "";
  for (let i = 0; i < bytes.length; i++) {
    try {
      text += decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return { text, bad: true, unfinished: false };
    }
  }
  try {
    decoder.decode();
    return { text, bad: false, unfinished: false };
  } catch {
    return { text, bad: false, unfinished: true };
  }
}

/** Pieces of UTF-8, the replacement character and a BOM among them, and stray bytes. */
const piece = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom("a", "<x y='1'>", "é", "中", "😀", "\uFFFD", "\uFEFF", "\u0000")
      .map((s) => [...utf8(s)]),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((b) => [b]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom([0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80]),
  },
);

Deno.test("Utf8Stream = the fatal decoder byte by byte, for any bytes and any split (RFC6120-11.6 PD-21)", () => {
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (pieces, cuts) => {
        const bytes = new Uint8Array(pieces.flat());
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const stream = new Utf8Stream();
        let text = "";
        let bad = false;
        let from = 0;
        for (const to of [...points, bytes.length]) {
          const out = stream.decode(bytes.subarray(from, to));
          text += out.text;
          if (out.bad) {
            bad = true;
            break;
          }
          assert.equal(out.byteLength, utf8(out.text).length);
          from = to;
        }
        const expected = reference(bytes);
        assert.equal(text, expected.text);
        assert.equal(bad, expected.bad);
        if (!bad) assert.equal(stream.finish(), expected.unfinished);
      },
    ),
    { numRuns: 3000 },
  );
});
