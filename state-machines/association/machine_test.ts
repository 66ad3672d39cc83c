/**
 * Scenario tests of the client and server roles linked in plaintext
 * (testing.ts): every service, select-before-operate with enhanced
 * security, reports, conclude, abort, and the presence monitor.
 */
import assert from "node:assert/strict";
import { utf8 } from "../../core/bytes.ts";
import { AssociationError as E } from "./errors.ts";
import type { Carriage, MmsPdu } from "./pdus.ts";
import type { ControlParameters, Report } from "./services.ts";
import { CLIENT_JID, OTHER_JID, PlainPair, presence, SERVER_JID, T0 } from "./testing.ts";
import { pduText } from "./xer.ts";

const params = (ctlNum: number, extra: Partial<ControlParameters> = {}): ControlParameters => ({
  ctlVal: { type: "float", value: 1500, width: 32 },
  origin: { orCat: "remote-control", orIdent: "vpp" },
  ctlNum,
  t: T0,
  test: false,
  check: { synchrocheck: false, interlockCheck: true },
  ...extra,
});
const CONTROL = "DER1/DRCC1.OutWSet";

function associated(): PlainPair {
  const p = new PlainPair(
    { peer: SERVER_JID, settings: { reportGapIsError: true } },
    { peer: CLIENT_JID, settings: { maxOutstanding: 4 } },
  );
  p.client({ type: "associate" });
  assert.equal(p.c.phase, "associated");
  assert.equal(p.s.phase, "associated");
  return p;
}

const raw = (pdu: MmsPdu, carriage: Carriage, from = SERVER_JID) => ({
  type: "pdu" as const,
  data: utf8(pduText(pdu)),
  carriage,
  from,
});

Deno.test("associate: initiate negotiated down to the server's caps (IEC61850-ASSOCIATE PD-143)", () => {
  // spec: IEC61850-ASSOCIATE PD-143
  const p = associated();
  assert.deepEqual(p.events("client"), ["associated"]);
  assert.equal(p.c.negotiated?.maxOutstanding, 4);
  assert.equal(p.s.negotiated?.maxOutstanding, 4);
});

Deno.test("read: request, indication, response, confirmation (PAPER-MAP1 PD-144)", () => {
  // spec: PAPER-MAP1 PD-144
  const p = associated();
  const out = p.client({
    type: "request",
    request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }] },
  });
  assert.deepEqual(out.find((o) => o.type === "send")?.type === "send" && out[0], {
    type: "send",
    carriage: { kind: "iq", type: "set", id: "m1" },
    data: (out[0] as { data: Uint8Array }).data,
  });
  const id = p.lastIndication();
  p.server({
    type: "respond",
    invokeId: id,
    answer: { service: "read", results: [{ type: "float", value: 1.5, width: 32 }] },
  });
  assert.deepEqual(p.events("client"), ["associated", "confirmation"]);
  assert.deepEqual(p.c.pending, {});
  assert.deepEqual(p.s.pending, {});
});

Deno.test("SBOw, operate, command termination (IEC61850-SBOES IEC61850-CMDTERM PD-147)", () => {
  // spec: IEC61850-SBOES IEC61850-CMDTERM PD-147
  const p = associated();
  p.client({
    type: "request",
    request: { service: "select-with-value", control: CONTROL, params: params(3) },
  });
  p.server({
    type: "respond",
    invokeId: p.lastIndication(),
    answer: { service: "select-with-value", control: CONTROL, ctlNum: 3 },
  });
  p.client({
    type: "request",
    request: { service: "operate", control: CONTROL, params: params(3) },
  });
  p.server({
    type: "respond",
    invokeId: p.lastIndication(),
    answer: { service: "operate", control: CONTROL, ctlNum: 3 },
  });
  assert.deepEqual(p.c.commands, { [`=${CONTROL}`]: 3 });
  p.server({ type: "terminate", termination: { control: CONTROL, ctlNum: 3 } });
  assert.deepEqual(p.events("client"), [
    "associated",
    "confirmation",
    "confirmation",
    "command-termination",
  ]);
  assert.deepEqual(p.c.commands, {});
  assert.deepEqual(p.errors("client"), []);
  assert.deepEqual(p.errors("server"), []);
});

Deno.test("operate without select: refused by the client, and by the server with object-not-selected (PD-147)", () => {
  // spec: IEC61850-SBOES PD-147 PD-153
  const p = associated();
  const local = p.client({
    type: "request",
    request: { service: "operate", control: CONTROL, params: params(1) },
  });
  assert.deepEqual(local.map((o) => o.type === "error" && o.code), [E["not-selected"]]);
  // A client that sends it anyway (raw PDU) gets a negative response.
  const out = p.server(
    raw(
      {
        kind: "confirmed-request",
        invokeId: 9,
        request: { service: "operate", control: CONTROL, params: params(1) },
      },
      { kind: "iq", type: "set", id: "x9" },
      CLIENT_JID,
    ),
  );
  assert.equal(out[0].type, "send");
  assert.match(
    new TextDecoder().decode((out[0] as { data: Uint8Array }).data),
    /add-cause="object-not-selected"/,
  );
  assert.deepEqual(out.slice(1).map((o) => o.type === "error" && o.code), [E["not-selected"]]);
});

Deno.test("stale ctlNum and changed parameters are refused with inconsistent-parameters (PD-147)", () => {
  // spec: IEC61850-SBOES PD-147
  const p = associated();
  p.client({
    type: "request",
    request: { service: "select-with-value", control: CONTROL, params: params(3) },
  });
  p.server({
    type: "respond",
    invokeId: p.lastIndication(),
    answer: { service: "select-with-value", control: CONTROL, ctlNum: 3 },
  });
  const stale = p.client({
    type: "request",
    request: { service: "operate", control: CONTROL, params: params(2) },
  });
  assert.deepEqual(stale.map((o) => o.type === "error" && o.code), [E["ctlnum-mismatch"]]);
  const srv = p.server(
    raw(
      {
        kind: "confirmed-request",
        invokeId: 50,
        request: { service: "operate", control: CONTROL, params: params(3, { test: true }) },
      },
      { kind: "iq", type: "set", id: "x" },
      CLIENT_JID,
    ),
  );
  assert.match(
    new TextDecoder().decode((srv[0] as { data: Uint8Array }).data),
    /inconsistent-parameters/,
  );
  assert.deepEqual(srv.slice(1).map((o) => o.type === "error" && o.code), [
    E["parameters-mismatch"],
  ]);
});

Deno.test("select timeout: the selection expires on both ends (IEC61850-SBO-TIMEOUT)", () => {
  // spec: IEC61850-SBO-TIMEOUT PD-147
  const p = associated();
  p.client({
    type: "request",
    request: { service: "select-with-value", control: CONTROL, params: params(3) },
  });
  p.server({
    type: "respond",
    invokeId: p.lastIndication(),
    answer: { service: "select-with-value", control: CONTROL, ctlNum: 3 },
  });
  p.now += 30_000;
  p.server({ type: "tick" });
  p.client({ type: "tick" });
  assert.ok(p.events("server").includes("select-expired"));
  assert.ok(p.events("client").includes("select-expired"));
  const late = p.client({
    type: "request",
    request: { service: "operate", control: CONTROL, params: params(3) },
  });
  assert.deepEqual(late.map((o) => o.type === "error" && o.code), [E["not-selected"]]);
});

const report = (sqNum: number): Report => ({
  rptId: "DER1/LLN0$BR$brcb01",
  sqNum,
  time: T0,
  entries: [{
    ref: { ref: "DER1/MMXU1.TotW", fc: "MX" },
    value: { type: "float", value: 10, width: 32 },
  }],
});

Deno.test("reports: SqNum wraps, a gap is surfaced, duplicates and stale ones refused (PD-148)", () => {
  // spec: PD-148 IEC61850-SQNUM PAPER-MAP2
  const p = associated();
  for (const sq of [65534, 65535, 0]) p.server({ type: "report", report: report(sq) });
  p.server({ type: "report", report: report(3) });
  p.server({ type: "report", report: report(3) });
  p.server({ type: "report", report: report(1) });
  assert.deepEqual(p.events("client").filter((e) => e.startsWith("report")), [
    "report",
    "report",
    "report",
    "report",
    "report-gap",
  ]);
  assert.deepEqual(p.errors("client"), [E["report-gap"], E["duplicate-report"], E["stale-report"]]);
});

Deno.test("conclude: refused with outstanding requests, then orderly (IEC61850-CONCLUDE PD-146)", () => {
  // spec: IEC61850-CONCLUDE PD-146
  const p = associated();
  p.client({ type: "request", request: { service: "select", control: CONTROL } });
  const refused = p.client({ type: "conclude" });
  assert.deepEqual(refused.map((o) => o.type === "error" && o.code), [E["requests-outstanding"]]);
  p.server({
    type: "respond",
    invokeId: p.lastIndication(),
    answer: { service: "select", selected: true },
  });
  p.client({ type: "conclude" });
  assert.equal(p.c.phase, "concluded");
  assert.equal(p.s.phase, "concluded");
});

Deno.test("presence unavailable from the peer aborts at once, fails pending, no resurrection (PAPER-MAP3 PD-149)", () => {
  // spec: PAPER-MAP3 PD-149
  const p = associated();
  p.client({ type: "request", request: { service: "read", items: [{ ref: "A", fc: "ST" }] } });
  p.client({
    type: "request",
    request: { service: "get-name-list", scope: { objectClass: "logical-device" } },
  });
  const out = p.client({ type: "presence", stanza: presence(SERVER_JID, "unavailable") });
  assert.deepEqual(out.map((o) => o.type === "event" && o.event), [
    {
      type: "request-failed",
      invokeId: 1,
      service: "read",
      code: E["peer-unavailable"],
      detail: "presence unavailable",
    },
    {
      type: "request-failed",
      invokeId: 2,
      service: "get-name-list",
      code: E["peer-unavailable"],
      detail: "presence unavailable",
    },
    { type: "aborted", cause: E["peer-unavailable"], failed: 2 },
  ]);
  assert.equal(p.c.phase, "aborted");
  p.client({ type: "presence", stanza: presence(SERVER_JID) });
  assert.equal(p.c.phase, "aborted");
  // The server's late answer is refused: nothing is answered after abort.
  const late = p.server({
    type: "respond",
    invokeId: 1,
    answer: { service: "read", results: [{ type: "boolean", value: true }] },
  });
  assert.equal(late.length, 1);
  assert.deepEqual(p.errors("client").at(-1), E.aborted);
  const again = p.client({
    type: "request",
    request: { service: "read", items: [{ ref: "A", fc: "ST" }] },
  });
  assert.deepEqual(again.map((o) => o.type === "error" && o.code), [E.aborted]);
});

Deno.test("presence from anyone but the peer is ignored and counted (PD-149)", () => {
  // spec: PD-149
  const p = associated();
  for (const from of [OTHER_JID, "der1@grid.example", "der1@grid.example/other", undefined]) {
    const out = p.client({ type: "presence", stanza: presence(from, "unavailable") });
    assert.equal(out.length, 1);
    assert.equal(out[0].type === "event" && out[0].event.type, "ignored");
  }
  assert.equal(p.c.ignored, 4);
  assert.equal(p.c.phase, "associated");
  // Case differences in the domain are the same address (RFC 7622), so they count as the peer.
  p.client({ type: "presence", stanza: presence("der1@GRID.example/iec61850", "unavailable") });
  assert.equal(p.c.phase, "aborted");
});

Deno.test("request timeout, late and duplicate responses, unknown invoke id (PD-144 PD-145)", () => {
  // spec: PD-144 PD-145
  const p = associated();
  p.client({ type: "request", request: { service: "select", control: CONTROL }, timeoutMs: 1000 });
  p.now += 1000;
  const t = p.client({ type: "tick" });
  assert.deepEqual(t.map((o) => o.type === "event" && o.event.type), ["request-failed"]);
  p.server({ type: "respond", invokeId: 1, answer: { service: "select", selected: false } });
  assert.deepEqual(p.errors("client"), [E["late-response"]]);
  const answer = (id: number, iq: string) =>
    raw({
      kind: "confirmed-response",
      invokeId: id,
      response: { service: "select", selected: true },
    }, { kind: "iq", type: "result", id: iq });
  p.client({ type: "request", request: { service: "select", control: CONTROL } });
  p.server({ type: "respond", invokeId: 2, answer: { service: "select", selected: true } });
  p.client(answer(2, "m2"));
  p.client(answer(77, "m77"));
  assert.deepEqual(p.errors("client"), [
    E["late-response"],
    E["duplicate-response"],
    E["unknown-invoke-id"],
  ]);
});

Deno.test("XEP-0199 ping: unanswered ping aborts, a pong keeps the association (XEP0199-4.4 PD-150)", () => {
  // spec: XEP0199-4.4 PD-150
  const p = new PlainPair({
    peer: SERVER_JID,
    settings: { ping: { intervalMs: 60_000, timeoutMs: 10_000 } },
  });
  p.client({ type: "associate" });
  p.now += 60_000;
  const ping = p.client({ type: "tick" });
  assert.deepEqual(ping[0], { type: "ping", id: "p1" });
  p.client({ type: "pong", id: "p1", from: SERVER_JID });
  p.now += 60_000;
  p.client({ type: "tick" });
  p.client({ type: "pong", id: "p2", from: OTHER_JID });
  p.now += 10_000;
  const lost = p.client({ type: "tick" });
  assert.deepEqual(lost.at(-1), {
    type: "event",
    event: { type: "aborted", cause: E["ping-timeout"], failed: 0 },
  });
});
