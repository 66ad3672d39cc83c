/**
 * The traffic light end to end, without the network: the operator's planner
 * makes group commands and unicast requests, the payload is decoded as a DER
 * would after the group-key layer, four simulated DERs apply it, and their
 * reports feed the fleet view.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import type { Report, ServiceRequest } from "../../state-machines/association/services.ts";
import { applyGroupCommand, serve, tick } from "../der/serve.ts";
import type { DerState } from "../der/state.ts";
import { DNO, exactDer, T0, VPP } from "../der/testing.ts";
import { applyReport, emptyFleet, type Fleet, fleetTotals } from "./fleet.ts";
import { decodeGroupCommand } from "./group_command.ts";
import { scheduleFromTariff, scheduleWrite } from "./market.ts";
import { initialOperator, type OperatorState, planTrafficLight } from "./traffic_light.ts";

const HOUR = 3_600_000;
const LDS = ["DER1", "DER2", "DER3", "DER4"];

interface World {
  ders: Record<string, DerState>;
  fleet: Fleet;
  op: OperatorState;
}

function feed(w: World, reports: readonly Report[]): World {
  return { ...w, fleet: reports.reduce(applyReport, w.fleet) };
}

function start(): World {
  let w: World = { ders: {}, fleet: emptyFleet, op: initialOperator(DNO) };
  // Green: the VPP schedules each PV unit from the tariff: full output, then off in a negative-price hour.
  const entries = scheduleFromTariff(
    [
      { start: T0, durationS: 1800, price: 0.12 },
      { start: T0 + HOUR / 2, durationS: 1800, price: 0.08 },
      { start: T0 + HOUR, durationS: 3600, price: -0.02 },
    ],
    { kind: "pv" },
    4,
  );
  assertEquals(entries, [
    { start: T0, durationS: 3600, valuePct: 100 },
    { start: T0 + HOUR, durationS: 3600, valuePct: 0 },
  ]);
  for (const ld of LDS) {
    const r = serve(exactDer({ ld }), scheduleWrite(ld, 1, entries, 100), T0, VPP);
    ok((r.response as unknown as { results: unknown[] }).results.every((x) => x === null));
    w = feed({ ...w, ders: { ...w.ders, [ld]: r.model } }, r.reports);
  }
  return w;
}

function tickAll(w: World, at: number): World {
  for (const ld of LDS) {
    const r = tick(w.ders[ld], at);
    w = feed({ ...w, ders: { ...w.ders, [ld]: r.model } }, r.reports);
  }
  return w;
}

function broadcast(w: World, payload: Uint8Array, at: number, sender = DNO): World {
  const command = decodeGroupCommand(payload);
  for (const ld of LDS) {
    const r = applyGroupCommand(w.ders[ld], command, at, sender);
    assertEquals(r.outcomes.every((o) => o.ok), true, JSON.stringify(r.outcomes));
    w = feed({ ...w, ders: { ...w.ders, [ld]: r.model } }, r.reports);
  }
  return w;
}

function unicast(w: World, ld: string, requests: readonly ServiceRequest[], at: number): World {
  for (const req of requests) {
    const r = serve(w.ders[ld], req, at, DNO);
    const resp = r.response as { addCause?: string; results?: unknown[] };
    assertEquals(resp.addCause, undefined);
    ok((resp.results ?? []).every((x) => x === null));
    w = feed({ ...w, ders: { ...w.ders, [ld]: r.model } }, r.reports);
  }
  return w;
}

Deno.test("PAPER-TL2 PAPER-TL3 PAPER-VPP1 red curtails the fleet with one group command; green resumes the schedule", () => {
  let w = tickAll(start(), T0 + 60_000);
  assertEquals(fleetTotals(w.fleet, T0 + 60_000, 120_000).totW, 40_000);
  // Red: 40 % for the whole group, at once (ramp 0), reverting after 15 minutes.
  const red = planTrafficLight(w.op, {
    light: "red",
    group: "feeder-7",
    limitPct: 40,
    revertS: 900,
    rampS: 0,
  }, T0 + 60_000);
  assertEquals(red.groupCommands.length, 1);
  assertEquals(red.unicast, []);
  w = broadcast({ ...w, op: red.state }, red.groupCommands[0].payload, T0 + 60_000);
  w = tickAll(w, T0 + 70_000);
  const curtailed = fleetTotals(w.fleet, T0 + 70_000, 120_000);
  assertEquals([curtailed.totW, curtailed.availW, curtailed.curtailedW, curtailed.limited], [
    16_000,
    40_000,
    24_000,
    4,
  ]);
  // Green: one release command; the schedule (100 %) decides again.
  const green = planTrafficLight(w.op, { light: "green", group: "feeder-7" }, T0 + 70_000);
  w = broadcast({ ...w, op: green.state }, green.groupCommands[0].payload, T0 + 70_000);
  w = tickAll(w, T0 + 90_000);
  const resumed = fleetTotals(w.fleet, T0 + 90_000, 120_000);
  assertEquals([resumed.totW, resumed.limited, resumed.missedReports], [40_000, 0, 0]);
  assertEquals(w.fleet.ders.DER3.source, 1);
  // The negative-price hour of the market schedule still comes.
  w = tickAll(w, T0 + HOUR + 30_000);
  assertEquals(fleetTotals(w.fleet, T0 + HOUR + 30_000, 120_000).totW, 0);
});

Deno.test("DER-WMAX2 PD-197 red without green: every DER returns to its schedule after the revert timeout", () => {
  let w = start();
  const red = planTrafficLight(w.op, {
    light: "red",
    group: "feeder-7",
    limitPct: 0,
    revertS: 600,
    rampS: 0,
  }, T0);
  w = broadcast(w, red.groupCommands[0].payload, T0);
  w = tickAll(w, T0 + 10_000);
  assertEquals(fleetTotals(w.fleet, T0 + 10_000, 120_000).totW, 0);
  w = tickAll(w, T0 + 620_000);
  assertEquals(fleetTotals(w.fleet, T0 + 620_000, 120_000).totW, 40_000);
});

Deno.test("PAPER-TL2 yellow: restricted set-points for chosen DERs outrank their schedules", () => {
  let w = start();
  const yellow = planTrafficLight(w.op, {
    light: "yellow",
    setPoints: [{ ld: "DER1", pct: 30 }, { ld: "DER2", pct: 50 }],
    revertS: 900,
  }, T0);
  assertEquals(yellow.groupCommands, []);
  assertEquals(yellow.unicast.map((u) => [u.ld, u.requests.map((r) => r.service)]), [
    ["DER1", ["write", "select-with-value", "operate", "select-with-value", "operate"]],
    ["DER2", ["write", "select-with-value", "operate", "select-with-value", "operate"]],
  ]);
  for (const u of yellow.unicast) w = unicast(w, u.ld, u.requests, T0);
  // Past the first integrity period (T0 + 40 s), so unchanged DERs have reported too.
  w = tickAll(w, T0 + 45_000);
  const views = w.fleet.ders;
  assertEquals([views.DER1.totW, views.DER2.totW, views.DER3.totW], [3_000, 5_000, 10_000]);
  assertEquals(fleetTotals(w.fleet, T0 + 45_000, 120_000).onSetPoint, 2);
  // ctlNums count per DER: two commands each.
  assertEquals(yellow.state.ctlNums, { DER1: 2, DER2: 2 });
});

Deno.test("PD-161 a market party's group command cannot lift the operator's curtailment", () => {
  let w = start();
  const red = planTrafficLight(w.op, {
    light: "red",
    group: "g",
    limitPct: 20,
    revertS: 900,
    rampS: 0,
  }, T0);
  w = broadcast(w, red.groupCommands[0].payload, T0);
  const vpp = planTrafficLight(initialOperator(VPP), { light: "green", group: "g" }, T0 + 1_000);
  const command = decodeGroupCommand(vpp.groupCommands[0].payload);
  const r = applyGroupCommand(w.ders.DER1, command, T0 + 1_000, VPP);
  // The limit is held by the operator; the VPP may release only the (unused) set-point function.
  assertEquals(r.outcomes, [{ ok: false, addCause: "blocked-by-command" }, { ok: true }]);
  const stranger = applyGroupCommand(w.ders.DER1, command, T0 + 1_000, "nobody@nowhere");
  assertEquals(stranger.outcomes.map((o) => o.ok ? "ok" : o.addCause), [
    "no-access-authority",
    "no-access-authority",
  ]);
});
