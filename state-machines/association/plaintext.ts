/**
 * TEST ONLY: an association without end-to-end protection, the baseline
 * `deno task compare` needs to show what the A-profile and per-message
 * modes buy (issue 9, protection=none, PD-247). Each MMS XER PDU travels
 * as itself inside the iq or message, so the XMPP server reads every
 * command, response and report.
 *
 * Theory of operation. There is no handshake and nothing to check: `start`
 * makes the channel usable at once (client); a server's channel becomes
 * usable with the first PDU it receives; `send` puts the PDU's XER element
 * into the stanza unchanged; a received XER element is handed up as data.
 * `release` and `abort` end the channel locally (the association's own
 * conclude and abort PDUs say it to the peer). Only a PDU in the MMS XER
 * namespace is taken; anything else is refused with a code.
 *
 * Selecting it is never an accident (PD-247, after PD-170's objection to
 * switches that turn security off): the protection value "none" is not one
 * of the deployable PROTECTIONS, and it is refused with
 * `association/plaintext-not-allowed` unless the configuration also sets
 * `insecurePlaintextForTestOnly: true`.
 *
 * @module
 */
import { fromUtf8, utf8 } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import {
  ANY,
  type ErrorOutput,
  errorOutput,
  inputType,
  type Machine,
  type Transition,
} from "../../core/machine.ts";
import { tryParseElement } from "../../core/xml.ts";
import type { AProfileInput } from "../a-profile/types.ts";
import type { XmlElement } from "../a-profile/xml.ts";
import { AssociationError } from "./errors.ts";
import type { ProtectionLayer, SessionOutput, SessionState } from "./protection.ts";
import { MMS_XER_NS } from "./xer_dom.ts";

/** The value of the protection switch that turns end-to-end protection off (test only). */
export const PLAINTEXT = "none";

export const PHASES = ["idle", "established", "released", "aborted"] as const;
export type PlaintextPhase = typeof PHASES[number];

export interface PlaintextState {
  readonly plaintext: true;
  readonly phase: PlaintextPhase;
}

export type PlaintextOutput =
  | { readonly type: "send"; readonly message: "pdu"; readonly element: XmlElement }
  | { readonly type: "established"; readonly association: "plaintext"; readonly mode: "none" }
  | { readonly type: "data"; readonly association: "plaintext"; readonly payload: Uint8Array }
  | { readonly type: "released" }
  | { readonly type: "aborted"; readonly by: "local" }
  | ErrorOutput;

// spec: PD-247
export const TRANSITIONS: readonly Transition[] = [
  { from: "idle", on: "start", to: "established", spec: ["PD-247"], note: "nothing to agree" },
  { from: "idle", on: "receive", to: "established", spec: ["PD-247"], note: "first PDU" },
  { from: "established", on: "release", to: "released", spec: ["PD-247"] },
  { from: "established", on: "abort", to: "aborted", spec: ["PD-247"] },
  ...PHASES.map((phase): Transition => ({
    from: phase,
    on: ANY,
    to: phase,
    spec: ["PD-247"],
    note: "sends, receives, refusals",
  })),
];

/**
 * Refuses the plaintext mode unless the loudly named test flag is set.
 * Every place that can turn end-to-end protection off calls this.
 */
// spec: PD-247 DL-CMP-PROT-2
export function assertPlaintextAllowed(insecurePlaintextForTestOnly: unknown, where: string): void {
  if (insecurePlaintextForTestOnly !== true) {
    throw new DerlinkError(
      AssociationError["plaintext-not-allowed"],
      `${where}: protection "none" needs insecurePlaintextForTestOnly: true (test only)`,
    );
  }
}

const isXer = (e: XmlElement) => e.attrs.xmlns === MMS_XER_NS;
const isElement = (e: unknown): e is XmlElement =>
  typeof e === "object" && e !== null && typeof (e as XmlElement).attrs === "object" &&
  (e as XmlElement).attrs !== null && typeof (e as XmlElement).toString === "function";

function step(
  state: PlaintextState,
  input: AProfileInput,
): { state: PlaintextState; out: PlaintextOutput[] } {
  const to = (phase: PlaintextPhase, out: PlaintextOutput[]) => ({
    state: { ...state, phase },
    out,
  });
  const refuse = (detail: string) => ({
    state,
    out: [errorOutput(AssociationError["unexpected-input"], detail)],
  });
  const bad = (detail: string) => ({
    state,
    out: [errorOutput(AssociationError["invalid-input"], detail)],
  });
  switch (inputType(input)) {
    case "start":
      return state.phase === "idle"
        ? to("established", [{ type: "established", association: "plaintext", mode: "none" }])
        : refuse(`start in ${state.phase}`);
    case "send": {
      if (!(input.type === "send" && input.payload instanceof Uint8Array)) return bad("payload");
      if (state.phase !== "established") return refuse(`send in ${state.phase}`);
      const parsed = tryParseElement(fromUtf8(input.payload));
      if (!parsed.ok) return { state, out: [errorOutput(parsed.error.code, "own PDU")] };
      return { state, out: [{ type: "send", message: "pdu", element: parsed.value }] };
    }
    case "receive": {
      if (!(input.type === "receive" && isElement(input.element))) return bad("element");
      if (!isXer(input.element)) {
        return { state, out: [errorOutput(AssociationError["xer-unknown-element"], "not XER")] };
      }
      if (state.phase !== "idle" && state.phase !== "established") {
        return refuse(`receive in ${state.phase}`);
      }
      const data: PlaintextOutput = {
        type: "data",
        association: "plaintext",
        payload: utf8(input.element.toString()),
      };
      return state.phase === "idle"
        ? to("established", [
          { type: "established", association: "plaintext", mode: "none" },
          data,
        ])
        : { state, out: [data] };
    }
    case "release":
      return state.phase === "established" ? to("released", [{ type: "released" }]) : {
        state,
        out: [],
      };
    case "abort":
      return state.phase === "established"
        ? to("aborted", [{ type: "aborted", by: "local" }])
        : { state, out: [] };
    default:
      return { state, out: [] }; // ticks, signatures, key updates: nothing to do
  }
}

/** The plaintext channel as a machine (one state shape for both roles). */
export const plaintext: Machine<void, PlaintextState, AProfileInput, PlaintextOutput> = {
  name: "association.plaintext-for-test",
  phases: PHASES,
  transitions: TRANSITIONS,
  init: () => ({ plaintext: true, phase: "idle" }),
  step,
};

/** The endpoint's layer for protection "none"; throws unless the test flag is set. */
// spec: PD-247 DL-CMP-PROT-2
export function plaintextLayer(insecurePlaintextForTestOnly: unknown): ProtectionLayer {
  assertPlaintextAllowed(insecurePlaintextForTestOnly, "association");
  return {
    protection: PLAINTEXT,
    init: () => plaintext.init() as unknown as SessionState,
    restart: () => plaintext.init() as unknown as SessionState,
    step: (s, input) => {
      const r = plaintext.step(s as unknown as PlaintextState, input);
      return { state: r.state as unknown as SessionState, out: r.out as SessionOutput[] };
    },
    opens: (e) => isXer(e) && e.name === "initiate-request",
  };
}
