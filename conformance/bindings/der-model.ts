/**
 * The reference DER model at protocol level (vectors/der-model/):
 *
 * - `der.serve` {config, start, setup, caller, at, request} → {setup:
 *   [response…], response, terminations}: a DER created at `start` with
 *   `config` serves each setup step, then the request;
 * - `der.group-command` {config, start, setup, sender, at, payload, reads:
 *   [{at, ref, fc}]} → {setup, outcomes, values}: after the setup, the
 *   payload (group command XML, PD-195) is decoded and applied as sent by
 *   `sender`; each read is then made by the first caller with a role. A
 *   payload that does not decode is refused with its `group-command/*` code.
 *
 * @module
 */
import type { DataReference, ServiceRequest } from "../../state-machines/association/services.ts";
import { checkConfig, type DerConfig } from "../../apps/der/config.ts";
import { applyGroupCommand, createDer, serve } from "../../apps/der/serve.ts";
import type { DerState } from "../../apps/der/state.ts";
import { decodeGroupCommand } from "../../apps/control-centre/group_command.ts";
import { utf8 } from "../../core/bytes.ts";
import type { FunctionBinding } from "../iut/bindings.ts";
import type { Json, JsonObject } from "../iut/protocol.ts";
import { asIs, num, obj, str } from "./args.ts";

interface Step {
  readonly caller: string;
  readonly at: number;
  readonly request: ServiceRequest;
}

function startDer(args: JsonObject): DerState {
  const config = asIs<DerConfig>(obj(args, "config"));
  checkConfig(config);
  return createDer(config, num(args, "start"));
}

/** Runs the setup steps, returning the model and each step's response. */
function runSetup(model: DerState, args: JsonObject): { model: DerState; responses: Json[] } {
  const steps = (Array.isArray(args.setup) ? args.setup : []) as unknown as Step[];
  const responses: Json[] = [];
  let m = model;
  for (const s of steps) {
    const r = serve(m, s.request, s.at, s.caller);
    responses.push(r.response as unknown as Json);
    m = r.model;
  }
  return { model: m, responses };
}

export const functions: Record<string, FunctionBinding> = {
  "der.serve": (args) => {
    const { model, responses } = runSetup(startDer(args), args);
    const r = serve(
      model,
      asIs<ServiceRequest>(obj(args, "request")),
      num(args, "at"),
      str(args, "caller"),
    );
    return {
      setup: responses,
      response: r.response as unknown as Json,
      terminations: r.terminations as unknown as Json,
    };
  },
  "der.group-command": (args) => {
    const command = decodeGroupCommand(utf8(str(args, "payload")));
    const config = asIs<DerConfig>(obj(args, "config"));
    const { model, responses } = runSetup(startDer(args), args);
    const r = applyGroupCommand(model, command, num(args, "at"), str(args, "sender"));
    const reader = Object.keys(config.priorities)[0] ?? "";
    const reads = (Array.isArray(args.reads) ? args.reads : []) as unknown as (DataReference & {
      at: number;
    })[];
    const values = reads.map((q) => {
      const got = serve(
        r.model,
        { service: "read", items: [{ ref: q.ref, fc: q.fc }] },
        q.at,
        reader,
      );
      return (got.response as unknown as { results: Json[] }).results[0];
    });
    return { setup: responses, outcomes: r.outcomes as unknown as Json, values };
  },
};

export const derModelBindings = { functions, machines: {} };
