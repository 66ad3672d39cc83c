/**
 * Tests of the XML carriage (PD-122): round trips through the project's
 * strict XML reader, and refusal of elements whose attributes disagree with
 * the bytes they carry.
 */
import assert from "node:assert/strict";
import { utf8 } from "../../core/bytes.ts";
import { isDerlinkError } from "../../core/errors.ts";
import { parseElement } from "../../core/xml.ts";
import { GdoiError, GroupError } from "./errors.ts";
import { groupFixture, GroupSim } from "./testing.ts";
import {
  GDOI_NS,
  gdoiElement,
  gdoiFromElement,
  GROUP_NS,
  spduElement,
  spduFromElement,
} from "./xml.ts";

const fixture = groupFixture({ jids: ["pub@grid.example", "der1@grid.example"], seed: "xml" });
const sim = new GroupSim(fixture, "xml");
sim.register("pub@grid.example");
sim.register("der1@grid.example");
const spdu = sim.protect("pub@grid.example", "stream-1", utf8("x"))!;
const rekey = sim.traffic.rekeys.at(-1)!;

Deno.test("xml: rekeys and protected messages survive the strict reader (PD-122)", () => {
  // spec: PD-122
  const g = parseElement(gdoiElement(rekey).toString());
  assert.equal(g.getNS(), GDOI_NS);
  assert.equal(g.attrs.kind, "rekey");
  assert.equal(g.attrs.seq, "2");
  assert.deepEqual(gdoiFromElement(g), { kind: "rekey", data: rekey });
  for (const reg of sim.traffic.registration) {
    assert.deepEqual(gdoiFromElement(parseElement(gdoiElement(reg).toString())).data, reg);
  }
  const s = parseElement(spduElement(spdu).toString());
  assert.equal(s.getNS(), GROUP_NS);
  assert.equal(s.attrs.stream, "stream-1");
  assert.deepEqual(spduFromElement(s), spdu);
});

Deno.test("xml: attributes that disagree with the content are refused (PD-122)", () => {
  // spec: PD-122
  const edit = (xml: string, from: string, to: string) => parseElement(xml.replace(from, to));
  const g = gdoiElement(rekey).toString();
  const s = spduElement(spdu).toString();
  const gdoiBad = (xml: string) =>
    assert.throws(
      () => gdoiFromElement(parseElement(xml)),
      (e) => isDerlinkError(e, GdoiError.malformed),
    );
  const spduBad = (xml: string) =>
    assert.throws(
      () => spduFromElement(parseElement(xml)),
      (e) => isDerlinkError(e, GroupError.malformed),
    );
  gdoiBad(g.replace('seq="2"', 'seq="3"'));
  gdoiBad(g.replace('kind="rekey"', 'kind="keys"'));
  gdoiBad(g.replace('group="vpp-dispatch"', 'group="other"'));
  gdoiBad(g.replace(GDOI_NS, "urn:other"));
  gdoiBad(g.replace(/>[^<]+</, ">not base64!<"));
  spduBad(s.replace('stream="stream-1"', 'stream="stream-2"'));
  spduBad(s.replace(/key="\d+"/, 'key="0"'));
  spduBad(s.replace('spdu="1"', 'spdu="2"'));
  spduBad(s.replace(GROUP_NS, GDOI_NS));
  // Absent attributes are fine: the bytes decide.
  assert.deepEqual(spduFromElement(edit(s, ' stream="stream-1"', "")), spdu);
});
