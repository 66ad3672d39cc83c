/**
 * The association's end-to-end scenarios over both protections of the
 * switch (PD-226): the A-profile session and per-message signing and
 * encryption. The same client and server machines, the same stanzas, the
 * same events; only what the XMPP server sees differs.
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { EndpointOutput } from "./endpoint.ts";
import type { PairRun } from "./pair.ts";
import { PROTECTIONS } from "./protection.ts";
import { securePair } from "./secure_fixtures.ts";
import type { ControlParameters } from "./services.ts";
import { OTHER_JID, presence, T0, totWReport } from "./testing.ts";
import type { Xel } from "./xer_dom.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";

const events = (out: EndpointOutput[]) =>
  out.flatMap((o) => o.type === "event" ? [o.event.type] : []);
const sessions = (out: EndpointOutput[]) =>
  out.flatMap((o) => o.type === "session" ? [o.event] : []);
const errors = (out: EndpointOutput[]) => out.flatMap((o) => o.type === "error" ? [o.code] : []);
const wireText = (r: PairRun) => r.wire.map((w) => w.stanza.toString()).join("\n");
const lastIndication = (out: EndpointOutput[]) => {
  for (const o of out.toReversed()) {
    if (o.type === "event" && o.event.type === "indication") return o.event.invokeId;
  }
  throw new Error("no indication");
};
const CONTROL = "DER1/DRCC1.OutWSet";
const params = (ctlNum: number): ControlParameters => ({
  ctlVal: { type: "float", value: 2000, width: 32 },
  origin: { orCat: "remote-control", orIdent: "vpp" },
  ctlNum,
  t: T0,
  test: false,
  check: { synchrocheck: false, interlockCheck: false },
});

for (const protection of PROTECTIONS) {
  const associated = (suite?: SuiteId) => {
    const pair = securePair({ protection, suite });
    const run = pair.run("client", { type: "associate" });
    assert.deepEqual(sessions(run.client), ["established"]);
    assert.deepEqual(sessions(run.server), ["established"]);
    assert.deepEqual(events(run.client), ["associated"]);
    assert.deepEqual(events(run.server), ["associated"]);
    return { pair, run };
  };

  Deno.test(`${protection}: the initiate rides protected; the XMPP server sees no MMS (PD-226 PAPER-R6a)`, () => {
    // spec: PD-226 PAPER-R4a PAPER-R6a PAPER-MAP1
    for (const suite of ["x25519-ed25519", "p256", "brainpool256"] as const) {
      const { run } = associated(suite);
      const text = wireText(run);
      assert.doesNotMatch(text, /mms-xer|initiate|max-outstanding/);
      const kinds = run.wire.map((w) => `${w.from}:${w.stanza.name}:${w.stanza.attrs.type}`);
      assert.deepEqual(
        kinds,
        protection === "a-profile"
          ? ["client:iq:set", "server:iq:result", "client:iq:set", "server:iq:result"]
          : ["client:iq:set", "server:iq:result"],
        "per-message needs no handshake",
      );
    }
  });

  Deno.test(`${protection}: read, SBOw + operate + command termination, report (PD-226)`, () => {
    // spec: PD-226 PAPER-MAP1 PAPER-MAP2 IEC61850-SBOES IEC61850-CMDTERM
    const { pair } = associated();
    let r = pair.run("client", {
      type: "request",
      request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }] },
    });
    r = pair.run("server", {
      type: "respond",
      invokeId: lastIndication(r.server),
      answer: { service: "read", results: [{ type: "float", value: 1234.5, width: 32 }] },
    });
    assert.deepEqual(events(r.client), ["confirmation"]);
    for (const service of ["select-with-value", "operate"] as const) {
      r = pair.run("client", {
        type: "request",
        request: { service, control: CONTROL, params: params(7) },
      });
      r = pair.run("server", {
        type: "respond",
        invokeId: lastIndication(r.server),
        answer: { service, control: CONTROL, ctlNum: 7 },
      });
      assert.deepEqual(events(r.client), ["confirmation"]);
    }
    r = pair.run("server", { type: "terminate", termination: { control: CONTROL, ctlNum: 7 } });
    assert.deepEqual(events(r.client), ["command-termination"]);
    r = pair.run("server", {
      type: "report",
      report: totWReport(),
    });
    assert.deepEqual(events(r.client), ["report"]);
    assert.equal(r.wire[0].stanza.name, "message");
    assert.doesNotMatch(wireText(r), /MMXU1/);
  });

  Deno.test(`${protection}: the DER drops off, comes back, and a new association works (PAPER-MAP3 PD-149)`, () => {
    // spec: PAPER-MAP3 PD-149 PD-226
    const { pair } = associated();
    pair.run("client", {
      type: "request",
      request: { service: "get-name-list", scope: { objectClass: "logical-device" } },
    });
    const r = pair.disconnect("server");
    assert.deepEqual(events(r.client), ["request-failed", "aborted"]);
    assert.deepEqual(sessions(r.client), ["aborted"]);
    assert.equal(r.wire.length, 0);
    pair.reconnect("server");
    assert.equal(pair.client.association.phase, "aborted");
    pair.now = T0 + 1000;
    const again = pair.run("client", { type: "associate" });
    assert.deepEqual(sessions(again.client), ["established"]);
    assert.deepEqual(events(again.client), ["associated"]);
    assert.deepEqual(events(again.server), ["associated"]);
  });

  Deno.test(`${protection}: spoofed presence ignored; a forged protected element refused and its iq answered (PD-152)`, () => {
    // spec: PD-149 PD-152 RFC6120-8.2.3
    const { pair } = associated();
    assert.deepEqual(events(pair.inject("client", presence(OTHER_JID, "unavailable")).client), [
      "ignored",
    ]);
    const forged = new Element("iq", { from: OTHER_JID, type: "set", id: "m9" });
    if (protection === "a-profile") {
      forged.c("pdu", {
        xmlns: "urn:derlink:a-profile:0",
        association: "00",
        epoch: "0",
        seq: "1",
        time: String(T0),
        kind: "data",
      }).t("AAAA");
    } else {
      forged.c("signed", { xmlns: "urn:derlink:per-message:0", v: "0" }).t("");
    }
    const r = pair.inject("server", forged as unknown as Xel);
    assert.ok(errors(r.server).length > 0);
    assert.equal(r.wire.length, 1);
    assert.equal(r.wire[0].stanza.attrs.type, "error");
    assert.equal(pair.server.association.phase, "associated");
  });

  Deno.test(`${protection}: a PDU captured and delivered again is refused (PAPER-AS3)`, () => {
    // spec: PAPER-AS3 PD-229 PD-91
    const { pair } = associated();
    const r = pair.run("server", {
      type: "report",
      report: totWReport(1),
    });
    const captured = new Element("message", { from: "der1@grid.example/iec61850" });
    for (const c of r.wire[0].stanza.children) captured.cnode(c as Element);
    const again = pair.inject("client", captured as unknown as Xel);
    assert.deepEqual(events(again.client), []);
    assert.deepEqual(errors(again.client), [
      protection === "a-profile" ? "aprofile/replay" : "permessage/replay",
    ]);
  });

  Deno.test(`${protection}: conclude releases the protection on both ends (PD-146)`, () => {
    // spec: IEC61850-CONCLUDE PD-146 PD-226
    const { pair } = associated();
    const r = pair.run("client", { type: "conclude" });
    assert.deepEqual(events(r.client), ["concluded"]);
    assert.deepEqual(events(r.server), ["concluded"]);
    assert.deepEqual(sessions(r.client), ["released"]);
    assert.deepEqual(sessions(r.server), ["released"]);
  });

  Deno.test(`${protection}: the association's own ping keeps it alive (XEP0199-4.4)`, () => {
    // spec: XEP0199-4.4 PD-150
    const pair = securePair({
      protection,
      client: { ping: { intervalMs: 60_000, timeoutMs: 5_000 } },
    });
    pair.run("client", { type: "associate" });
    const r = pair.tick(T0 + 60_000);
    assert.deepEqual(r.wire.map((w) => `${w.stanza.name}:${w.stanza.attrs.type}`), [
      "iq:get",
      "iq:result",
    ]);
    assert.equal(pair.client.association.phase, "associated");
  });
}
