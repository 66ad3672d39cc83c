/**
 * State of the server role (server.ts), its refusal of a PDU (answering an
 * iq set with a reject so no request goes unanswered, RFC 6120 §8.2.3), and
 * the one way it loses an association.
 *
 * @module
 */
import type { ErrorCode } from "../../core/errors.ts";
import { errorOutput } from "../../core/machine.ts";
import { type BaseState, ev, type Out, sendOut, stay, type Step } from "./common.ts";
import { NONE } from "./control.ts";
import type { Carriage, RejectReason } from "./pdus.ts";
import type { ControlParameters, ServiceRequest } from "./services.ts";
import type { ResolvedServer } from "./settings.ts";

export const SERVER_PHASES = ["listening", "associated", "concluded", "aborted"] as const;
export type ServerPhase = typeof SERVER_PHASES[number];

/** A request handed to the application and not yet answered. */
export interface Indication {
  readonly service: ServiceRequest["service"];
  /** Id of the iq set it came in; the response goes in its result. */
  readonly stanzaId: string;
  readonly control?: string;
  readonly params?: ControlParameters;
}

export interface ServerState extends BaseState {
  readonly phase: ServerPhase;
  readonly settings: ResolvedServer;
  readonly pending: Readonly<Record<number, Indication>>;
}

/**
 * Refuses a PDU with `code`; when it came in an iq set, the iq is answered
 * with a reject (PD-152) so the client's request ends.
 */
// spec: RFC6120-8.2.3 PD-152 PD-153
export function refusePdu(
  s: ServerState,
  code: ErrorCode,
  detail: string,
  carriage: Carriage,
  reason: RejectReason,
  invokeId?: number,
): Step<ServerState> {
  const out: Out[] = [];
  if (carriage.kind === "iq" && carriage.type === "set") {
    const reject = sendOut(s.settings, s, {
      kind: "reject",
      reason,
      ...(invokeId === undefined ? {} : { invokeId }),
    }, { kind: "iq", type: "result", id: carriage.id });
    if (reject.ok) out.push(reject.value);
  }
  out.push(errorOutput(code, detail));
  return stay(s, out);
}

/** Loses the association: every indication still unanswered goes with it; phase `aborted`. */
// spec: PAPER-MAP3 PD-146 PD-149
export function loseServer(
  s: ServerState,
  cause: ErrorCode,
  _detail: string,
  extra: Out[] = [],
): Step<ServerState> {
  const failed = Object.keys(s.pending).length;
  return stay({
    ...s,
    phase: "aborted",
    pending: NONE,
    selections: NONE,
    commands: NONE,
    ping: undefined,
  }, [...extra, ev({ type: "aborted", cause, failed })]);
}
