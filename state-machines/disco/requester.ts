/**
 * The disco requester: the asking side of XEP-0030 as a pure machine.
 *
 * Theory of operation. A `query` input sends a disco#info or disco#items
 * iq with a fresh id, remembers what was asked of whom, and arms a timer
 * for its deadline. A `stanza` input that is an iq result or error is
 * matched by id: an id we never sent (or already settled) is refused as
 * `disco/unknown-id`; a response from another address than the one asked
 * is refused as `disco/spoofed` and the request stays open (the real
 * answer may still come). A matching error ends the request
 * (`disco/remote-error`); a matching result is read strictly (stanzas.ts):
 * a payload of the other disco namespace or of none is
 * `disco/unknown-namespace`, a missing identity/var/jid or a repeat is
 * `disco/malformed`, too much is `disco/oversize`; otherwise it becomes an
 * `info` or `items` output. A `tick` times out every request past its
 * deadline (`disco/timeout`). The phase says whether anything is in flight.
 *
 * @module
 */
import {
  ANY,
  type Machine,
  type StepResult,
  totalStep,
  type Transition,
} from "../../core/machine.ts";
import { errorOutput } from "../../core/machine.ts";
import type { ErrorCode } from "../../core/errors.ts";
import { DiscoError } from "./errors.ts";
import {
  canonicalJid,
  DEFAULT_DISCO_LIMITS,
  discoPayload,
  discoQuery,
  elements,
  errorCondition,
  readInfo,
  readItems,
} from "./stanzas.ts";
import {
  type PendingQuery,
  REQUESTER_PHASES,
  type RequesterConfig,
  type RequesterInput,
  type RequesterOutput,
  type RequesterPhase,
  type RequesterState,
} from "./types.ts";

type Step = StepResult<RequesterState, RequesterOutput>;

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

/** Declared edges: the literal table, then the code it cannot say. */
export const REQUESTER_TRANSITIONS: readonly Transition[] = [
  t("idle", "query", "waiting", ["XEP0030-3.1", "XEP0030-4.1"], "ask"),
  t("waiting", "query", "waiting", ["XEP0030-3.1", "XEP0030-4.1"], "ask another"),
  t("waiting", "stanza", "idle", ["XEP0030-3.1", "XEP0030-4.1"], "last answer settled"),
  t("waiting", "stanza", "waiting", ["XEP0030-3.1", "PD-156"], "answer or refusal"),
  t("waiting", "tick", "idle", ["PD-156"], "last request timed out"),
  t("waiting", "tick", "waiting", ["PD-156"], "time passes"),
  // Refused or ignored inputs leave the phase as it is.
  ...REQUESTER_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

const KINDS = ["info", "items"] as const;

function init(config: RequesterConfig): RequesterState {
  return { phase: "idle", config: config ?? {}, pending: {}, nextId: 1 };
}

/** The state with `pending`, in the phase it implies. */
function withPending(s: RequesterState, pending: Record<string, PendingQuery>): RequesterState {
  const phase: RequesterPhase = Object.keys(pending).length ? "waiting" : "idle";
  return { ...s, pending, phase };
}

const refuse = (state: RequesterState, code: ErrorCode, detail: string): Step => ({
  state,
  out: [errorOutput(code, detail)],
});

function onQuery(s: RequesterState, q: RequesterInput & { type: "query" }): Step {
  const to = canonicalJid(q.to);
  if (!KINDS.includes(q.kind) || to === undefined || !Number.isFinite(q.now)) {
    return refuse(s, DiscoError["invalid-request"], "kind, to or now");
  }
  if (q.node !== undefined && (typeof q.node !== "string" || q.node.length === 0)) {
    return refuse(s, DiscoError["invalid-request"], "node must be a non-empty string");
  }
  if (Object.keys(s.pending).length >= (s.config.maxPending ?? 64)) {
    return refuse(s, DiscoError["too-many-pending"], "");
  }
  const id = `${s.config.idPrefix ?? "disco"}-${s.nextId}`;
  const deadline = q.now + (s.config.timeoutMs ?? 10_000);
  const p: PendingQuery = { kind: q.kind, to, deadline, ...(q.node ? { node: q.node } : {}) };
  return {
    state: withPending({ ...s, nextId: s.nextId + 1 }, { ...s.pending, [id]: p }),
    out: [
      { type: "send", stanza: discoQuery(q.kind, to, id, q.node) },
      { type: "set-timer", name: id, at: deadline },
    ],
  };
}

/** Ends request `id` with failure `code`. */
function failRequest(s: RequesterState, id: string, code: ErrorCode, detail: string): Step {
  const p = s.pending[id];
  const { [id]: _gone, ...rest } = s.pending;
  return {
    state: withPending(s, rest),
    out: [
      errorOutput(code, detail),
      { type: "clear-timer", name: id },
      {
        type: "failed",
        id,
        to: p.to,
        kind: p.kind,
        ...(p.node !== undefined ? { node: p.node } : {}),
        code,
      },
    ],
  };
}

function onStanza(s: RequesterState, iq: RequesterInput & { type: "stanza" }): Step {
  const el = iq.stanza;
  if (!el || el.name !== "iq" || !el.attrs) return { state: s, out: [] };
  const type = el.attrs.type;
  if (type !== "result" && type !== "error") return { state: s, out: [] };
  const id = el.attrs.id;
  // spec: PD-156
  if (id === undefined || !Object.hasOwn(s.pending, id)) {
    return refuse(s, DiscoError["unknown-id"], `id ${String(id).slice(0, 64)}`);
  }
  const p = s.pending[id];
  // A response from an address we did not ask changes nothing (RFC 6120 §8.1.2.1).
  // spec: PD-156 RFC6120-8.1.2.1
  if (canonicalJid(el.attrs.from) !== p.to) {
    return refuse(s, DiscoError.spoofed, `response to ${id} not from ${p.to}`);
  }
  if (type === "error") return failRequest(s, id, DiscoError["remote-error"], errorCondition(el));
  const payload = discoPayload(el);
  if (!payload || payload.kind !== p.kind) {
    const q = elements(el).find((c) => c.name === "query");
    return failRequest(
      s,
      id,
      DiscoError["unknown-namespace"],
      q ? `query in ${q.attrs.xmlns ?? "no namespace"}` : "no query",
    );
  }
  // spec: XEP0030-3.2 XEP0030-4.2
  if ((payload.query.attrs.node ?? undefined) !== p.node) {
    return failRequest(s, id, DiscoError.malformed, "answer for another node");
  }
  const limits = { ...DEFAULT_DISCO_LIMITS, ...s.config.limits };
  const { [id]: _done, ...rest } = s.pending;
  const settled = withPending(s, rest);
  const node = p.node !== undefined ? { node: p.node } : {};
  if (p.kind === "info") {
    const info = readInfo(payload.query, limits);
    if (!info.ok) return failRequest(s, id, info.error.code, info.error.detail);
    return {
      state: settled,
      out: [
        { type: "clear-timer", name: id },
        { type: "info", id, from: p.to, ...node, info: info.value },
      ],
    };
  }
  const items = readItems(payload.query, limits);
  if (!items.ok) return failRequest(s, id, items.error.code, items.error.detail);
  return {
    state: settled,
    out: [
      { type: "clear-timer", name: id },
      { type: "items", id, from: p.to, ...node, items: items.value },
    ],
  };
}

// spec: PD-156
function onTick(s: RequesterState, now: number): Step {
  if (!Number.isFinite(now)) return refuse(s, DiscoError["unexpected-input"], "tick without now");
  let state = s;
  const out: RequesterOutput[] = [];
  for (const [id, p] of Object.entries(s.pending)) {
    if (p.deadline > now) continue;
    const r = failRequest(state, id, DiscoError.timeout, `${p.kind} from ${p.to}`);
    state = r.state;
    out.push(...r.out.filter((o) => o.type !== "clear-timer"));
  }
  return { state, out };
}

function step(s: RequesterState, input: RequesterInput): Step {
  switch (input?.type) {
    case "query":
      return onQuery(s, input);
    case "stanza":
      return onStanza(s, input);
    case "tick":
      return onTick(s, input.now);
    default:
      return refuse(s, DiscoError["unexpected-input"], "");
  }
}

/** The disco requester (XEP-0030 asking side). */
export const discoRequester: Machine<
  RequesterConfig,
  RequesterState,
  RequesterInput,
  RequesterOutput
> = {
  name: "disco.requester",
  phases: REQUESTER_PHASES,
  transitions: REQUESTER_TRANSITIONS,
  init,
  step: totalStep(step, (state, e) => ({ state, out: [e] })),
};
