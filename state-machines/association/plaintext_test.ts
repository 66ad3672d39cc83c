/**
 * The test-only plaintext association (plaintext.ts, PD-247): refused
 * without its loudly named flag; with it, the same association runs with
 * every MMS XER PDU in clear in the stanzas (what the XMPP server reads).
 */
import assert from "node:assert/strict";
import { isDerlinkError } from "../../core/errors.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import type { EndpointOutput } from "./endpoint.ts";
import { assertPlaintextAllowed, plaintext } from "./plaintext.ts";
import { securePair } from "./secure_fixtures.ts";
import { CLIENT_JID, T0, totWReport } from "./testing.ts";
import type { Xel } from "./xer_dom.ts";
import { Element } from "ltx";
import fc from "fast-check";
import { utf8 } from "../../core/bytes.ts";
import { parseElement } from "../../core/xml.ts";
import type { AProfileInput } from "../a-profile/types.ts";
import type { XmlElement } from "../a-profile/xml.ts";

const events = (out: EndpointOutput[]) =>
  out.flatMap((o) => o.type === "event" ? [o.event.type] : []);
const errors = (out: EndpointOutput[]) => out.flatMap((o) => o.type === "error" ? [o.code] : []);
const refusedWithCode = (e: unknown) =>
  isDerlinkError(e) && e.code === "association/plaintext-not-allowed";

Deno.test("PD-247: protection none without the test flag is refused with association/plaintext-not-allowed", () => {
  // spec: PD-247 DL-CMP-PROT-2
  assert.throws(() => securePair({ protection: "none" }), refusedWithCode);
  for (const flag of [false, undefined, "true", 1]) {
    assert.throws(
      () => securePair({ protection: "none", insecurePlaintextForTestOnly: flag as boolean }),
      refusedWithCode,
    );
    assert.throws(() => assertPlaintextAllowed(flag, "test"), refusedWithCode);
  }
  // The deployable protections do not look at the flag.
  securePair({ protection: "a-profile", insecurePlaintextForTestOnly: false });
});

Deno.test("PD-247: with the flag the association runs with its MMS PDUs in clear", () => {
  // spec: PD-247
  const pair = securePair({ protection: "none", insecurePlaintextForTestOnly: true });
  const r = pair.run("client", { type: "associate" });
  assert.deepEqual(events(r.client), ["associated"]);
  assert.deepEqual(events(r.server), ["associated"]);
  assert.deepEqual(r.wire.map((w) => `${w.from}:${w.stanza.name}:${w.stanza.attrs.type}`), [
    "client:iq:set",
    "server:iq:result",
  ]);
  const wire = r.wire.map((w) => w.stanza.toString()).join("\n");
  assert.match(wire, /<initiate-request xmlns="urn:derlink:mms-xer:0"/);
  assert.match(wire, /<initiate-response xmlns="urn:derlink:mms-xer:0"/);
  const read = pair.run("client", {
    type: "request",
    request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }] },
  });
  assert.match(read.wire[0].stanza.toString(), /MMXU1\.TotW/);
  const report = pair.run("server", {
    type: "report",
    report: totWReport(),
  });
  assert.deepEqual(events(report.client), ["report"]);
  assert.match(report.wire[0].stanza.toString(), /information-report/);
});

Deno.test("PD-247: in clear a PDU changed on the way is taken as sent; foreign payloads are ignored", () => {
  // spec: PD-247
  const pair = securePair({ protection: "none", insecurePlaintextForTestOnly: true });
  pair.run("client", { type: "associate" });
  const r = pair.run("server", {
    type: "report",
    report: totWReport(0, 1234),
  });
  // The server rewrites the value and delivers the report again with the next number.
  const text = r.wire[0].stanza.toString().replace(">1234<", ">9999<")
    .replace('sq-num="0"', 'sq-num="1"');
  assert.match(text, />9999</);
  const changed = parseElement(text) as unknown as Xel;
  changed.attrs.from = "der1@grid.example/iec61850";
  const got = pair.inject("client", changed);
  assert.deepEqual(errors(got.client), []);
  const reports = got.client.flatMap((o) =>
    o.type === "event" && o.event.type === "report" ? [o.event.report] : []
  );
  assert.equal(reports.length, 1);
  assert.deepEqual(reports[0].entries[0].value, { type: "float", value: 9999, width: 32 });
  // A stanza with another payload is not association traffic: ignored, as with protection.
  const junk = new Element("iq", { from: CLIENT_JID, type: "set", id: "x1" })
    .c("operate", { xmlns: "urn:other" }).root();
  assert.deepEqual(pair.inject("server", junk as unknown as Xel).wire, []);
  assert.equal(pair.server.association.phase, "associated");
});

Deno.test("PD-247: conclude ends the association; a new one works", () => {
  // spec: PD-247 PD-146
  const pair = securePair({ protection: "none", insecurePlaintextForTestOnly: true });
  pair.run("client", { type: "associate" });
  const r = pair.run("client", { type: "conclude" });
  assert.deepEqual(events(r.client), ["concluded"]);
  assert.deepEqual(events(r.server), ["concluded"]);
  pair.now = T0 + 1000;
  const again = pair.run("client", { type: "associate" });
  assert.deepEqual(events(again.client), ["associated"]);
  assert.deepEqual(events(again.server), ["associated"]);
});

Deno.test("PD-247: the plaintext machine is total and follows its declared edges", () => {
  // spec: PD-247
  const element = fc.constantFrom(
    '<initiate-request xmlns="urn:derlink:mms-xer:0"/>',
    '<pdu xmlns="urn:derlink:a-profile:0"/>',
  ).map((x) => parseElement(x) as unknown as XmlElement);
  assertMachineTotal(plaintext, {
    config: fc.constant(undefined),
    input: fc.oneof(
      fc.constant({ type: "start", now: T0 } as AProfileInput),
      fc.constant({ type: "release", now: T0 } as AProfileInput),
      fc.constant({ type: "abort", now: T0 } as AProfileInput),
      fc.constant({ type: "tick", now: T0 } as AProfileInput),
      fc.constantFrom("<x/>", "not xml <").map((t): AProfileInput => ({
        type: "send",
        payload: utf8(t),
        now: T0,
      })),
      element.map((e): AProfileInput => ({ type: "receive", element: e, now: T0 })),
    ),
  });
});
