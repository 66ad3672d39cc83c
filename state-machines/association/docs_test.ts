/**
 * docs/mms-xer.md stays true: every XML example on it decodes, and the
 * one-line ones are exactly what the encoder writes for what they decode to.
 */
import assert from "node:assert/strict";
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { decodePdu, encodePdu } from "./xer.ts";

Deno.test("docs/mms-xer.md: every example decodes and the compact ones are canonical (PD-141)", () => {
  // spec: PD-141
  const text = Deno.readTextFileSync(new URL("../../docs/mms-xer.md", import.meta.url));
  const blocks = [...text.matchAll(/```xml\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 19, `${blocks.length} examples`);
  for (const xml of blocks) {
    const pdu = decodePdu(utf8(xml));
    assert.ok(pdu.ok, `${xml.slice(0, 60)}: ${pdu.ok ? "" : pdu.error.message}`);
    if (xml.includes("\n")) continue;
    const again = encodePdu(pdu.value);
    assert.ok(again.ok);
    assert.equal(fromUtf8(again.value), xml);
  }
});
