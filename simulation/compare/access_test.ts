/**
 * Access options 2 and 3 as switches of the compared system: each runs the
 * scenario end to end with every check passing (Option 2: every login by
 * OAUTHBEARER, decided by the operator, none refused; Option 3: every
 * association and group command authorized by an operator token), the
 * judges of the token attacks reach each outcome, and the DER's gate and
 * the control centre's token carriage do what PD-243/PD-244 say. The
 * attack cells of both values are checked against docs/options.md by
 * compare_test.ts's fresh run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { ServiceRequest } from "../../state-machines/association/services.ts";
import { tokenElement } from "../../core/access/carriage.ts";
import { BASELINE, combinations, missingFor } from "./combinations.ts";
import { runOnce, type RunSettings, scenarioOptions } from "./run.ts";
import { accessOptions } from "./access_wiring.ts";
import { judgeExpiredCommands, judgeExpiredLogin, refusedByTarget } from "./attack_tokens.ts";
import { GridOperator } from "../operator.ts";
import { DerGate } from "../der_access.ts";
import { ControlCentreTokens } from "../cc_access.ts";
import type { Addresses } from "../context.ts";
import { START } from "../scenario.ts";

const settings: RunSettings = {
  ders: 8,
  seed: "access-test",
  minutes: 10,
  groupSize: 4,
  dropoutPct: 25,
  pkiCache: "report/cache",
};

Deno.test("access values 2 and 3 are built and map onto simulation options (PD-242 PD-243 DL-CMP-ACC-1)", () => {
  // spec: DL-CMP-ACC-1 PD-242 PD-243
  for (const access of ["option-2", "option-3"]) {
    const c = { ...BASELINE, access };
    assert.deepEqual(missingFor(c), []);
    assert.ok(combinations().some((x) => x.name === `access=${access}`));
    assert.equal(scenarioOptions(c, settings).access, access);
  }
  assert.deepEqual(accessOptions(BASELINE), {});
  assert.deepEqual(accessOptions({ ...BASELINE, access: "option-1" }), { access: "option-1" });
  assert.throws(() => accessOptions({ ...BASELINE, access: "option-9" }));
});

Deno.test("access=option-2: every login is OAUTHBEARER with an operator token; the scenario passes its checks (PD-242 PAPER-OPT2)", async () => {
  // spec: PD-242 PD-241 DL-OPT2-1 DL-OPT2-2 PAPER-OPT2 DL-CMP-ACC-1
  const run = await runOnce({ ...BASELINE, access: "option-2" }, settings, true);
  const ch = run.result.checks;
  assert.equal(ch.joined, settings.ders);
  assert.ok(ch.allAcked, "every command acknowledged");
  assert.ok(ch.curtailed);
  // The operator decided every login (the router offers no SCRAM) and refused none.
  const op = run.setup.operator!;
  assert.deepEqual(op.loginRefusals, []);
  assert.equal(op.loginDecisions, run.setup.accounts.length + ch.dropped.length);
  assert.equal(run.result.metrics.errorCodes.size, 0, [...run.result.metrics.errorCodes].join());
});

Deno.test("access=option-3: every association and command carries an operator token the DER accepts (PD-243 PD-244 PAPER-OPT3)", async () => {
  // spec: PD-243 PD-244 PD-208 PAPER-OPT3 DL-CMP-ACC-1
  const run = await runOnce({ ...BASELINE, access: "option-3" }, settings, true);
  const ch = run.result.checks;
  assert.equal(ch.joined, settings.ders);
  assert.ok(ch.allAcked);
  assert.ok(ch.curtailed);
  const codes = [...run.result.metrics.refusalCodes.keys()];
  assert.ok(codes.every((c) => !c.startsWith("access/")), codes.join());
  const carried = (s: (typeof run.tap.seen)[number]) =>
    s.dir === "up" && s.account === "dno" &&
    s.stanza.children.some((c) => typeof c === "object" && c.name === "access-token");
  const tokens = run.tap.seen.filter(carried);
  const groupchat = tokens.filter((s) => s.stanza.attrs.type === "groupchat").length;
  // One association token per DER, one one-time token per group command.
  assert.equal(tokens.length - groupchat, settings.ders);
  assert.equal(groupchat, run.result.metrics.counts.commands);
});

Deno.test("expired-token judges reach every outcome (PD-245)", () => {
  // spec: PD-245 DL-CMP-4
  const clean = { applied: 14, errors: new Map<string, number>() };
  assert.equal(judgeExpiredCommands(clean, clean, 2).outcome, "succeeded");
  assert.deepEqual(
    judgeExpiredCommands(clean, { applied: 0, errors: new Map([["access/expired", 14]]) }, 4),
    {
      outcome: "detected",
      evidence: "0 of 14 command applications made; refused: access/expired",
    },
  );
  assert.equal(judgeExpiredCommands(clean, { ...clean, applied: 3 }, 4).outcome, "blocked");
  assert.equal(judgeExpiredCommands(clean, clean, 0).outcome, "n/a");
  assert.equal(judgeExpiredLogin(true, true, []).outcome, "succeeded");
  assert.deepEqual(judgeExpiredLogin(true, false, ["access/expired"]), {
    outcome: "blocked",
    evidence: "login refused by the operator: access/expired",
  });
  assert.equal(judgeExpiredLogin(false, false, []).outcome, "n/a");
  const delivered = { outcome: "succeeded" as const, evidence: "delivered to the other DER" };
  const thief = { applied: 14, errors: new Map([["access/no-grant", 1]]) };
  assert.equal(
    refusedByTarget(delivered, { ...BASELINE, access: "option-3" }, clean, thief).outcome,
    "detected",
  );
  assert.equal(refusedByTarget(delivered, BASELINE, clean, thief), delivered);
});

const DOMAIN = "grid.example";
const at: Addresses = {
  cc: `dno@${DOMAIN}`,
  ccFull: `dno@${DOMAIN}/cc`,
  ks: `kdc@${DOMAIN}`,
  ksFull: `kdc@${DOMAIN}/ks`,
  market: `market@${DOMAIN}`,
  marketFull: `market@${DOMAIN}/mo`,
  pubsub: `pubsub.${DOMAIN}`,
  node: "tariffs/grid",
};
const ROOM = `feeder-001@rooms.${DOMAIN}`;
const DER = `der01@${DOMAIN}`;
const read: ServiceRequest = {
  service: "read",
  items: [{ ref: "DER1/MMXU1.TotW.mag.f", fc: "MX" }],
};
const x = (e: Element) => e as unknown as Xel;

function gate(op = new GridOperator("gate-test", DOMAIN)) {
  const refused: string[] = [];
  const g = new DerGate(op.verifierFor(DER, ROOM), at, ROOM, "DER1", (c) => refused.push(c));
  return { g, op, refused };
}

Deno.test("DER gate: the association token authorizes requests until the association ends (PD-244 PD-208)", () => {
  // spec: PD-244 PD-208 PD-205 PD-207
  const { g, op, refused } = gate();
  // No token yet: refused.
  assert.equal(g.request(read, START), "access/no-grant");
  const token = op.accessToken(at.cc, DER, [{ actions: ["read"], identifier: "DER1" }], START);
  const carrier = x(new Element("message", { from: at.ccFull }).cnode(tokenElement(token)).root());
  const rest = g.inbound(carrier, START);
  assert.equal(rest.children.length, 0, "the token is taken off the stanza");
  assert.equal(carrier.children.length, 1, "the received stanza stays as delivered");
  assert.equal(g.request(read, START), undefined);
  const write = { service: "write", items: [] } as unknown as ServiceRequest;
  assert.equal(g.request(write, START), "access/service-not-allowed");
  assert.equal(g.request(read, START + 2 * 3_600_000), "access/expired");
  g.ended();
  assert.equal(g.request(read, START), "access/no-grant");
  // A token for another DER is not this DER's.
  const other = op.accessToken(at.cc, `der02@${DOMAIN}`, [{
    actions: ["read"],
    identifier: "*",
  }], START);
  g.inbound(
    x(new Element("message", { from: at.ccFull }).cnode(tokenElement(other)).root()),
    START,
  );
  assert.deepEqual(refused, [
    "access/no-grant",
    "access/service-not-allowed",
    "access/expired",
    "access/no-grant",
    "access/wrong-audience",
  ]);
});

Deno.test("DER gate: a group command needs its own one-time token; strangers get no-grant (PD-244)", () => {
  // spec: PD-244 PD-208 PD-204
  const { g, op, refused } = gate();
  const token = op.accessToken(
    at.cc,
    ROOM,
    [{ actions: ["group-command"], identifier: "*" }],
    START,
  );
  const command = (t?: string) => {
    const m = new Element("message", { from: `${ROOM}/operator`, type: "groupchat" })
      .c("spdu").t("AAAA").up();
    if (t) m.cnode(tokenElement(t));
    return x(m);
  };
  assert.equal(g.inbound(command(token), START).children.length, 1);
  assert.equal(g.command(START), undefined);
  // The same token again (a replay that got past the group layer) is refused.
  g.inbound(command(token), START);
  assert.equal(g.command(START), "access/replayed");
  // No token on the stanza: no token left over from an earlier one either.
  g.inbound(command(token), START);
  g.inbound(command(), START);
  assert.equal(g.command(START), "access/no-grant");
  // A stale token (issued two hours ago).
  op.staleFrom = START;
  g.inbound(
    command(op.accessToken(at.cc, ROOM, [{ actions: ["group-command"], identifier: "*" }], START)),
    START,
  );
  assert.equal(g.command(START), "access/expired");
  assert.equal(op.staleIssued, 1);
  // Another DER's message asks for something without a token; the key server and services do not.
  g.inbound(
    x(new Element("message", { from: `der02@${DOMAIN}/thief` }).c("body").t("x").root()),
    START,
  );
  g.inbound(x(new Element("message", { from: at.ksFull }).c("gdoi").root()), START);
  g.inbound(
    x(new Element("iq", { from: at.pubsub, type: "set", id: "1" }).c("pubsub").root()),
    START,
  );
  assert.deepEqual(refused, [
    "access/replayed",
    "access/no-grant",
    "access/expired",
    "access/no-grant",
  ]);
});

Deno.test("control centre: an association token in a message of its own first, a one-time token in each command (PD-243 RFC6120-8.2.3)", () => {
  // spec: PD-243 RFC6120-8.2.3 PD-208
  const op = new GridOperator("cc-test", DOMAIN);
  const full = `${DER}/der`;
  const t = new ControlCentreTokens(
    op,
    at.cc,
    `rooms.${DOMAIN}`,
    (j) => j === full ? "DER1" : undefined,
    () => START,
  );
  const request = new Element("iq", { to: full, type: "set", id: "h1" }).c("request").root();
  const first = t.outbound(request);
  assert.equal(first.length, 2);
  assert.equal(first[0].name, "message");
  assert.equal((first[0].children[0] as Element).name, "access-token");
  assert.equal(first[1], request);
  assert.equal(request.children.length, 1, "the iq keeps its one payload");
  assert.deepEqual(t.outbound(new Element("message", { to: full }).c("pdu").root()).length, 1);
  const cmd = new Element("message", { to: ROOM, type: "groupchat" }).c("spdu").t("AAAA").root();
  const [sent] = t.outbound(cmd);
  assert.deepEqual((sent.children as Element[]).map((c) => c.name), ["spdu", "access-token"]);
  const rekey = new Element("message", { to: ROOM, type: "groupchat" }).c("gdoi").root();
  assert.equal(t.outbound(rekey)[0].children.length, 1, "key management carries no token");
});
