/**
 * The client role of an IEC 61850 two-party application association (the
 * control centre: VPP or DNO), as a pure machine.
 *
 * Theory of operation. `associate` sends an MMS-style initiate request in an
 * iq set proposing the PDU size, the requests that may be outstanding, the
 * data nesting and the services (PD-143); the server's initiate response in
 * the iq result must stay within the proposal and the profile's bounds, and
 * then the association is `associated`. Each `request` gets the next invoke
 * id and travels in an iq set whose result must carry its response (PD-144);
 * it waits at most its timeout, and ends exactly once: with its response, a
 * service error or reject, a timeout, or the association's end. Reports
 * arrive in messages and are checked by SqNum per report id (PD-148).
 * Controls follow the control model of each control: under
 * select-before-operate with enhanced security the client sends the operate
 * only inside a live select with the same ctlNum, and expects a command
 * termination after a positive operate (PD-147). `conclude` is refused while
 * requests are outstanding; the server's conclude response ends the
 * association in order.
 *
 * The presence monitor (monitor.ts) watches the server's full JID: presence
 * unavailable from it — or an unanswered XEP-0199 ping, or the peer's abort —
 * ends the association at once, failing every outstanding request with the
 * cause; the peer coming back changes nothing until a new `associate`.
 * Presence from anyone else is counted and reported as ignored. Every PDU
 * the client sends is plaintext XER for the composition layer to protect
 * with the A-profile session (PD-140). The table below is every phase change
 * the machine can make.
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
import { clientPdu } from "./client_receive.ts";
import {
  CLIENT_PHASES,
  type ClientState,
  failed,
  loseClient,
  pushExpired,
} from "./client_state.ts";
import { expireSelections, gateOperate, NONE } from "./control.ts";
import { AssociationError } from "./errors.ts";
import { canonicalPeer } from "./monitor.ts";
import { MAX_INVOKE_ID } from "./pdus.ts";
import { modelOf, resolveClient } from "./settings.ts";
import type { AssociationOutput, ClientConfig, ClientInput } from "./types.ts";

export { CLIENT_PHASES, type ClientPhase, type ClientState } from "./client_state.ts";

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});
const LIVE = ["associating", "associated", "concluding"] as const;

/** Declared edges (DESIGN.md §8): the literal table, then the code it cannot say. */
export const CLIENT_TRANSITIONS: readonly Transition[] = [
  t("idle", "associate", "associating", ["IEC61850-ASSOCIATE", "PD-143"], "send initiate"),
  t("concluded", "associate", "associating", ["IEC61850-ASSOCIATE"], "associate again"),
  t("aborted", "associate", "associating", ["PD-149"], "a new associate after a loss"),
  t("associating", "pdu", "associated", ["PD-143"], "initiate response within the proposal"),
  t("associating", "pdu", "idle", ["PD-143"], "initiate refused or over the proposal"),
  t("associating", "tick", "idle", ["PD-145"], "no initiate answer in time"),
  t("associated", "request", "associated", ["PAPER-MAP1", "PD-144"], "confirmed request sent"),
  t("associated", "pdu", "associated", ["PD-144", "PD-148"], "response, report or termination"),
  t("associated", "tick", "associated", ["PD-145", "PD-147"], "timeouts, select expiry, ping"),
  t("associated", "conclude", "concluding", ["IEC61850-CONCLUDE", "PD-146"], "nothing pending"),
  t("concluding", "pdu", "concluded", ["IEC61850-CONCLUDE"], "conclude response"),
  t("concluding", "pdu", "associated", ["IEC61850-CONCLUDE"], "conclude refused"),
  t("concluding", "tick", "aborted", ["PD-145"], "no conclude answer in time"),
  t("associated", "tick", "aborted", ["XEP0199-4.4", "PD-150"], "ping unanswered"),
  ...LIVE.flatMap((p) => [
    t(p, "presence", "aborted", ["PAPER-MAP3", "PD-149"], "peer unavailable"),
    t(p, "ping-timeout", "aborted", ["XEP0199-4.4", "PD-150"], "peer or link lost"),
    t(p, "session-lost", "aborted", ["PD-140"], "the A-profile session ended"),
    t(p, "pdu", "aborted", ["PD-146"], "peer aborted"),
    t(p, "abort", "aborted", ["PD-146"], "local abort"),
  ]),
  // Any other input leaves the phase as it is (served, ignored or refused).
  ...CLIENT_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

function init(config: ClientConfig): ClientState {
  return {
    phase: "idle",
    peer: canonicalPeer(config?.peer),
    settings: resolveClient(config.settings),
    now: 0,
    selections: NONE,
    commands: NONE,
    pings: 0,
    ignored: 0,
    lastInvoke: 0,
    pending: NONE,
    expired: [],
    associations: 0,
    reports: NONE,
  };
}

type S = ClientState;
const isLive = (p: string) => (LIVE as readonly string[]).includes(p);

const notHere = (s: S, what: string): Step<S> =>
  s.phase === "aborted"
    ? refuse(s, AssociationError.aborted, `${what} after abort`)
    : s.phase === "associated" || s.phase === "concluding" || s.phase === "associating"
    ? refuse(s, AssociationError["unexpected-input"], `${what} in ${s.phase}`)
    : refuse(s, AssociationError["not-associated"], `${what} in ${s.phase}`);

// spec: IEC61850-ASSOCIATE PD-143
function onAssociate(s: S): Step<S> {
  if (s.phase !== "idle" && s.phase !== "concluded" && s.phase !== "aborted") {
    return notHere(s, "associate");
  }
  const n = s.associations + 1;
  const id = `a${n}`;
  const deadline = s.now + s.settings.initiateTimeoutMs;
  const fresh: S = {
    ...s,
    associations: n,
    negotiated: undefined,
    pending: NONE,
    reports: NONE,
    selections: NONE,
    commands: NONE,
    ping: undefined,
  };
  const send = sendOut(s.settings, fresh, {
    kind: "initiate-request",
    params: s.settings.proposal,
  }, { kind: "iq", type: "set", id });
  if (!send.ok) return refuse(s, send.error.code, send.error.detail);
  return stay({ ...fresh, phase: "associating", awaiting: { kind: "initiate", id, deadline } }, [
    send.value,
    { type: "timer", at: deadline },
  ]);
}

// spec: PAPER-MAP1 PD-144 PD-145 PD-147
function onRequest(s: S, input: Extract<ClientInput, { type: "request" }>): Step<S> {
  if (s.phase !== "associated" || !s.negotiated) return notHere(s, "request");
  const r = input.request;
  if (typeof r !== "object" || r === null || typeof r.service !== "string") {
    return refuse(s, AssociationError["invalid-input"], "request");
  }
  if (!(s.negotiated.services as readonly string[]).includes(r.service)) {
    return refuse(s, AssociationError["service-unsupported"], r.service);
  }
  if (Object.keys(s.pending).length >= s.negotiated.maxOutstanding) {
    return refuse(s, AssociationError["too-many-outstanding"], `${s.negotiated.maxOutstanding}`);
  }
  const timeout = input.timeoutMs ?? s.settings.requestTimeoutMs;
  if (!Number.isSafeInteger(timeout) || timeout < 1) {
    return refuse(s, AssociationError["invalid-input"], "timeoutMs");
  }
  const control = "control" in r && typeof r.control === "string" ? r.control : undefined;
  if (r.service === "operate" && control !== undefined) {
    const gate = gateOperate(modelOf(s.settings, control), s.selections, control, r.params, s.now);
    if (!gate.ok) return refuse(s, gate.code, gate.detail);
  }
  const invokeId = s.lastInvoke >= MAX_INVOKE_ID ? 1 : s.lastInvoke + 1;
  const stanzaId = `m${invokeId}`;
  const send = sendOut(s.settings, s, { kind: "confirmed-request", invokeId, request: r }, {
    kind: "iq",
    type: "set",
    id: stanzaId,
  });
  if (!send.ok) return refuse(s, send.error.code, send.error.detail);
  const deadline = s.now + timeout;
  const items = r.service === "read" || r.service === "write" ? r.items.length : undefined;
  const params = "params" in r ? r.params : undefined;
  const pending = {
    service: r.service,
    stanzaId,
    deadline,
    ...(items === undefined ? {} : { items }),
    ...(control === undefined ? {} : { control }),
    ...(params === undefined ? {} : { params }),
  };
  return stay({ ...s, lastInvoke: invokeId, pending: { ...s.pending, [invokeId]: pending } }, [
    send.value,
    { type: "timer", at: deadline },
  ]);
}

// spec: IEC61850-CONCLUDE PD-146
function onConclude(s: S): Step<S> {
  if (s.phase !== "associated") return notHere(s, "conclude");
  // Commands still owing their termination count as outstanding too.
  const n = Object.keys(s.pending).length + Object.keys(s.commands).length;
  if (n > 0) return refuse(s, AssociationError["requests-outstanding"], `${n} outstanding`);
  const id = `c${s.associations}`;
  const deadline = s.now + s.settings.initiateTimeoutMs;
  const send = sendOut(s.settings, s, { kind: "conclude-request" }, {
    kind: "iq",
    type: "set",
    id,
  });
  if (!send.ok) return refuse(s, send.error.code, send.error.detail);
  return stay({ ...s, phase: "concluding", awaiting: { kind: "conclude", id, deadline } }, [
    send.value,
    { type: "timer", at: deadline },
  ]);
}

/** Abort by the application: the peer is told with an abort PDU. */
// spec: PD-146
function onAbort(s: S): Step<S> {
  if (!isLive(s.phase)) return notHere(s, "abort");
  const send = sendOut(s.settings, s, { kind: "abort", reason: "user" }, { kind: "message" });
  return loseClient(s, AssociationError["local-abort"], "abort", send.ok ? [send.value] : []);
}

// spec: PD-145 PD-147 PD-150
function onTick(s0: S): Step<S> {
  const s = s0;
  if (s.awaiting && s.now >= s.awaiting.deadline) {
    if (s.awaiting.kind === "initiate") {
      return refuse(
        { ...s, phase: "idle", awaiting: undefined },
        AssociationError.timeout,
        "initiate",
      );
    }
    const abort = sendOut(s.settings, s, { kind: "abort", reason: "timeout" }, { kind: "message" });
    return loseClient(s, AssociationError.timeout, "conclude", abort.ok ? [abort.value] : []);
  }
  if (!isLive(s.phase)) return stay(s);
  const out: Out[] = [];
  let pending = s.pending;
  const ids: number[] = [];
  for (const k in s.pending) {
    const p = s.pending[k];
    if (p.deadline > s.now) continue;
    if (pending === s.pending) pending = { ...s.pending };
    delete (pending as Record<number, unknown>)[Number(k)];
    ids.push(Number(k));
    out.push(failed(Number(k), p, AssociationError.timeout, `${p.service} unanswered`));
  }
  const [selections, expired] = expireSelections(s.selections, s.now);
  for (const control of expired) out.push(ev({ type: "select-expired", control }));
  const next: S = { ...s, pending, selections, expired: pushExpired(s.expired, ids) };
  const pinged = pingStep(next, s.settings, loseClient);
  return stay(pinged.state, [...out, ...pinged.out]);
}

function step(s0: S, input: ClientInput): Step<S> {
  const problem = commonInputProblem(input);
  if (problem) return refuse(s0, AssociationError["invalid-input"], problem);
  const s = at(s0, input.now);
  switch (input.type) {
    case "associate":
      return onAssociate(s);
    case "request":
      return onRequest(s, input);
    case "conclude":
      return onConclude(s);
    case "abort":
      return onAbort(s);
    case "pdu":
      return clientPdu(s, input.data, input.carriage, input.from);
    case "presence":
      return onPresence(s, input.stanza, isLive(s.phase), loseClient);
    case "pong":
      return onPong(s, input.id, input.from, s.settings.ping?.intervalMs);
    case "ping-timeout":
      // spec: XEP0199-4.4 PD-150
      return isLive(s.phase)
        ? loseClient(s, AssociationError["ping-timeout"], "reported by the pinger")
        : stay(s);
    case "session-lost":
      // spec: PD-140
      return isLive(s.phase)
        ? loseClient(s, AssociationError["session-lost"], "A-profile session ended")
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

/** The client machine. */
export const associationClient: Machine<ClientConfig, ClientState, ClientInput, AssociationOutput> =
  {
    name: "association.client",
    phases: CLIENT_PHASES,
    transitions: CLIENT_TRANSITIONS,
    init,
    step: totalStep(step, (s, e) => stay(s, [e])),
  };
