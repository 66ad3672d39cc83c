/**
 * The control-centre application (VPP / grid operator, issue 6): the
 * traffic-light planner that turns a phase decision into group commands and
 * unicast requests, the market's schedules from tariffs, the group command
 * payload codec, and the fleet view aggregated from DER reports.
 *
 * @module
 */
export {
  decodeGroupCommand,
  encodeGroupCommand,
  GROUP_COMMAND_NS,
  type GroupCommand,
  type GroupOperation,
  type TrafficLight,
  tryDecodeGroupCommand,
} from "./group_command.ts";
export { GroupCommandError } from "./errors.ts";
export {
  initialOperator,
  type LightDecision,
  type OperatorState,
  type Plan,
  planTrafficLight,
} from "./traffic_light.ts";
export {
  scheduleFromTariff,
  scheduleWrite,
  type TariffPeriod,
  type TariffPolicy,
} from "./market.ts";
export {
  applyReport,
  type DerProfile,
  type DerView,
  emptyFleet,
  type Fleet,
  type FleetTotals,
  fleetTotals,
  groupMembers,
} from "./fleet.ts";
