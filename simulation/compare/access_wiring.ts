/**
 * The access dimension of the comparison as simulation options: each value
 * of §V's options is `SimulationOptions.access`, and simulation/access.ts
 * wires it into the network the run uses (the in-memory router or a private
 * Prosody), the same code path as `deno task simulate --access`.
 *
 * @module
 */
import type { SimulationOptions } from "../options.ts";
import type { Combination } from "./combinations.ts";

/** The access value as simulation options (none for "none"). */
// spec: PD-242 PD-243 DL-CMP-ACC-1 DL-SIM-ACC-1
export function accessOptions(c: Combination): Pick<SimulationOptions, "access"> {
  switch (c.access) {
    case "none":
      return {};
    case "option-1":
    case "option-2":
    case "option-3":
      return { access: c.access };
    default:
      throw new Error(`access: unknown value ${c.access}`);
  }
}
