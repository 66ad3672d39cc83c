/**
 * Properties of the MMS XER codec (PD-141, PD-142): encode → decode is the
 * identity for arbitrary PDUs within the limits, and decoding arbitrary or
 * mutated bytes never throws and always yields a typed `association/` error
 * or a PDU that encodes back to the same bytes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { pduArb, SMALL_LIMITS } from "./arbitraries.ts";
import { decodePdu, encodePdu } from "./xer.ts";
import { DEFAULT_XER_LIMITS } from "./xer_limits.ts";
import { isRegisteredCode } from "../../core/errors.ts";

Deno.test("xer: encode then decode is the identity (PD-141 PD-142)", () => {
  // spec: PD-141 PD-142
  for (const limits of [SMALL_LIMITS, DEFAULT_XER_LIMITS]) {
    fc.assert(
      fc.property(pduArb(limits), (pdu) => {
        const bytes = encodePdu(pdu, limits);
        assert.ok(bytes.ok, bytes.ok ? "" : bytes.error.message);
        const back = decodePdu(bytes.value, limits);
        assert.ok(back.ok, back.ok ? "" : `${back.error.message}\n${fromUtf8(bytes.value)}`);
        assert.deepStrictEqual(back.value, pdu);
      }),
      { numRuns: 600 },
    );
  }
});

/** Byte- and text-level mutations of an encoded PDU. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.constantFrom(
      "<",
      ">",
      "&",
      '"',
      "'",
      "<x/>",
      "<structure>",
      "</array>",
      ' a="1"',
      "-",
      "9",
      "e+5",
      "<!--x-->",
      "<?pi?>",
      "\u0000",
      "\u00e9",
      "&amp;",
      "&#1;",
    ),
  }),
  fc.record({
    kind: fc.constant("swap" as const),
    from: fc.constantFrom("true", "32", "1", "=", "ST", "read", "item", '"'),
    to: fc.constantFrom("false", "64", "01", "-1", "XX", "write", "items", "'", ""),
  }),
);

interface Mutation {
  kind: string;
  at?: number;
  bit?: number;
  text?: string;
  from?: string;
  to?: string;
}

function mutate(text: string, m: Mutation): Uint8Array {
  const bytes = utf8(text);
  switch (m.kind) {
    case "flip": {
      // Flips act on the text's bytes; a lone flip may make invalid UTF-8 (refused as not XML).
      const copy = bytes.slice();
      if (copy.length > 0) copy[m.at! % copy.length] ^= 1 << m.bit!;
      return copy;
    }
    case "cut":
      return bytes.subarray(0, m.at! % (bytes.length + 1));
    case "insert": {
      const i = m.at! % (text.length + 1);
      return utf8(text.slice(0, i) + m.text + text.slice(i));
    }
    default:
      return utf8(text.replace(m.from!, m.to!));
  }
}

Deno.test("xer: decoding mutated PDUs never throws and yields a typed error or a canonical PDU", () => {
  // spec: PD-141 PD-142
  fc.assert(
    fc.property(
      pduArb(SMALL_LIMITS),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      (pdu, ms) => {
        const enc = encodePdu(pdu, SMALL_LIMITS);
        assert.ok(enc.ok);
        let bytes = enc.value;
        for (const m of ms) bytes = mutate(new TextDecoder().decode(bytes), m);
        const r = decodePdu(bytes, SMALL_LIMITS);
        if (!r.ok) {
          assert.ok(r.error.code.startsWith("association/"), r.error.code);
          assert.ok(isRegisteredCode(r.error.code));
          return;
        }
        // Accepted: it must be a PDU in its one canonical encoding, up to white space and
        // attribute order, so re-encoding and decoding again gives the same value.
        const again = encodePdu(r.value, SMALL_LIMITS);
        assert.ok(again.ok);
        assert.deepStrictEqual(decodePdu(again.value, SMALL_LIMITS), r);
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("xer: decoding arbitrary bytes and strings never throws", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 200 }).map(utf8)),
      (b) => {
        const r = decodePdu(b, SMALL_LIMITS);
        if (!r.ok) assert.ok(r.error.code.startsWith("association/"), r.error.code);
      },
    ),
    { numRuns: 1000 },
  );
});
