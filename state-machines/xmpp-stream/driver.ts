/**
 * The thin byte codec between a transport and a stream machine: it owns the
 * XML reader, turns the peer's bytes into `xml` inputs, and resets the
 * reader when the machine says the peer's next bytes start a new stream
 * (`new-stream`, after STARTTLS and after SASL success). An adapter feeds it
 * bytes and control inputs and carries out the outputs; it decides nothing.
 *
 * With `checked`, every step is verified against the machine's declared
 * phases and transitions (a `core/internal` error on a mismatch), and the
 * edges covered are collected for conformance reports.
 *
 * @module
 */
import { CoreError, DerlinkError } from "../../core/errors.ts";
import {
  edgeKey,
  inputType,
  type Machine,
  matchTransition,
  type Phased,
  type Transition,
} from "../../core/machine.ts";
import { type XmlLimits, XmlStreamReader } from "../../core/xml.ts";
import type { StreamInput, StreamOutput } from "./types.ts";

export interface DriverOptions {
  readonly limits?: Partial<XmlLimits>;
  /** Verify each step against the transition table and record covered edges. */
  readonly checked?: boolean;
}

export class StreamDriver<C, S extends Phased> {
  readonly machine: Machine<C, S, StreamInput, StreamOutput>;
  #state: S;
  #reader: XmlStreamReader;
  #checked: boolean;
  #phases: Set<string>;
  /** Edges taken so far (`from --on--> to`), when checked. */
  readonly edges = new Set<string>();

  constructor(
    machine: Machine<C, S, StreamInput, StreamOutput>,
    config: C,
    options: DriverOptions = {},
  ) {
    this.machine = machine;
    this.#state = machine.init(config);
    this.#reader = new XmlStreamReader(options.limits);
    this.#checked = options.checked ?? false;
    this.#phases = new Set(machine.phases);
  }

  get state(): S {
    return this.#state;
  }

  /** Bytes from the peer, split anywhere. */
  receive(bytes: Uint8Array, now?: number): StreamOutput[] {
    const out: StreamOutput[] = [];
    for (const event of this.#reader.feed(bytes)) {
      out.push(
        ...this.input(now === undefined ? { type: "xml", event } : { type: "xml", event, now }),
      );
    }
    return out;
  }

  /** Any other input (start, tls-established, send, tick, close, transport-closed). */
  input(input: StreamInput): StreamOutput[] {
    const from = this.#state.phase;
    const { state, out } = this.machine.step(this.#state, input);
    if (this.#checked) this.#check(from, input, state.phase);
    this.#state = state;
    // spec: RFC6120-4.3.3
    if (out.some((o) => o.type === "new-stream")) this.#reader.reset();
    return [...out];
  }

  #check(from: string, input: StreamInput, to: string): void {
    if (!this.#phases.has(to)) {
      throw new DerlinkError(CoreError.internal, `${this.machine.name}: undeclared phase ${to}`);
    }
    const on = inputType(input);
    const key = edgeOf(this.machine.transitions, from, on, to);
    if (key === null) {
      throw new DerlinkError(
        CoreError.internal,
        `${this.machine.name}: ${from} --${on}--> ${to} undeclared`,
      );
    }
    this.edges.add(key);
  }
}

// The edge key matching (from, on, to), per transition table: a router checks
// every step of every link, and the table is data that never changes, so each
// triple is matched against it once (null: undeclared).
const edgeMemo = new WeakMap<
  readonly Transition[],
  Map<string, Map<string, Map<string, string | null>>>
>();

function edgeOf(
  transitions: readonly Transition[],
  from: string,
  on: string,
  to: string,
): string | null {
  let byFrom = edgeMemo.get(transitions);
  if (byFrom === undefined) edgeMemo.set(transitions, byFrom = new Map());
  let byOn = byFrom.get(from);
  if (byOn === undefined) byFrom.set(from, byOn = new Map());
  let byTo = byOn.get(on);
  if (byTo === undefined) byOn.set(on, byTo = new Map());
  let key = byTo.get(to);
  if (key === undefined) {
    const edge = matchTransition(transitions, from, on, to);
    key = edge ? edgeKey(edge) : null;
    byTo.set(to, key);
  }
  return key;
}
