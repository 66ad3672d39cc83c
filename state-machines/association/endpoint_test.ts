/**
 * End to end: a control centre and a DER, each an association machine inside
 * an A-profile session, wired through an in-memory "XMPP server" that stamps
 * `from`, serialises every stanza and reads it back with the strict reader.
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { EndpointOutput } from "./endpoint.ts";
import type { PairRun } from "./pair.ts";
import { securePair } from "./secure_fixtures.ts";
import type { ControlParameters } from "./services.ts";
import { OTHER_JID, presence, T0, totWReport } from "./testing.ts";
import type { Xel } from "./xer_dom.ts";

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

function associated() {
  const pair = securePair();
  const run = pair.run("client", { type: "associate" });
  assert.deepEqual(sessions(run.client), ["established"]);
  assert.deepEqual(sessions(run.server), ["established"]);
  assert.deepEqual(events(run.client), ["associated"]);
  assert.deepEqual(events(run.server), ["associated"]);
  return { pair, run };
}

Deno.test("end to end: the initiate rides in the A-profile session; the XMPP server sees no MMS (PD-140 PAPER-R6a)", () => {
  // spec: PD-140 PAPER-R4a PAPER-R6a PAPER-MAP1
  const { run } = associated();
  assert.deepEqual(
    run.wire.map((w) =>
      `${w.from}:${w.stanza.name}:${w.stanza.attrs.type ?? ""}:${w.stanza.attrs.id ?? ""}`
    ),
    [
      "client:iq:set:h1",
      "server:iq:result:h1",
      "client:iq:set:a1",
      "server:iq:result:a1",
    ],
  );
  const text = wireText(run);
  assert.doesNotMatch(text, /mms-xer|initiate|max-outstanding/);
  assert.equal(run.wire[2].stanza.getChild("pdu")?.attrs.kind, "data");
});

Deno.test("end to end: read, SBOw + operate + command termination, report (PAPER-MAP1 PAPER-MAP2 IEC61850-SBOES)", () => {
  // spec: PAPER-MAP1 PAPER-MAP2 IEC61850-SBOES IEC61850-CMDTERM PD-140 PAPER-AS1 PAPER-AS2 PAPER-AS3
  const { pair } = associated();
  const seen: string[] = [];
  let r = pair.run("client", {
    type: "request",
    request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }] },
  });
  seen.push(wireText(r));
  r = pair.run("server", {
    type: "respond",
    invokeId: lastIndication(r.server),
    answer: { service: "read", results: [{ type: "float", value: 1234.5, width: 32 }] },
  });
  seen.push(wireText(r));
  assert.deepEqual(events(r.client), ["confirmation"]);
  r = pair.run("client", {
    type: "request",
    request: { service: "select-with-value", control: CONTROL, params: params(7) },
  });
  seen.push(wireText(r));
  r = pair.run("server", {
    type: "respond",
    invokeId: lastIndication(r.server),
    answer: { service: "select-with-value", control: CONTROL, ctlNum: 7 },
  });
  seen.push(wireText(r));
  r = pair.run("client", {
    type: "request",
    request: { service: "operate", control: CONTROL, params: params(7) },
  });
  seen.push(wireText(r));
  r = pair.run("server", {
    type: "respond",
    invokeId: lastIndication(r.server),
    answer: { service: "operate", control: CONTROL, ctlNum: 7 },
  });
  seen.push(wireText(r));
  assert.deepEqual(events(r.client), ["confirmation"]);
  r = pair.run("server", { type: "terminate", termination: { control: CONTROL, ctlNum: 7 } });
  seen.push(wireText(r));
  assert.deepEqual(events(r.client), ["command-termination"]);
  assert.equal(r.wire[0].stanza.name, "message");
  r = pair.run("server", {
    type: "report",
    report: totWReport(),
  });
  seen.push(wireText(r));
  assert.deepEqual(events(r.client), ["report"]);
  assert.equal(r.wire[0].stanza.name, "message");
  // Meter data, control parameters and data names never cross the server in clear.
  assert.doesNotMatch(seen.join("\n"), /MMXU|TotW|urcb01|DER1|ctlNum|operate/);
});

Deno.test("end to end: the DER drops off; presence unavailable aborts at once, no resurrection (PAPER-MAP3 PD-149)", () => {
  // spec: PAPER-MAP3 PD-149 RFC6121-4.5.2
  const { pair } = associated();
  pair.run("client", {
    type: "request",
    request: { service: "get-name-list", scope: { objectClass: "logical-device" } },
  });
  const r = pair.disconnect("server");
  assert.deepEqual(events(r.client), ["request-failed", "aborted"]);
  assert.deepEqual(sessions(r.client), ["aborted"]);
  assert.equal(r.wire.length, 0, "nothing is sent to a peer that is gone");
  assert.equal(pair.client.session.phase, "aborted");
  const back = pair.reconnect("server");
  assert.deepEqual(events(back.client), []);
  assert.equal(pair.client.association.phase, "aborted");
  // A new associate builds a new session and a new association.
  const again = pair.run("client", { type: "associate" });
  assert.deepEqual(sessions(again.client), ["established"]);
  assert.deepEqual(events(again.client), ["associated"]);
  assert.deepEqual(events(again.server), ["associated"]);
});

Deno.test("end to end: spoofed presence is ignored; a forged PDU is refused and its iq answered (PD-149 PD-152)", () => {
  // spec: PD-149 PD-152 RFC6120-8.2.3
  const { pair } = associated();
  const spoof = pair.inject("client", presence(OTHER_JID, "unavailable"));
  assert.deepEqual(events(spoof.client), ["ignored"]);
  assert.equal(pair.client.association.phase, "associated");
  const forged = new Element("iq", { from: OTHER_JID, type: "set", id: "m9" });
  forged.c("pdu", {
    xmlns: "urn:derlink:a-profile:0",
    association: "00",
    epoch: "0",
    seq: "1",
    time: String(T0),
    kind: "data",
  }).t("AAAA");
  const r = pair.inject("server", forged as unknown as Xel);
  assert.ok(errors(r.server).length > 0);
  assert.equal(r.wire.length, 1);
  assert.equal(r.wire[0].stanza.attrs.type, "error");
  assert.equal(pair.server.association.phase, "associated");
});

Deno.test("end to end: conclude releases the session on both ends (IEC61850-CONCLUDE PD-146)", () => {
  // spec: IEC61850-CONCLUDE PD-146 PD-140
  const { pair } = associated();
  const r = pair.run("client", { type: "conclude" });
  assert.deepEqual(events(r.client), ["concluded"]);
  assert.deepEqual(events(r.server), ["concluded"]);
  assert.deepEqual(sessions(r.client), ["released"]);
  assert.deepEqual(sessions(r.server), ["released"]);
  assert.equal(pair.client.association.phase, "concluded");
});

Deno.test("end to end: a peer's ping is answered; the association's own ping keeps it alive (XEP0199-4.4)", () => {
  // spec: XEP0199-4.4 XEP0199-pong PD-150
  const pair = securePair({ client: { ping: { intervalMs: 60_000, timeoutMs: 5_000 } } });
  pair.run("client", { type: "associate" });
  const r = pair.tick(T0 + 60_000);
  assert.deepEqual(r.wire.map((w) => `${w.stanza.name}:${w.stanza.attrs.type}`), [
    "iq:get",
    "iq:result",
  ]);
  assert.equal(pair.client.association.phase, "associated");
  assert.equal(
    (pair.client.association as { ping?: { awaiting?: unknown } }).ping?.awaiting,
    undefined,
  );
});
