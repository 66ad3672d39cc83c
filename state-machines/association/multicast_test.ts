/**
 * The multicast association driven by the real room machine: room stanzas
 * go through state-machines/muc (which refuses presence not from the room),
 * and its occupant events are the multicast machine's presence input.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "../../core/bytes.ts";
import { runChecked } from "../../core/machine.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { room } from "../muc/machine.ts";
import type { RoomState } from "../muc/types.ts";
import { M1, PUB, ROOM, roomPresence } from "../muc/testing.ts";
import type { RoomConfig } from "../muc/types.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { AssociationError as E } from "./errors.ts";
import {
  multicastAssociation,
  type MulticastInput,
  type MulticastOutput,
  type MulticastState,
} from "./multicast.ts";
import type { Report } from "./services.ts";
import { T0 } from "./testing.ts";
import { pduText } from "./xer.ts";

const SUB: RoomConfig = { room: ROOM, nick: "m1", jid: M1, role: "subscriber" };

/** A subscriber: the room machine in front of the multicast machine. */
class Subscriber {
  r: RoomState = room.init(SUB);
  m: MulticastState = multicastAssociation.init({
    role: "subscriber",
    publisher: PUB,
    reportGapIsError: true,
  });
  now = T0;
  roomErrors: string[] = [];

  stanza(s: Xel): MulticastOutput[] {
    const { state, trace } = runChecked(room, this.r, [{ type: "stanza", stanza: s }]);
    this.r = state;
    const out: MulticastOutput[] = [];
    for (const o of trace[0].out) {
      if (o.type === "error") this.roomErrors.push(o.code);
      if (o.type === "event") {
        out.push(...this.input({ type: "room-event", event: o.event, now: this.now }));
      }
    }
    return out;
  }

  input(i: MulticastInput): MulticastOutput[] {
    const { state, trace } = runChecked(multicastAssociation, this.m, [i]);
    this.m = state;
    return [...trace[0].out];
  }

  join(): void {
    this.r = runChecked(room, this.r, [{ type: "join" }]).state;
    this.stanza(roomPresence({ nick: "pub", role: "moderator", affiliation: "owner", jid: PUB }));
    this.stanza(
      roomPresence({ nick: "m1", role: "visitor", affiliation: "member", jid: M1, codes: [110] }),
    );
  }
}

const report = (sqNum: number): Uint8Array =>
  utf8(pduText({
    kind: "information-report",
    report: { rptId: "VPP/LLN0$RP$dispatch", sqNum, time: T0, entries: [] } as Report,
  }));

Deno.test("multicast subscriber: active with the publisher present, lost when it leaves, no resurrection (PAPER-MAP4 PD-151)", () => {
  // spec: PAPER-MAP3 PAPER-MAP4 PD-151
  const s = new Subscriber();
  s.join();
  assert.equal(s.m.phase, "active");
  assert.deepEqual(
    s.input({ type: "report", data: report(1), from: PUB, now: T0 }).map((o) =>
      o.type === "event" && o.event.type
    ),
    ["report"],
  );
  // Another occupant leaving changes nothing.
  assert.deepEqual(
    s.stanza(roomPresence({ nick: "m2", type: "unavailable", jid: "m2@derlink.test" })),
    [],
  );
  const lost = s.stanza(
    roomPresence({ nick: "pub", type: "unavailable", affiliation: "owner", jid: PUB }),
  );
  assert.deepEqual(lost, [{
    type: "event",
    event: { type: "aborted", cause: E["publisher-left"] },
  }]);
  s.stanza(roomPresence({ nick: "pub", role: "moderator", affiliation: "owner", jid: PUB }));
  assert.equal(s.m.phase, "lost");
  const after = s.input({ type: "report", data: report(2), from: PUB, now: T0 });
  assert.deepEqual(after.map((o) => o.type === "error" && o.code), [E.aborted]);
  s.input({ type: "subscribe", now: T0 });
  assert.equal(s.m.phase, "waiting");
});

Deno.test("multicast subscriber: spoofed presence never reaches it; reports only from the publisher (PD-128 PD-151)", () => {
  // spec: PD-151 PD-148
  const s = new Subscriber();
  s.join();
  // Presence claiming the publisher's nick from another address: the room machine refuses it.
  const out = s.stanza(
    roomPresence({
      nick: "pub",
      type: "unavailable",
      jid: PUB,
      from: `other@rooms.derlink.test/pub`,
    }),
  );
  assert.deepEqual(out, []);
  assert.deepEqual(s.roomErrors, ["muc/spoofed"]);
  assert.equal(s.m.phase, "active");
  const spoof = s.input({ type: "report", data: report(1), from: M1, now: T0 });
  assert.deepEqual(spoof.map((o) => o.type === "event" && o.event.type), ["ignored"]);
  assert.equal(s.m.ignored, 1);
  s.input({ type: "report", data: report(1), from: PUB, now: T0 });
  const gap = s.input({ type: "report", data: report(5), from: PUB, now: T0 });
  assert.deepEqual(
    gap.map((o) => o.type === "error" ? o.code : o.type === "event" && o.event.type),
    ["report", "report-gap", E["report-gap"]],
  );
  const dup = s.input({ type: "report", data: report(5), from: PUB, now: T0 });
  assert.deepEqual(dup.map((o) => o.type === "error" && o.code), [E["duplicate-report"]]);
});

Deno.test("multicast subscriber: removed from the room ends the association (XEP0045-9.4 PD-151)", () => {
  // spec: PD-151
  const s = new Subscriber();
  s.join();
  const out = s.stanza(
    roomPresence({ nick: "m1", type: "unavailable", affiliation: "none", codes: [110, 321] }),
  );
  assert.deepEqual(out, [{
    type: "event",
    event: { type: "aborted", cause: E["removed-from-room"] },
  }]);
});

Deno.test("multicast publisher: members tracked, reports published as XER (PAPER-MAP2 PAPER-MAP4)", () => {
  // spec: PAPER-MAP2 PAPER-MAP4
  const step = (s: MulticastState, i: MulticastInput) => runChecked(multicastAssociation, s, [i]);
  let p = multicastAssociation.init({ role: "publisher", publisher: PUB });
  p = step(p, { type: "room-event", event: { type: "ready" }, now: T0 }).state;
  const joined = step(p, {
    type: "room-event",
    event: {
      type: "occupant-joined",
      occupant: { nick: "m1", role: "visitor", affiliation: "member", jid: M1 },
    },
    now: T0,
  });
  assert.deepEqual(joined.trace[0].out, [{
    type: "event",
    event: { type: "member-joined", jid: M1 },
  }]);
  const pub = step(joined.state, {
    type: "publish",
    report: { rptId: "R", sqNum: 0, time: T0, entries: [] },
    now: T0,
  });
  assert.equal(pub.trace[0].out[0].type, "send");
  assert.equal(pub.state.phase, "active");
});

Deno.test("multicast: total on any input sequence (DL-MACHINE-1)", () => {
  // spec: DL-MACHINE-1
  const occupant = fc.record({
    nick: fc.constantFrom("pub", "m1", "m2"),
    role: fc.constantFrom("moderator" as const, "visitor" as const),
    affiliation: fc.constantFrom("owner" as const, "member" as const),
    jid: fc.constantFrom(PUB, M1, "pub@evil.test"),
  }, { noNullPrototype: true });
  const now = fc.integer({ min: T0, max: T0 + 1000 });
  assertMachineTotal(multicastAssociation, {
    config: fc.constantFrom({ role: "publisher" as const, publisher: PUB }, {
      role: "subscriber" as const,
      publisher: PUB,
    }),
    input: fc.oneof(
      fc.record({
        type: fc.constant("room-event" as const),
        event: fc.oneof(
          fc.constantFrom({ type: "ready" as const }, {
            type: "left" as const,
            reason: "kicked" as const,
          }),
          fc.record({
            type: fc.constantFrom(
              "occupant-joined" as const,
              "occupant-left" as const,
              "occupant-changed" as const,
            ),
            occupant,
            reason: fc.constant("left" as const),
          }),
        ),
        now,
      }),
      fc.record({
        type: fc.constant("report" as const),
        data: fc.nat(3).map(report),
        from: fc.constantFrom(PUB, M1),
        now,
      }),
      fc.record({
        type: fc.constant("publish" as const),
        report: fc.constant({ rptId: "R", sqNum: 1, time: T0, entries: [] }),
        now,
      }),
      fc.record({ type: fc.constant("subscribe" as const), now }),
    ) as fc.Arbitrary<MulticastInput>,
    numRuns: 200,
  });
});
