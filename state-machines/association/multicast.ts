/**
 * The multicast application association (paper §II.D): one publisher, many
 * subscribers, over a moderated MUC room (PAPER-MAP4), as a pure machine
 * with a publisher side and a subscriber side.
 *
 * Theory of operation. This machine never reads a stanza: the room machine
 * (state-machines/muc) has already checked that presence came from the room
 * and turned it into occupant events, and those events are this machine's
 * presence input (PD-151). A subscriber keys on the publisher's real bare
 * JID, which the non-anonymous room discloses (PD-126): the association is
 * `active` once that occupant is present as a moderator, and `lost` the
 * moment it leaves the room — or we are removed from it — with a defined
 * cause. The publisher coming back does not resurrect a lost association;
 * the application `subscribe`s again. Reports (information reports in MMS
 * XER, carried group-protected through the room) are accepted only from
 * the publisher and only while active, and checked by SqNum per report id as
 * on a two-party association (PD-148). The publisher side is `active` while
 * its room is ready, tells the application who joins and leaves, and turns
 * the application's reports into XER for the group layer to protect and
 * publish. The table below is every phase change the machine can make.
 *
 * @module
 */
import {
  errorOutput,
  type Machine,
  type StepResult,
  totalStep,
  type Transition,
} from "../../core/machine.ts";
import { ANY } from "../../core/machine.ts";
import { bareJid, formatJid, tryParseJid } from "../../core/jid.ts";
import { DerlinkError, type ErrorCode } from "../../core/errors.ts";
import type { ErrorOutput } from "../../core/machine.ts";
import type { RoomEvent } from "../muc/types.ts";
import { AssociationError } from "./errors.ts";
import { judgeSqNum, lastSq, remember } from "./reports.ts";
import type { Report } from "./services.ts";
import { decodePdu, encodePdu } from "./xer.ts";
import { DEFAULT_XER_LIMITS, type XerLimits } from "./xer_limits.ts";
import { NONE } from "./control.ts";

export const MULTICAST_PHASES = ["waiting", "active", "lost"] as const;
export type MulticastPhase = typeof MULTICAST_PHASES[number];

export interface MulticastConfig {
  readonly role: "publisher" | "subscriber";
  /** The publisher's real bare JID (the subscriber's peer). */
  readonly publisher: string;
  /** Limits of the XER codec (default: DEFAULT_XER_LIMITS). */
  readonly limits?: XerLimits;
  /** Report a sequence gap as an `association/report-gap` error too. */
  readonly reportGapIsError?: boolean;
}

export interface MulticastState {
  readonly phase: MulticastPhase;
  readonly role: "publisher" | "subscriber";
  readonly publisher: string;
  readonly limits: XerLimits;
  readonly reportGapIsError: boolean;
  readonly now: number;
  /** Publisher: occupants present, nick → real bare JID ("" when undisclosed). */
  readonly members: Readonly<Record<string, string>>;
  readonly reports: Readonly<Record<string, number>>;
  readonly ignored: number;
}

export type MulticastInput =
  /** An occupant event of the room machine (its `event` output). */
  | { readonly type: "room-event"; readonly event: RoomEvent; readonly now: number }
  /** Subscriber: an information report opened by the group layer, with the sender's real JID. */
  | {
    readonly type: "report";
    readonly data: Uint8Array;
    readonly from?: string;
    readonly now: number;
  }
  /** Publisher: a report to publish. */
  | { readonly type: "publish"; readonly report: Report; readonly now: number }
  /** Start a new association after a loss. */
  | { readonly type: "subscribe"; readonly now: number };

export type MulticastEvent =
  | { readonly type: "active" }
  | { readonly type: "aborted"; readonly cause: ErrorCode }
  | { readonly type: "member-joined" | "member-left"; readonly jid: string }
  | { readonly type: "report"; readonly report: Report }
  | {
    readonly type: "report-gap";
    readonly rptId: string;
    readonly expected: number;
    readonly received: number;
    readonly missing: number;
  }
  | { readonly type: "ignored"; readonly code: ErrorCode; readonly from?: string };

export type MulticastOutput =
  /** Publisher: XER bytes for the group layer to protect and publish in the room. */
  | { readonly type: "send"; readonly data: Uint8Array }
  | { readonly type: "event"; readonly event: MulticastEvent }
  | ErrorOutput;

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

/** Declared edges (DESIGN.md §8). */
export const MULTICAST_TRANSITIONS: readonly Transition[] = [
  t("waiting", "room-event", "active", ["PAPER-MAP4", "PD-151"], "publisher present / room ready"),
  t("waiting", "room-event", "lost", ["XEP0045-9.4", "PD-151"], "removed from the room"),
  t("active", "room-event", "lost", ["PAPER-MAP3", "PD-151"], "publisher left or we were removed"),
  t("lost", "subscribe", "waiting", ["PD-151"], "a new association"),
  t("active", "report", "active", ["PAPER-MAP2", "PD-148"], "report accepted or refused"),
  t("active", "publish", "active", ["PAPER-MAP2"], "report published"),
  ...MULTICAST_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

type S = MulticastState;
type Step = StepResult<S, MulticastOutput>;
const stay = (s: S, out: MulticastOutput[] = []): Step => ({ state: s, out });
const refuse = (s: S, code: ErrorCode, detail = ""): Step => stay(s, [errorOutput(code, detail)]);
const ev = (event: MulticastEvent): MulticastOutput => ({ type: "event", event });

const bareText = (jid: string | undefined): string | undefined => {
  if (typeof jid !== "string") return undefined;
  const j = tryParseJid(jid);
  return j.ok ? formatJid(bareJid(j.value)) : undefined;
};

function init(c: MulticastConfig): S {
  const publisher = bareText(c?.publisher);
  if (publisher === undefined || (c.role !== "publisher" && c.role !== "subscriber")) {
    throw new DerlinkError(AssociationError["invalid-input"], "role and publisher JID");
  }
  return {
    phase: "waiting",
    role: c.role,
    publisher,
    limits: c.limits ?? DEFAULT_XER_LIMITS,
    reportGapIsError: c.reportGapIsError === true,
    now: 0,
    members: NONE,
    reports: NONE,
    ignored: 0,
  };
}

const lose = (s: S, cause: ErrorCode): Step =>
  stay({ ...s, phase: "lost", members: NONE }, [ev({ type: "aborted", cause })]);

// spec: PAPER-MAP3 PAPER-MAP4 PD-151
function onRoomEvent(s: S, e: RoomEvent): Step {
  if (s.phase === "lost") return stay(s);
  if (e.type === "left") return lose(s, AssociationError["removed-from-room"]);
  if (s.role === "publisher") {
    if (e.type === "ready" && s.phase === "waiting") {
      return stay({ ...s, phase: "active" }, [ev({ type: "active" })]);
    }
    if (e.type === "occupant-joined" || e.type === "occupant-left") {
      const jid = e.occupant.jid ?? "";
      const members = { ...s.members };
      if (e.type === "occupant-joined") members[`=${e.occupant.nick}`] = jid;
      else delete members[`=${e.occupant.nick}`];
      return stay({ ...s, members }, [
        ev({ type: e.type === "occupant-joined" ? "member-joined" : "member-left", jid }),
      ]);
    }
    return stay(s);
  }
  if (e.type !== "occupant-joined" && e.type !== "occupant-changed" && e.type !== "occupant-left") {
    return stay(s);
  }
  // Only the publisher's real JID counts; other occupants come and go without effect.
  if (bareText(e.occupant.jid) !== s.publisher) return stay(s);
  if (e.type === "occupant-left") {
    return s.phase === "active" ? lose(s, AssociationError["publisher-left"]) : stay(s);
  }
  if (s.phase === "waiting" && e.occupant.role === "moderator") {
    return stay({ ...s, phase: "active" }, [ev({ type: "active" })]);
  }
  return stay(s);
}

// spec: PAPER-MAP2 PD-148 PD-151
function onReport(s: S, data: Uint8Array, from: string | undefined): Step {
  if (s.role !== "subscriber") {
    return refuse(s, AssociationError["unexpected-input"], "report at a publisher");
  }
  if (!(data instanceof Uint8Array)) {
    return refuse(s, AssociationError["invalid-input"], "report data");
  }
  if (bareText(from) !== s.publisher) {
    return stay({ ...s, ignored: s.ignored + 1 }, [
      ev({
        type: "ignored",
        code: AssociationError["wrong-sender"],
        ...(typeof from === "string" ? { from } : {}),
      }),
    ]);
  }
  if (s.phase !== "active") {
    return refuse(
      s,
      s.phase === "lost" ? AssociationError.aborted : AssociationError["not-associated"],
      "report",
    );
  }
  const d = decodePdu(data, s.limits);
  if (!d.ok) return refuse(s, d.error.code, d.error.detail);
  if (d.value.kind !== "information-report") {
    return refuse(s, AssociationError["unexpected-pdu"], d.value.kind);
  }
  const report = d.value.report;
  const v = judgeSqNum(lastSq(s.reports, report.rptId), report.sqNum);
  if (v.kind === "duplicate" || v.kind === "stale") {
    return refuse(
      s,
      AssociationError[v.kind === "duplicate" ? "duplicate-report" : "stale-report"],
      `${report.sqNum}`,
    );
  }
  const out: MulticastOutput[] = [ev({ type: "report", report })];
  if (v.kind === "gap") {
    out.push(
      ev({
        type: "report-gap",
        rptId: report.rptId,
        expected: v.expected,
        received: report.sqNum,
        missing: v.missing,
      }),
    );
    if (s.reportGapIsError) {
      out.push(errorOutput(AssociationError["report-gap"], `${v.missing} missing`));
    }
  }
  return stay({ ...s, reports: remember(s.reports, report.rptId, report.sqNum) }, out);
}

function onPublish(s: S, report: Report): Step {
  if (s.role !== "publisher") {
    return refuse(s, AssociationError["unexpected-input"], "publish at a subscriber");
  }
  if (s.phase !== "active") {
    return refuse(
      s,
      s.phase === "lost" ? AssociationError.aborted : AssociationError["not-associated"],
      "publish",
    );
  }
  const e = encodePdu({ kind: "information-report", report }, s.limits);
  return e.ok
    ? stay(s, [{ type: "send", data: e.value }])
    : refuse(s, e.error.code, e.error.detail);
}

function step(s0: S, input: MulticastInput): Step {
  if (
    typeof input !== "object" || input === null || typeof input.now !== "number" ||
    !Number.isFinite(input.now)
  ) {
    return refuse(s0, AssociationError["invalid-input"], "input");
  }
  const s = input.now > s0.now ? { ...s0, now: input.now } : s0;
  switch (input.type) {
    case "room-event":
      if (typeof input.event !== "object" || input.event === null) {
        return refuse(s, AssociationError["invalid-input"], "event");
      }
      return onRoomEvent(s, input.event);
    case "report":
      return onReport(s, input.data, input.from);
    case "publish":
      return onPublish(s, input.report);
    case "subscribe":
      // spec: PD-151
      return s.phase === "lost"
        ? stay({ ...s, phase: "waiting", reports: NONE })
        : refuse(s, AssociationError["unexpected-input"], `subscribe in ${s.phase}`);
    default:
      return refuse(s, AssociationError["invalid-input"], "input type");
  }
}

/** The multicast association machine (publisher or subscriber side). */
export const multicastAssociation: Machine<
  MulticastConfig,
  MulticastState,
  MulticastInput,
  MulticastOutput
> = {
  name: "association.multicast",
  phases: MULTICAST_PHASES,
  transitions: MULTICAST_TRANSITIONS,
  init,
  step: totalStep(step, (s, e) => stay(s, [e])),
};
