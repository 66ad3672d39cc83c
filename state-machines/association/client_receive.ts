/**
 * What the client does with a PDU from the server: the initiate and conclude
 * answers, responses correlated by invoke id and iq id (PD-144), reports
 * checked by sequence number (PD-148), command terminations (PD-147) and
 * the peer's abort. A refused PDU changes nothing but the error it yields.
 *
 * @module
 */
import { errorOutput } from "../../core/machine.ts";
import { type ClientState, failed, loseClient, type PendingRequest } from "./client_state.ts";
import { alive, ev, type Out, refuse, sendOut, stay, type Step } from "./common.ts";
import { commandOf, isEnhanced, NONE, withEntry, withoutEntry } from "./control.ts";
import { AssociationError } from "./errors.ts";
import { isPeer } from "./monitor.ts";
import { type Carriage, carriageKind, type MmsPdu } from "./pdus.ts";
import { judgeSqNum, lastSq, remember } from "./reports.ts";
import type { CommandTermination, Report, ServiceResponse } from "./services.ts";
import { boundsProblem, modelOf } from "./settings.ts";
import { decodeFor } from "./common.ts";

type S = ClientState;

const sameCarriage = (c: Carriage, kind: ReturnType<typeof carriageKind>) =>
  c.kind === "message" ? kind === "message" : `iq-${c.type}` === kind;

/** A PDU opened by the composition layer. */
// spec: PAPER-MAP1 PAPER-MAP2 RFC6120-8.2.3 PD-152
export function clientPdu(s0: S, data: Uint8Array, carriage: Carriage, from: string): Step<S> {
  if (!isPeer(s0.peer, from)) return refuse(s0, AssociationError["wrong-sender"], from);
  if (s0.phase === "aborted") return refuse(s0, AssociationError.aborted, "PDU after abort");
  if (s0.phase === "idle" || s0.phase === "concluded") {
    return refuse(s0, AssociationError["not-associated"], `PDU in ${s0.phase}`);
  }
  const decoded = decodeFor(s0.settings, s0, data);
  if (!decoded.ok) return refuse(s0, decoded.error.code, decoded.error.detail);
  const pdu = decoded.value;
  if (!sameCarriage(carriage, carriageKind(pdu.kind))) {
    return refuse(s0, AssociationError["wrong-carriage"], `${pdu.kind} in ${carriage.kind}`);
  }
  const s = alive(s0, s0.settings);
  switch (pdu.kind) {
    case "initiate-response":
    case "initiate-error":
      return onInitiateAnswer(s, pdu, carriage);
    case "confirmed-response":
    case "confirmed-error":
    case "reject":
      return onAnswer(s, pdu, carriage);
    case "information-report":
      return s.phase === "associating"
        ? refuse(s, AssociationError["unexpected-pdu"], "report before association")
        : onReport(s, pdu.report);
    case "command-termination":
      return s.phase === "associating"
        ? refuse(s, AssociationError["unexpected-pdu"], "termination before association")
        : onTermination(s, pdu.termination);
    case "conclude-response":
    case "conclude-error":
      return onConcludeAnswer(s, pdu.kind, carriage);
    case "abort":
      // spec: PD-146
      return loseClient(s, AssociationError["peer-aborted"], pdu.reason);
    default:
      return refuse(s, AssociationError["unexpected-pdu"], `${pdu.kind} at the client`);
  }
}

const answersAwaiting = (s: S, kind: "initiate" | "conclude", c: Carriage) =>
  s.awaiting?.kind === kind && c.kind === "iq" && c.id === s.awaiting.id;

// spec: PD-143 IEC61850-ASSOCIATE
function onInitiateAnswer(
  s: S,
  pdu: Extract<MmsPdu, { kind: "initiate-response" | "initiate-error" }>,
  c: Carriage,
): Step<S> {
  if (s.phase !== "associating") {
    return refuse(s, AssociationError["unexpected-pdu"], `${pdu.kind} in ${s.phase}`);
  }
  if (!answersAwaiting(s, "initiate", c)) {
    return refuse(s, AssociationError["unsolicited-response"], "not the initiate's iq result");
  }
  const idle: S = { ...s, phase: "idle", awaiting: undefined };
  if (pdu.kind === "initiate-error") {
    return refuse(idle, AssociationError["initiate-refused"], pdu.code);
  }
  const p = pdu.params, asked = s.settings.proposal;
  const raised = p.maxPduSize > asked.maxPduSize || p.maxOutstanding > asked.maxOutstanding ||
    p.maxNesting > asked.maxNesting || p.services.some((x) => !asked.services.includes(x));
  const problem = boundsProblem(p) ?? (raised ? "a parameter above the proposal" : undefined);
  if (problem) {
    // The server thinks it is associated: tell it we are not.
    const abort = sendOut(s.settings, idle, { kind: "abort", reason: "protocol-error" }, {
      kind: "message",
    });
    const out: Out[] = abort.ok ? [abort.value] : [];
    return stay(idle, [...out, errorOutput(AssociationError["over-limit"], problem)]);
  }
  const ping = s.settings.ping ? { nextAt: s.now + s.settings.ping.intervalMs } : undefined;
  return stay({ ...s, phase: "associated", awaiting: undefined, negotiated: p, ping }, [
    ev({ type: "associated", params: p }),
    ...(ping ? [{ type: "timer" as const, at: ping.nextAt }] : []),
  ]);
}

function onConcludeAnswer(
  s: S,
  kind: "conclude-response" | "conclude-error",
  c: Carriage,
): Step<S> {
  if (s.phase !== "concluding") {
    return refuse(s, AssociationError["unexpected-pdu"], `${kind} in ${s.phase}`);
  }
  if (!answersAwaiting(s, "conclude", c)) {
    return refuse(s, AssociationError["unsolicited-response"], "not the conclude's iq result");
  }
  if (kind === "conclude-error") {
    return refuse(
      { ...s, phase: "associated", awaiting: undefined },
      AssociationError["conclude-refused"],
      "server refused to conclude",
    );
  }
  // spec: IEC61850-CONCLUDE PD-146
  return stay({
    ...s,
    phase: "concluded",
    awaiting: undefined,
    selections: NONE,
    commands: NONE,
    ping: undefined,
  }, [ev({ type: "concluded" })]);
}

/** Finds the request a response answers, or the code refusing it (PD-144). */
// spec: PD-144 RFC6120-8.2.3
function correlate(
  s: S,
  invokeId: number | undefined,
  c: Carriage,
): [number, PendingRequest] | Step<S> {
  if (invokeId === undefined) {
    // A reject of an unreadable request names no invoke id: the iq id says which.
    for (const k in s.pending) {
      if (c.kind === "iq" && s.pending[k].stanzaId === c.id) return [Number(k), s.pending[k]];
    }
    return refuse(s, AssociationError["unsolicited-response"], "reject matches no request");
  }
  const p = s.pending[invokeId];
  if (!p) {
    if (s.expired.includes(invokeId)) {
      return refuse(s, AssociationError["late-response"], `invoke ${invokeId}`);
    }
    if (invokeId >= 1 && invokeId <= s.lastInvoke) {
      return refuse(s, AssociationError["duplicate-response"], `invoke ${invokeId}`);
    }
    return refuse(s, AssociationError["unknown-invoke-id"], `invoke ${invokeId}`);
  }
  if (c.kind !== "iq" || c.id !== p.stanzaId) {
    return refuse(s, AssociationError["unsolicited-response"], `invoke ${invokeId} in another iq`);
  }
  return [invokeId, p];
}

function onAnswer(
  s: S,
  pdu: Extract<MmsPdu, { kind: "confirmed-response" | "confirmed-error" | "reject" }>,
  c: Carriage,
): Step<S> {
  const found = correlate(s, pdu.invokeId, c);
  if (!Array.isArray(found)) return found;
  const [id, p] = found;
  const { [id]: _done, ...rest } = s.pending;
  const done: S = { ...s, pending: rest };
  if (pdu.kind === "confirmed-error") {
    return stay(done, [failed(id, p, AssociationError["service-error"], pdu.code)]);
  }
  if (pdu.kind === "reject") {
    return stay(done, [failed(id, p, AssociationError.rejected, pdu.reason)]);
  }
  const r = pdu.response;
  if (r.service !== p.service) {
    return refuse(s, AssociationError["service-mismatch"], `${r.service} for ${p.service}`);
  }
  const n = r.service === "read" || r.service === "write" ? r.results.length : undefined;
  if (n !== undefined && n !== p.items) {
    return refuse(s, AssociationError["service-mismatch"], `${n} results for ${p.items} items`);
  }
  if ("ctlNum" in r) {
    if (r.control !== p.control) {
      return refuse(s, AssociationError["service-mismatch"], `response for ${r.control}`);
    }
    // spec: IEC61850-SBOES PD-147
    if (r.ctlNum !== p.params?.ctlNum) {
      return refuse(
        s,
        AssociationError["ctlnum-mismatch"],
        `${r.ctlNum}, sent ${p.params?.ctlNum}`,
      );
    }
  }
  return stay(afterControl(done, p, r), [ev({ type: "confirmation", invokeId: id, response: r })]);
}

/** What a control response does to the client's selections and commands. */
function afterControl(s: S, p: PendingRequest, r: ServiceResponse): S {
  const control = p.control;
  if (control === undefined) return s;
  const expires = s.now + s.settings.selectTimeoutMs;
  switch (r.service) {
    case "select":
      return r.selected ? { ...s, selections: withEntry(s.selections, control, { expires }) } : s;
    case "select-with-value":
      return r.addCause === undefined
        ? { ...s, selections: withEntry(s.selections, control, { expires, params: p.params }) }
        : s;
    case "operate": {
      const next = { ...s, selections: withoutEntry(s.selections, control) };
      // spec: IEC61850-CMDTERM PD-147
      return r.addCause === undefined && isEnhanced(modelOf(s.settings, control))
        ? { ...next, commands: withEntry(s.commands, control, r.ctlNum) }
        : next;
    }
    case "cancel":
      return r.addCause === undefined
        ? { ...s, selections: withoutEntry(s.selections, control) }
        : s;
    default:
      return s;
  }
}

// spec: PAPER-MAP2 PD-148 IEC61850-SQNUM
function onReport(s: S, report: Report): Step<S> {
  const v = judgeSqNum(lastSq(s.reports, report.rptId), report.sqNum);
  if (v.kind === "duplicate" || v.kind === "stale") {
    return refuse(
      s,
      AssociationError[v.kind === "duplicate" ? "duplicate-report" : "stale-report"],
      `${report.rptId} sqNum ${report.sqNum} after ${v.last}`,
    );
  }
  const next: S = { ...s, reports: remember(s.reports, report.rptId, report.sqNum) };
  const out: Out[] = [ev({ type: "report", report })];
  if (v.kind === "gap") {
    out.push(ev({
      type: "report-gap",
      rptId: report.rptId,
      expected: v.expected,
      received: report.sqNum,
      missing: v.missing,
    }));
    if (s.settings.reportGapIsError) {
      out.push(errorOutput(AssociationError["report-gap"], `${v.missing} missing`));
    }
  }
  return stay(next, out);
}

// spec: IEC61850-CMDTERM PD-147
function onTermination(s: S, t: CommandTermination): Step<S> {
  const ctlNum = commandOf(s.commands, t.control);
  if (ctlNum === undefined) return refuse(s, AssociationError["unknown-control"], t.control);
  if (ctlNum !== t.ctlNum) {
    return refuse(
      s,
      AssociationError["ctlnum-mismatch"],
      `termination ${t.ctlNum}, operate ${ctlNum}`,
    );
  }
  return stay({ ...s, commands: withoutEntry(s.commands, t.control) }, [
    ev({ type: "command-termination", termination: t }),
  ]);
}
