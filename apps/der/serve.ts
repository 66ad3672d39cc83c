/**
 * The DER server application's entry points, what an association calls:
 *
 * - {@link serve}: one confirmed service request from an authenticated
 *   caller at virtual time `now` → the new model, the response (or a
 *   ServiceError), command terminations and the reports the request (and
 *   the time elapsed before it) caused;
 * - {@link tick}: time passes with no request → the new model and reports;
 * - {@link applyGroupCommand}: a group command received over a multicast
 *   association (its sender already checked by the group-key layer) → the
 *   new model, one outcome per operation, reports.
 *
 * All are pure: the same model, input and time give the same result.
 *
 * @module
 */
import type {
  AddCause,
  CommandTermination,
  DataAccessError,
  MmsData,
  Report,
  ServiceError,
  ServiceRequest,
  ServiceResponse,
} from "../../state-machines/association/services.ts";
import { readItem, writeItem } from "./access.ts";
import type { DerConfig } from "./config.ts";
import { directOperate, handleControl } from "./controls.ts";
import { dataTree } from "./data_tree.ts";
import { getNameList } from "./name_list.ts";
import { formatReference, parseRelativeReference } from "./references.ts";
import { emitReports } from "./reports.ts";
import { advance, initDer, measure, settleSource } from "./simulator.ts";
import { callerPriority, type DerState } from "./state.ts";
import type { GroupCommand } from "../control-centre/group_command.ts";

export interface ServeResult {
  readonly model: DerState;
  readonly response: ServiceResponse | ServiceError;
  readonly terminations: readonly CommandTermination[];
  readonly reports: readonly Report[];
}

/** A fresh DER model at `now`. */
export const createDer = (config: DerConfig, now: number): DerState => initDer(config, now);

/** Time passes: the model at `now` and the reports due on the way. */
export function tick(model: DerState, now: number): { model: DerState; reports: Report[] } {
  const { state, reports } = advance(model, now);
  return { model: state, reports };
}

function writeAll(
  model: DerState,
  items: readonly { readonly ref: { ref: string; fc: string }; readonly value: MmsData }[],
  caller: string,
): { state: DerState; results: (null | DataAccessError)[] } {
  const tree = dataTree(model.config);
  const priority = callerPriority(model, caller);
  const ctx = priority === undefined ? undefined : { caller, priority };
  let state = model;
  const results = items.map((item) => {
    const r = writeItem(tree, state, item.ref as never, item.value, ctx);
    if (typeof r === "string") return r;
    state = r;
    return null;
  });
  return { state, results };
}

/** Serves one request from `caller` (an identity the DER's priorities may name) at `now`. */
// spec: DL-DER-1 PAPER-MAP1
export function serve(
  model: DerState,
  request: ServiceRequest,
  now: number,
  caller: string,
): ServeResult {
  const before = advance(model, now);
  const tree = dataTree(model.config);
  let state = before.state;
  let response: ServiceResponse | ServiceError;
  let terminations: CommandTermination[] = [];
  switch (request.service) {
    case "get-name-list": {
      const page = getNameList(
        tree,
        request.scope,
        request.continueAfter,
        state.config.nameListPage,
      );
      response = typeof page === "string"
        ? { service: "get-name-list", error: page }
        : { service: "get-name-list", names: page.names, moreFollows: page.moreFollows };
      break;
    }
    case "read":
      response = {
        service: "read",
        results: request.items.map((ref) => readItem(tree, state, ref)),
      };
      break;
    case "write": {
      const w = writeAll(state, request.items, caller);
      state = w.state;
      response = { service: "write", results: w.results };
      break;
    }
    case "select":
    case "select-with-value":
    case "operate":
    case "cancel": {
      const c = handleControl(tree, state, request, caller, now);
      state = c.state;
      response = c.response;
      if (c.termination) terminations = [c.termination];
      break;
    }
    default:
      response = {
        service: (request as { service: never }).service,
        error: "object-access-unsupported",
      };
  }
  const after = emitReports(tree, measure(settleSource(state)));
  return {
    model: after.state,
    response,
    terminations,
    reports: [...before.reports, ...after.reports],
  };
}

/** What became of one operation of a group command at this DER. */
export type GroupOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly addCause?: AddCause; readonly error?: DataAccessError };

/**
 * Applies a group command from `sender` at `now`: each operation in order,
 * LD-relative references placed in this DER's logical device, operates as
 * direct operates (PD-195). A refused operation does not stop the rest.
 */
// spec: PAPER-TL3 PD-195
export function applyGroupCommand(
  model: DerState,
  command: GroupCommand,
  now: number,
  sender: string,
): { model: DerState; outcomes: GroupOutcome[]; reports: Report[] } {
  const before = advance(model, now);
  const tree = dataTree(model.config);
  let state = before.state;
  const outcomes = command.operations.map((op): GroupOutcome => {
    const ref = parseRelativeReference(tree.ld, op.kind === "operate" ? op.control : op.ref);
    if (!ref) {
      return op.kind === "operate"
        ? { ok: false, addCause: "unknown" }
        : { ok: false, error: "invalid-address" };
    }
    if (op.kind === "operate") {
      const r = directOperate(tree, state, formatReference(ref), op.params, sender, now);
      state = r.state;
      return r.addCause ? { ok: false, addCause: r.addCause } : { ok: true };
    }
    const w = writeAll(
      state,
      [{ ref: { ref: formatReference(ref), fc: op.fc }, value: op.value }],
      sender,
    );
    state = w.state;
    return w.results[0] === null ? { ok: true } : { ok: false, error: w.results[0] };
  });
  const after = emitReports(tree, measure(settleSource(state)));
  return { model: after.state, outcomes, reports: [...before.reports, ...after.reports] };
}
