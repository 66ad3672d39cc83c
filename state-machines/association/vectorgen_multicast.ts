/**
 * Multicast association vectors: subscriber and publisher transcripts whose
 * presence inputs are the room machine's occupant events (PD-151).
 *
 * @module
 */
import type { TestCase } from "../../tools/vector_file_builder.ts";
import { AssociationError as E } from "./errors.ts";
import { T0 } from "./testing.ts";
import { checkedCase } from "./vectorgen_tools.ts";
import { type Json, toJson } from "./vectors.ts";
import { pduText } from "./xer.ts";

const PUB = "pub@derlink.test";
const M1 = "m1@derlink.test";
const SUB = { role: "subscriber", publisher: PUB, reportGapIsError: true };
const PUBLISHER = { role: "publisher", publisher: PUB };

const occ = (type: string, nick: string, jid: string, role = "moderator") =>
  toJson({
    type: "room-event",
    event: {
      type,
      occupant: { nick, role, affiliation: nick === "pub" ? "owner" : "member", jid },
      ...(type === "occupant-left" ? { reason: "left" } : {}),
    },
    now: T0,
  });
const rep = (sqNum: number, from = PUB) =>
  toJson({
    type: "report",
    xml: pduText({
      kind: "information-report",
      report: { rptId: "VPP/LLN0$RP$dispatch", sqNum, time: T0, entries: [] },
    }),
    from,
    now: T0,
  });
const ACTIVE: Json[] = [occ("occupant-joined", "pub", PUB)];

export function multicastCases(): TestCase[] {
  const cases: TestCase[] = [];
  const ok = (comment: string, spec: string[], config: Json, inputs: Json[]) =>
    cases.push(checkedCase("multicast", config, inputs, { comment, spec }));
  const bad = (
    comment: string,
    flags: string[],
    spec: string[],
    config: Json,
    inputs: Json[],
    error: string,
  ) => cases.push(checkedCase("multicast", config, inputs, { comment, spec, flags, error }));

  ok(
    "subscriber: active once the publisher is present as moderator",
    ["PAPER-MAP4", "PD-151"],
    SUB,
    ACTIVE,
  );
  ok("subscriber: reports from the publisher in sequence", ["PAPER-MAP2", "PD-148"], SUB, [
    ...ACTIVE,
    rep(1),
    rep(2),
  ]);
  ok("subscriber: another occupant leaving changes nothing", ["PD-151"], SUB, [
    ...ACTIVE,
    occ("occupant-left", "m2", "m2@derlink.test", "visitor"),
  ]);
  ok("subscriber: the publisher leaves, the association is lost", ["PAPER-MAP3", "PD-151"], SUB, [
    ...ACTIVE,
    occ("occupant-left", "pub", PUB),
  ]);
  ok("subscriber: the publisher back does not resurrect it", ["PD-151"], SUB, [
    ...ACTIVE,
    occ("occupant-left", "pub", PUB),
    occ("occupant-joined", "pub", PUB),
  ]);
  ok("subscriber: subscribe again after a loss", ["PD-151"], SUB, [
    ...ACTIVE,
    occ("occupant-left", "pub", PUB),
    toJson({ type: "subscribe", now: T0 }),
    occ("occupant-joined", "pub", PUB),
  ]);
  ok("subscriber: removed from the room", ["XEP0045-9.4", "PD-151"], SUB, [
    ...ACTIVE,
    toJson({ type: "room-event", event: { type: "left", reason: "membership-revoked" }, now: T0 }),
  ]);
  ok("subscriber: removed before the publisher appeared", ["XEP0045-9.4", "PD-151"], SUB, [
    toJson({ type: "room-event", event: { type: "left", reason: "kicked" }, now: T0 }),
  ]);
  ok("publisher: room ready, members come and go", ["PAPER-MAP4"], PUBLISHER, [
    toJson({ type: "room-event", event: { type: "ready" }, now: T0 }),
    occ("occupant-joined", "m1", M1, "visitor"),
    occ("occupant-left", "m1", M1, "visitor"),
  ]);
  ok("publisher: a report published", ["PAPER-MAP2"], PUBLISHER, [
    toJson({ type: "room-event", event: { type: "ready" }, now: T0 }),
    toJson({
      type: "publish",
      report: { rptId: "VPP/LLN0$RP$dispatch", sqNum: 0, time: T0, entries: [] },
      now: T0,
    }),
  ]);

  bad("subscriber: report from a member, not the publisher", ["spoof"], ["PD-151"], SUB, [
    ...ACTIVE,
    rep(1, M1),
  ], E["wrong-sender"]);
  bad(
    "subscriber: report from the publisher's nick on another account",
    ["spoof"],
    ["PD-151"],
    SUB,
    [...ACTIVE, rep(1, "pub@evil.test")],
    E["wrong-sender"],
  );
  bad("subscriber: an occupant with another JID is not the publisher", ["spoof"], ["PD-151"], SUB, [
    occ("occupant-joined", "pub", "pub@evil.test"),
    rep(1),
  ], E["not-associated"]);
  bad(
    "subscriber: report gap",
    ["report"],
    ["PD-148"],
    SUB,
    [...ACTIVE, rep(1), rep(3)],
    E["report-gap"],
  );
  bad(
    "subscriber: duplicate report",
    ["report"],
    ["PD-148"],
    SUB,
    [...ACTIVE, rep(1), rep(1)],
    E["duplicate-report"],
  );
  bad(
    "subscriber: stale report",
    ["report"],
    ["PD-148"],
    SUB,
    [...ACTIVE, rep(9), rep(8)],
    E["stale-report"],
  );
  bad("subscriber: report after the publisher left", ["phase"], ["PD-151"], SUB, [
    ...ACTIVE,
    occ("occupant-left", "pub", PUB),
    rep(1),
  ], E.aborted);
  bad(
    "subscriber: report before the publisher is present",
    ["phase"],
    ["PD-151"],
    SUB,
    [rep(1)],
    E["not-associated"],
  );
  bad("subscriber: subscribe while active", ["phase"], ["PD-151"], SUB, [
    ...ACTIVE,
    toJson({ type: "subscribe", now: T0 }),
  ], E["unexpected-input"]);
  bad("publisher: publish before the room is ready", ["phase"], ["PAPER-MAP2"], PUBLISHER, [
    toJson({ type: "publish", report: { rptId: "R", sqNum: 0, time: T0, entries: [] }, now: T0 }),
  ], E["not-associated"]);
  bad(
    "publisher: a report input at the publisher",
    ["phase"],
    ["PD-151"],
    PUBLISHER,
    [rep(1)],
    E["unexpected-input"],
  );
  return cases;
}
