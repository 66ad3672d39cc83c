import assert from "node:assert/strict";
import fc from "fast-check";
import {
  concat,
  constantTimeEqual,
  fromBase64,
  fromHex,
  fromUtf8,
  toBase64,
  toHex,
  uintBE,
  utf8,
} from "./bytes.ts";
import { isDerlinkError } from "./errors.ts";

Deno.test("DL-BYTES-1 constantTimeEqual agrees with element-wise equality", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
      const same = a.length === b.length && a.every((x, i) => x === b[i]);
      assert.equal(constantTimeEqual(a, b), same);
      assert.equal(constantTimeEqual(a, a.slice()), true);
    }),
  );
});

Deno.test("DL-BYTES-2 hex and base64 round-trip", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    assert.deepEqual(fromHex(toHex(b)), b);
    assert.deepEqual(fromBase64(toBase64(b)), b);
  }));
  assert.equal(toBase64(utf8("foobar")), "Zm9vYmFy"); // RFC 4648 §10
  assert.equal(toBase64(utf8("fo")), "Zm8=");
});

Deno.test("DL-BYTES-2 non-canonical hex and base64 are refused with codes", () => {
  for (const bad of ["0", "zz", "0g", " 00"]) {
    assert.throws(() => fromHex(bad), (e) => isDerlinkError(e, "bytes/bad-hex"));
  }
  // "Zm9=" has non-zero padding bits (RFC 4648 §3.5); the others are not base64 at all.
  for (const bad of ["Zm9=", "Zm8", "Zm8==", "Z m8=", "Zm8=\n", "====", "Zg=a"]) {
    assert.throws(() => fromBase64(bad), (e) => isDerlinkError(e, "bytes/bad-base64"), bad);
  }
});

Deno.test("strict UTF-8 decoding refuses malformed input", () => {
  assert.equal(fromUtf8(utf8("héllo")), "héllo");
  assert.throws(() => fromUtf8(new Uint8Array([0xc3])));
  assert.throws(() => fromUtf8(new Uint8Array([0xed, 0xa0, 0x80]))); // surrogate
});

Deno.test("concat and uintBE", () => {
  assert.deepEqual(concat(new Uint8Array([1]), new Uint8Array([2, 3])), new Uint8Array([1, 2, 3]));
  assert.deepEqual(uintBE(0x010203, 4), new Uint8Array([0, 1, 2, 3]));
  assert.deepEqual(uintBE(2n ** 64n - 1n, 8), new Uint8Array(8).fill(255));
  assert.throws(() => uintBE(256, 1), (e) => isDerlinkError(e, "core/invalid-argument"));
  assert.throws(() => uintBE(-1, 4), (e) => isDerlinkError(e, "core/invalid-argument"));
});
