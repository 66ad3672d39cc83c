/**
 * Sliced certificate parts equal what the ASN.1 schemas serialise: for every
 * certificate in the PKI vectors that parses, the TBS bytes, names, serial
 * and signature cut out of the DER (der_spans.ts) are the bytes the library
 * gives for the same fields; and the span reader refuses what it cannot
 * slice.
 */
import assert from "node:assert/strict";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { fromHex } from "../bytes.ts";
import { listVectorFiles, loadVectorFile } from "../vectors.ts";
import { childrenOf, spanAt } from "./der_spans.ts";
import { nameDer } from "./names.ts";
import { parseCertificate } from "./parse.ts";

/** Every hex string of a vector file that could be DER (a SEQUENCE of some length). */
function hexStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string" && /^30[0-9a-f]{80,}$/.test(value)) out.push(value);
  else if (Array.isArray(value)) { for (const v of value) hexStrings(v, out); }
  else if (value && typeof value === "object") {
    for (const v of Object.values(value)) hexStrings(v, out);
  }
  return out;
}

Deno.test("pki: sliced certificate parts equal the library's serialisation of each field (PD-82)", () => {
  let compared = 0;
  for (const path of listVectorFiles().filter((f) => f.startsWith("pki/"))) {
    for (const hex of new Set(hexStrings(loadVectorFile(path)))) {
      const der = fromHex(hex);
      const parsed = parseCertificate(der);
      if (!parsed.ok) continue;
      const p = parsed.value;
      const cert = AsnConvert.parse(der, Certificate);
      const tbs = cert.tbsCertificate;
      assert.deepEqual(p.der, der);
      assert.deepEqual(p.tbsDer, new Uint8Array(cert.tbsCertificateRaw!));
      assert.deepEqual(p.issuer, nameDer(tbs.issuer));
      assert.deepEqual(p.subject, nameDer(tbs.subject));
      assert.deepEqual(nameDer(p.subjectName), p.subject);
      assert.deepEqual(p.serial, new Uint8Array(tbs.serialNumber));
      assert.deepEqual(p.signature, new Uint8Array(cert.signatureValue));
      compared++;
    }
  }
  assert.ok(compared >= 30, `${compared} certificates compared`);
});

Deno.test("pki: the parsed certificate does not share the caller's bytes", () => {
  const file = loadVectorFile(listVectorFiles().find((f) => f.startsWith("pki/"))!);
  const der = fromHex(hexStrings(file)[0]);
  const parsed = parseCertificate(der);
  assert.ok(parsed.ok);
  const before = parsed.value.tbsDer.slice();
  der.fill(0);
  assert.deepEqual(parsed.value.tbsDer, before);
});

Deno.test("pki: the span reader refuses what it cannot slice", () => {
  const bad: [string, number[]][] = [
    ["truncated header", [0x30]],
    ["multi-byte tag", [0x1f, 0x81, 0x00]],
    ["zero length octets", [0x30, 0x80]],
    ["five length octets", [0x30, 0x85, 0, 0, 0, 0, 1]],
    ["length octets past the end", [0x30, 0x82, 0x01]],
    ["contents past the end", [0x30, 0x03, 0x05, 0x00]],
  ];
  for (const [what, bytes] of bad) {
    assert.throws(() => spanAt(new Uint8Array(bytes), 0), Error, what);
  }
  const seq = new Uint8Array([0x30, 0x81, 0x04, 0x05, 0x00, 0x02, 0x00]);
  const outer = spanAt(seq, 0);
  assert.deepEqual(outer, { start: 0, body: 3, end: 7 });
  assert.deepEqual(childrenOf(seq, outer), [
    { start: 3, body: 5, end: 5 },
    { start: 5, body: 7, end: 7 },
  ]);
  // A child overrunning its parent is refused even when the buffer is longer.
  const overrun = new Uint8Array([0x30, 0x02, 0x04, 0x02, 0x00, 0x00]);
  assert.throws(() => childrenOf(overrun, spanAt(overrun, 0)));
});
