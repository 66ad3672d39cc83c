/**
 * The DER application (issue 6): an IEC 61850-7-420 / 61850-90-7 style
 * information model of one DER served as an ACSI data tree, and a simulator
 * that moves it through virtual time. A server association calls
 * {@link createDer} once, then {@link serve} for each request (with the
 * authenticated caller and the current virtual time), {@link tick} when time
 * passes, and {@link applyGroupCommand} for each group command received.
 *
 * @module
 */
export {
  type DerConfig,
  derConfig,
  type DerKind,
  type GridConfig,
  type WeatherConfig,
} from "./config.ts";
export { DerModelError, refusalCode } from "./errors.ts";
export {
  applyGroupCommand,
  createDer,
  type GroupOutcome,
  serve,
  type ServeResult,
  tick,
} from "./serve.ts";
export { type DerState, MODE, SOURCE } from "./state.ts";
export { datasetRefs, type RcbName, rptId } from "./reports.ts";
export { dataTree } from "./data_tree.ts";
export { resolve } from "./dispatch.ts";
