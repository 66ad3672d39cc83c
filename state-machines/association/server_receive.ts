/**
 * What the server does with a PDU from the client: the initiate (negotiated
 * down to its own caps within the profile's bounds, PD-143), confirmed
 * requests (checked, then handed to the application as indications, or
 * refused with a reject or a negative control response, PD-147, PD-153),
 * conclude (refused while anything is outstanding, PD-146) and abort.
 *
 * @module
 */
import { errorOutput } from "../../core/machine.ts";
import { alive, decodeFor, ev, type Out, refuse, sendOut, stay, type Step } from "./common.ts";
import { gateOperate, NONE } from "./control.ts";
import { AssociationError } from "./errors.ts";
import { isPeer, startPing } from "./monitor.ts";
import {
  type Carriage,
  carriageKind,
  CONFIRMED_SERVICES,
  type InitiateParameters,
  type MmsPdu,
} from "./pdus.ts";
import type { ServiceRequest } from "./services.ts";
import { boundsProblem, modelOf } from "./settings.ts";
import { loseServer, refusePdu, type ServerState } from "./server_state.ts";

type S = ServerState;

const phaseCode = (s: S) =>
  s.phase === "aborted" ? AssociationError.aborted : AssociationError["not-associated"];

/** A PDU opened by the composition layer. */
// spec: PAPER-MAP1 PAPER-MAP2 RFC6120-8.2.3 PD-152
export function serverPdu(s0: S, data: Uint8Array, carriage: Carriage, from: string): Step<S> {
  if (!isPeer(s0.peer, from)) return refuse(s0, AssociationError["wrong-sender"], from);
  const decoded = decodeFor(s0.settings, s0, data);
  if (!decoded.ok) {
    const reason = decoded.error.code === AssociationError["pdu-too-large"]
      ? "pdu-too-large"
      : "malformed";
    return refusePdu(s0, decoded.error.code, decoded.error.detail, carriage, reason);
  }
  const pdu = decoded.value;
  const kind = carriageKind(pdu.kind);
  const inSet = carriage.kind === "iq" && carriage.type === "set";
  if (kind !== (carriage.kind === "message" ? "message" : `iq-${carriage.type}`)) {
    return refusePdu(s0, AssociationError["wrong-carriage"], pdu.kind, carriage, "unexpected-pdu");
  }
  const s = s0.phase === "associated" ? alive(s0, s0.settings) : s0;
  switch (pdu.kind) {
    case "initiate-request":
      return onInitiate(s, pdu.params, carriage);
    case "confirmed-request":
      if (s.phase !== "associated") {
        return refusePdu(s, phaseCode(s), "request", carriage, "unexpected-pdu", pdu.invokeId);
      }
      return onRequest(s, pdu.invokeId, pdu.request, carriage);
    case "conclude-request":
      if (s.phase !== "associated") {
        return refusePdu(s, phaseCode(s), "conclude", carriage, "unexpected-pdu");
      }
      return onConclude(s, carriage);
    case "abort":
      // spec: PD-146
      return s.phase === "associated"
        ? loseServer(s, AssociationError["peer-aborted"], pdu.reason)
        : refuse(s, phaseCode(s), "abort");
    default:
      return inSet
        ? refusePdu(s, AssociationError["unexpected-pdu"], pdu.kind, carriage, "unexpected-pdu")
        : refuse(s, AssociationError["unexpected-pdu"], `${pdu.kind} at the server`);
  }
}

/** The parameters the server agrees to, or why it refuses (PD-143). */
// spec: PD-143 IEC61850-ASSOCIATE
export function negotiate(s: S, p: InitiateParameters): InitiateParameters | string {
  const problem = boundsProblem(p);
  if (problem) return problem;
  const caps = s.settings.caps;
  const services = p.services.filter((x) => s.settings.services.includes(x));
  if (!services.some((x) => (CONFIRMED_SERVICES as readonly string[]).includes(x))) {
    return "no confirmed service in common";
  }
  return {
    version: p.version,
    maxPduSize: Math.min(p.maxPduSize, caps.maxPduSize),
    maxOutstanding: Math.min(p.maxOutstanding, caps.maxOutstanding),
    maxNesting: Math.min(p.maxNesting, caps.maxNesting),
    services,
  };
}

function onInitiate(s: S, p: InitiateParameters, c: Carriage): Step<S> {
  const reply = (pdu: MmsPdu) =>
    sendOut(s.settings, s, pdu, { kind: "iq", type: "result", id: c.kind === "iq" ? c.id : "" });
  if (s.phase === "associated") {
    const e = reply({ kind: "initiate-error", code: "other" });
    return stay(s, [
      ...(e.ok ? [e.value] : []),
      errorOutput(AssociationError["unexpected-pdu"], "initiate while associated"),
    ]);
  }
  const agreed = negotiate(s, p);
  if (typeof agreed === "string") {
    const code = p.version !== 1 ? "version-incompatible" : "over-limit";
    const e = reply({
      kind: "initiate-error",
      code: agreed.startsWith("no confirmed") ? "other" : code,
    });
    return stay(s, [
      ...(e.ok ? [e.value] : []),
      errorOutput(
        agreed.startsWith("no confirmed")
          ? AssociationError["service-unsupported"]
          : AssociationError["over-limit"],
        agreed,
      ),
    ]);
  }
  const response = reply({ kind: "initiate-response", params: agreed });
  if (!response.ok) return refuse(s, response.error.code, response.error.detail);
  const ping = startPing(s.settings.ping, s.now);
  return stay({
    ...s,
    phase: "associated",
    negotiated: agreed,
    pending: NONE,
    selections: NONE,
    commands: NONE,
    ping,
  }, [
    response.value,
    ev({ type: "associated", params: agreed }),
    ...(ping ? [{ type: "timer" as const, at: ping.nextAt }] : []),
  ]);
}

// spec: PAPER-MAP1 PD-144 PD-147 PD-153
function onRequest(s: S, invokeId: number, r: ServiceRequest, c: Carriage): Step<S> {
  const n = s.negotiated!;
  if (s.pending[invokeId]) {
    return refusePdu(
      s,
      AssociationError["duplicate-invoke-id"],
      `${invokeId}`,
      c,
      "duplicate-invoke-id",
      invokeId,
    );
  }
  if (!(n.services as readonly string[]).includes(r.service)) {
    return refusePdu(
      s,
      AssociationError["service-unsupported"],
      r.service,
      c,
      "service-not-negotiated",
      invokeId,
    );
  }
  if (Object.keys(s.pending).length >= n.maxOutstanding) {
    return refusePdu(
      s,
      AssociationError["too-many-outstanding"],
      `${n.maxOutstanding}`,
      c,
      "max-outstanding-exceeded",
      invokeId,
    );
  }
  const stanzaId = c.kind === "iq" ? c.id : "";
  if (r.service === "operate") {
    const gate = gateOperate(
      modelOf(s.settings, r.control),
      s.selections,
      r.control,
      r.params,
      s.now,
    );
    if (!gate.ok) {
      // spec: IEC61850-SBOES PD-147 PD-153
      const neg = sendOut(s.settings, s, {
        kind: "confirmed-response",
        invokeId,
        response: {
          service: "operate",
          control: r.control,
          ctlNum: r.params.ctlNum,
          addCause: gate.addCause,
        },
      }, { kind: "iq", type: "result", id: stanzaId });
      const out: Out[] = neg.ok ? [neg.value] : [];
      return stay(s, [...out, errorOutput(gate.code, gate.detail)]);
    }
  }
  const control = "control" in r ? r.control : undefined;
  const params = "params" in r ? r.params : undefined;
  const ind = {
    service: r.service,
    stanzaId,
    ...(control === undefined ? {} : { control }),
    ...(params === undefined ? {} : { params }),
  };
  return stay({ ...s, pending: { ...s.pending, [invokeId]: ind } }, [
    ev({ type: "indication", invokeId, request: r }),
  ]);
}

// spec: IEC61850-CONCLUDE PD-146
function onConclude(s: S, c: Carriage): Step<S> {
  const id = c.kind === "iq" ? c.id : "";
  const busy = Object.keys(s.pending).length + Object.keys(s.commands).length;
  if (busy > 0) {
    const e = sendOut(s.settings, s, { kind: "conclude-error" }, {
      kind: "iq",
      type: "result",
      id,
    });
    return stay(s, [
      ...(e.ok ? [e.value] : []),
      errorOutput(AssociationError["requests-outstanding"], `${busy} outstanding`),
    ]);
  }
  const r = sendOut(s.settings, s, { kind: "conclude-response" }, {
    kind: "iq",
    type: "result",
    id,
  });
  if (!r.ok) return refuse(s, r.error.code, r.error.detail);
  return stay({ ...s, phase: "concluded", selections: NONE, commands: NONE, ping: undefined }, [
    r.value,
    ev({ type: "concluded" }),
  ]);
}
