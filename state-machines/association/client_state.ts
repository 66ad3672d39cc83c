/**
 * State of the client role (client.ts) and the one way it loses an
 * association: every outstanding request fails with the cause, exactly once,
 * and nothing pending survives into the `aborted` phase.
 *
 * @module
 */
import type { ErrorCode } from "../../core/errors.ts";
import { type BaseState, ev, type Out, stay, type Step } from "./common.ts";
import { NONE } from "./control.ts";
import type { ControlParameters, ServiceRequest } from "./services.ts";
import type { ResolvedClient } from "./settings.ts";

export const CLIENT_PHASES = [
  "idle",
  "associating",
  "associated",
  "concluding",
  "concluded",
  "aborted",
] as const;
export type ClientPhase = typeof CLIENT_PHASES[number];

/** One request waiting for its response. */
export interface PendingRequest {
  readonly service: ServiceRequest["service"];
  /** Id of the iq set that carried it; the response must come in its result. */
  readonly stanzaId: string;
  readonly deadline: number;
  /** Items a read/write asked for: the response must have as many results. */
  readonly items?: number;
  readonly control?: string;
  /** The control parameters sent (kept to record a selection and match ctlNum). */
  readonly params?: ControlParameters;
}

export interface ClientState extends BaseState {
  readonly phase: ClientPhase;
  readonly settings: ResolvedClient;
  /** Last invoke id issued (0 before the first). */
  readonly lastInvoke: number;
  readonly pending: Readonly<Record<number, PendingRequest>>;
  /** Invoke ids that timed out or were failed by an abort, newest last (bounded). */
  readonly expired: readonly number[];
  /** Associations started so far (initiate and conclude iq ids are `a<n>` and `c<n>`). */
  readonly associations: number;
  /** The initiate or conclude waiting for its answer. */
  readonly awaiting?: {
    readonly kind: "initiate" | "conclude";
    readonly id: string;
    readonly deadline: number;
  };
  /** Last SqNum accepted per report id. */
  readonly reports: Readonly<Record<string, number>>;
}

/** How many expired invoke ids are remembered to tell a late response from a duplicate. */
export const EXPIRED_MEMORY = 64;

export const pushExpired = (list: readonly number[], ids: readonly number[]): readonly number[] =>
  ids.length === 0 ? list : [...list, ...ids].slice(-EXPIRED_MEMORY);

/** Fails one pending request: the single `request-failed` event it ends with. */
export const failed = (
  invokeId: number,
  p: PendingRequest,
  code: ErrorCode,
  detail?: string,
): Out =>
  ev({
    type: "request-failed",
    invokeId,
    service: p.service,
    code,
    ...(detail === undefined ? {} : { detail }),
  });

/** Loses the association: every pending request fails with `cause`; phase `aborted`. */
// spec: PAPER-MAP3 PD-146 PD-149
export function loseClient(
  s: ClientState,
  cause: ErrorCode,
  detail: string,
  extra: Out[] = [],
): Step<ClientState> {
  const out: Out[] = [...extra];
  const ids: number[] = [];
  for (const k in s.pending) {
    const id = Number(k);
    ids.push(id);
    out.push(failed(id, s.pending[id], cause, detail));
  }
  out.push(ev({ type: "aborted", cause, failed: ids.length }));
  return stay({
    ...s,
    phase: "aborted",
    pending: NONE,
    expired: pushExpired(s.expired, ids),
    awaiting: undefined,
    selections: NONE,
    commands: NONE,
    ping: undefined,
  }, out);
}
