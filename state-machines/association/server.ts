/**
 * The server role of an IEC 61850 two-party application association (a
 * DER), as a pure machine. The DER model behind it (the application) serves
 * the requests: it hears `indication` events and answers with `respond`.
 *
 * Theory of operation. The server listens for an initiate request from its
 * one peer (the client the A-profile session authenticated). It refuses a
 * proposal outside the profile's bounds and otherwise agrees to the smaller
 * of each proposed value and its own cap, and to the services both support
 * (PD-143). Associated, it checks each confirmed request before the
 * application sees it: an invoke id still outstanding, a service not
 * negotiated, or one request more than the negotiated maximum is rejected
 * in the iq result (PD-153); an operate under select-before-operate without
 * a live select with the same ctlNum and parameters is answered negatively
 * with AddCause object-not-selected or inconsistent-parameters (PD-147).
 * The application's answer goes back in the request's iq result; a positive
 * SBOw answer selects the control until the select timeout, a positive
 * operate under enhanced security owes a command termination (`terminate`).
 * Reports the application hands over go out in messages. Conclude is
 * refused while indications or commands are outstanding.
 *
 * The presence monitor watches the client's full JID exactly as the client
 * watches the server's: unavailable presence, an unanswered ping or the
 * peer's abort end the association at once, and the application's later
 * answers are refused. The table below is every phase change the machine
 * can make.
 *
 * @module
 */
import { ANY, type Machine, totalStep, type Transition } from "../../core/machine.ts";
import {
  at,
  commonInputProblem,
  ev,
  onPong,
  onPresence,
  type Out,
  pingStep,
  refuse,
  sendOut,
  stay,
  type Step,
} from "./common.ts";
import {
  commandOf,
  expireSelections,
  isEnhanced,
  NONE,
  withEntry,
  withoutEntry,
} from "./control.ts";
import { AssociationError } from "./errors.ts";
import { canonicalPeer } from "./monitor.ts";
import { serverPdu } from "./server_receive.ts";
import { type Indication, loseServer, SERVER_PHASES, type ServerState } from "./server_state.ts";
import type { ServiceResponse } from "./services.ts";
import { modelOf, resolveServer } from "./settings.ts";
import type { Answer, AssociationOutput, ServerConfig, ServerInput } from "./types.ts";

export { SERVER_PHASES, type ServerPhase, type ServerState } from "./server_state.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

/** Declared edges (DESIGN.md §8): the literal table, then the code it cannot say. */
export const SERVER_TRANSITIONS: readonly Transition[] = [
  t("listening", "pdu", "associated", ["IEC61850-ASSOCIATE", "PD-143"], "initiate accepted"),
  t("concluded", "pdu", "associated", ["IEC61850-ASSOCIATE"], "initiate again"),
  t("aborted", "pdu", "associated", ["PD-149"], "a new initiate after a loss"),
  t("associated", "pdu", "associated", ["PAPER-MAP1", "PD-153"], "request indicated or refused"),
  t("associated", "pdu", "concluded", ["IEC61850-CONCLUDE", "PD-146"], "conclude, nothing pending"),
  t("associated", "pdu", "aborted", ["PD-146"], "peer aborted"),
  t("associated", "respond", "associated", ["PAPER-MAP1", "PD-144"], "response sent"),
  t("associated", "terminate", "associated", ["IEC61850-CMDTERM"], "command termination sent"),
  t("associated", "report", "associated", ["PAPER-MAP2"], "information report sent"),
  t("associated", "tick", "associated", ["PD-147", "PD-150"], "select expiry, ping"),
  t("associated", "presence", "aborted", ["PAPER-MAP3", "PD-149"], "peer unavailable"),
  t("associated", "ping-timeout", "aborted", ["XEP0199-4.4", "PD-150"], "peer or link lost"),
  t("associated", "tick", "aborted", ["XEP0199-4.4", "PD-150"], "ping unanswered"),
  t("associated", "session-lost", "aborted", ["PD-140"], "the A-profile session ended"),
  t("associated", "abort", "aborted", ["PD-146"], "local abort"),
  // Any other input leaves the phase as it is (refused, ignored or nothing to do).
  ...SERVER_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

function init(config: ServerConfig): ServerState {
  return {
    phase: "listening",
    peer: canonicalPeer(config?.peer),
    settings: resolveServer(config.settings),
    now: 0,
    selections: NONE,
    commands: NONE,
    pings: 0,
    ignored: 0,
    pending: NONE,
  };
}

type S = ServerState;

const notHere = (s: S, what: string): Step<S> =>
  refuse(
    s,
    s.phase === "aborted" ? AssociationError.aborted : AssociationError["not-associated"],
    `${what} in ${s.phase}`,
  );

/** Does the application's response fit the request it answers? */
function mismatch(ind: Indication, r: ServiceResponse): Step<S> | string | undefined {
  if (typeof r !== "object" || r === null || r.service !== ind.service) return "service";
  if ("ctlNum" in r && (r.control !== ind.control || r.ctlNum !== ind.params?.ctlNum)) {
    return "ctlNum";
  }
  return undefined;
}

/** The application answers an indication. */
// spec: PAPER-MAP1 PD-144 PD-147
function onRespond(s: S, invokeId: number, answer: Answer): Step<S> {
  if (s.phase !== "associated") return notHere(s, "respond");
  const ind = s.pending[invokeId];
  if (!ind) return refuse(s, AssociationError["unknown-indication"], `invoke ${invokeId}`);
  if (typeof answer !== "object" || answer === null) {
    return refuse(s, AssociationError["invalid-input"], "answer");
  }
  const carriage = { kind: "iq", type: "result", id: ind.stanzaId } as const;
  if ("error" in answer) {
    const e = sendOut(
      s.settings,
      s,
      { kind: "confirmed-error", invokeId, code: answer.error },
      carriage,
    );
    if (!e.ok) return refuse(s, e.error.code, e.error.detail);
    const { [invokeId]: _d, ...rest } = s.pending;
    return stay({ ...s, pending: rest }, [e.value]);
  }
  const bad = mismatch(ind, answer);
  if (bad) {
    return refuse(
      s,
      AssociationError[bad === "ctlNum" ? "ctlnum-mismatch" : "service-mismatch"],
      `answer to ${ind.service}`,
    );
  }
  const r = sendOut(
    s.settings,
    s,
    { kind: "confirmed-response", invokeId, response: answer },
    carriage,
  );
  if (!r.ok) return refuse(s, r.error.code, r.error.detail);
  const { [invokeId]: _d, ...rest } = s.pending;
  const [next, out] = afterControl({ ...s, pending: rest }, ind, answer);
  return stay(next, [r.value, ...out]);
}

/** What an answered control does to selections and commands. */
// spec: IEC61850-SBOES IEC61850-CMDTERM PD-147
function afterControl(s: S, ind: Indication, r: ServiceResponse): [S, Out[]] {
  const control = ind.control;
  if (control === undefined) return [s, []];
  const expires = s.now + s.settings.selectTimeoutMs;
  switch (r.service) {
    case "select":
      return r.selected
        ? [{ ...s, selections: withEntry(s.selections, control, { expires }) }, [{
          type: "timer",
          at: expires,
        }]]
        : [s, []];
    case "select-with-value":
      return r.addCause === undefined
        ? [
          { ...s, selections: withEntry(s.selections, control, { expires, params: ind.params }) },
          [{ type: "timer", at: expires }],
        ]
        : [s, []];
    case "operate": {
      const next = { ...s, selections: withoutEntry(s.selections, control) };
      return r.addCause === undefined && isEnhanced(modelOf(s.settings, control))
        ? [{ ...next, commands: withEntry(s.commands, control, r.ctlNum) }, []]
        : [next, []];
    }
    case "cancel":
      return r.addCause === undefined
        ? [{ ...s, selections: withoutEntry(s.selections, control) }, []]
        : [s, []];
    default:
      return [s, []];
  }
}

// spec: IEC61850-CMDTERM PD-147
function onTerminate(s: S, input: Extract<ServerInput, { type: "terminate" }>): Step<S> {
  if (s.phase !== "associated") return notHere(s, "terminate");
  const term = input.termination;
  if (typeof term !== "object" || term === null || typeof term.control !== "string") {
    return refuse(s, AssociationError["invalid-input"], "termination");
  }
  const ctlNum = commandOf(s.commands, term.control);
  if (ctlNum === undefined) return refuse(s, AssociationError["unknown-control"], term.control);
  if (ctlNum !== term.ctlNum) {
    return refuse(s, AssociationError["ctlnum-mismatch"], `${term.ctlNum}, operated ${ctlNum}`);
  }
  const m = sendOut(s.settings, s, { kind: "command-termination", termination: term }, {
    kind: "message",
  });
  if (!m.ok) return refuse(s, m.error.code, m.error.detail);
  return stay({ ...s, commands: withoutEntry(s.commands, term.control) }, [m.value]);
}

// spec: PAPER-MAP2
function onReport(s: S, input: Extract<ServerInput, { type: "report" }>): Step<S> {
  if (s.phase !== "associated") return notHere(s, "report");
  if (!s.negotiated!.services.includes("information-report")) {
    return refuse(s, AssociationError["service-unsupported"], "information-report");
  }
  const m = sendOut(s.settings, s, { kind: "information-report", report: input.report }, {
    kind: "message",
  });
  return m.ok ? stay(s, [m.value]) : refuse(s, m.error.code, m.error.detail);
}

function onTick(s: S): Step<S> {
  if (s.phase !== "associated") return stay(s);
  const [selections, expired] = expireSelections(s.selections, s.now);
  const out: Out[] = expired.map((control) => ev({ type: "select-expired", control }));
  const pinged = pingStep({ ...s, selections }, s.settings, loseServer);
  return stay(pinged.state, [...out, ...pinged.out]);
}

function step(s0: S, input: ServerInput): Step<S> {
  const problem = commonInputProblem(input);
  if (problem) return refuse(s0, AssociationError["invalid-input"], problem);
  const s = at(s0, input.now);
  const live = s.phase === "associated";
  switch (input.type) {
    case "pdu":
      return serverPdu(s, input.data, input.carriage, input.from);
    case "respond":
      return onRespond(s, input.invokeId, input.answer);
    case "terminate":
      return onTerminate(s, input);
    case "report":
      return onReport(s, input);
    case "abort": {
      if (!live) return notHere(s, "abort");
      const m = sendOut(s.settings, s, { kind: "abort", reason: "user" }, { kind: "message" });
      return loseServer(s, AssociationError["local-abort"], "abort", m.ok ? [m.value] : []);
    }
    case "presence":
      return onPresence(s, input.stanza, live, loseServer);
    case "pong":
      return onPong(s, input.id, input.from, s.settings.ping?.intervalMs);
    case "ping-timeout":
      return live
        ? loseServer(s, AssociationError["ping-timeout"], "reported by the pinger")
        : stay(s);
    case "session-lost":
      // spec: PD-140
      return live
        ? loseServer(s, AssociationError["session-lost"], "A-profile session ended")
        : stay(s);
    case "tick":
      return onTick(s);
    default:
      return refuse(
        s,
        AssociationError["invalid-input"],
        `input ${(input as { type: string }).type}`,
      );
  }
}

/** The server machine. */
export const associationServer: Machine<ServerConfig, ServerState, ServerInput, AssociationOutput> =
  {
    name: "association.server",
    phases: SERVER_PHASES,
    transitions: SERVER_TRANSITIONS,
    init,
    step: totalStep(step, (s, e) => stay(s, [e])),
  };
