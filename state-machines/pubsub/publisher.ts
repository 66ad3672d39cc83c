/**
 * The market publisher: the market operator's side of XEP-0060 (paper
 * §II.D: "an XMPP client can be configured to create a node onto the XMPP
 * server, in which it will publish information for subscribers").
 *
 * Theory of operation. `start` creates the node with its configuration in
 * one request (whitelist access, publishers-only publishing: PD-159). If
 * the node exists already (`conflict`, e.g. after a restart) the
 * configuration is submitted on its own. Then one affiliations request
 * makes every configured DER a member (the whitelist), and the node is
 * `ready`. In `ready`, `publish` turns a draft into a tariff with the next
 * sequence number and `now` as its issue time, signs it with the
 * operator's key (envelope.ts) and publishes it as an item whose id is the
 * tariff id; a sequence number is never reused, even if the service
 * refuses the item. `grant`/`revoke` change one DER's membership and
 * `retract` deletes an item. Responses are matched by id and must come
 * from the service; a refusal of the node's setup fails the machine.
 *
 * @module
 */
import {
  ANY,
  errorOutput,
  type Machine,
  type StepResult,
  totalStep,
  type Transition,
} from "../../core/machine.ts";
import { DerlinkError, type ErrorCode } from "../../core/errors.ts";
import { tryParseJid } from "../../core/jid.ts";
import { PersistentMap } from "../../core/persistent_map.ts";
import { bareJid } from "../group-keying/jid.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { signTariff, TARIFF_NS, tariffElement } from "./envelope.ts";
import { PubsubError } from "./errors.ts";
import {
  affiliationsIq,
  configureNodeIq,
  createNodeIq,
  errorOf,
  nodeConfig,
  publishIq,
  retractIq,
} from "./stanzas.ts";
import type { Tariff } from "./tariff.ts";
import {
  PUBLISHER_PHASES,
  type PublisherConfig,
  type PublisherEvent,
  type PublisherInput,
  type PublisherOutput,
  type PublisherPending,
  type PublisherPhase,
  type PublisherState,
} from "./types.ts";

type Step = StepResult<PublisherState, PublisherOutput>;

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

/** Declared edges: the literal table, then the code it cannot say. */
export const PUBLISHER_TRANSITIONS: readonly Transition[] = [
  t("idle", "start", "creating", ["XEP0060-8.1.3", "PAPER-MAP6"], "create and configure"),
  t("failed", "start", "creating", ["XEP0060-8.1.3"], "try again"),
  t("creating", "stanza", "whitelisting", ["XEP0060-8.9.2", "PD-159"], "created: whitelist"),
  t("creating", "stanza", "ready", ["XEP0060-8.1.3"], "created, nobody to whitelist"),
  t("creating", "stanza", "configuring", ["XEP0060-8.2"], "exists: configure it"),
  t("creating", "stanza", "failed", ["XEP0060-8.1.3"], "creation refused"),
  t("configuring", "stanza", "whitelisting", ["XEP0060-8.9.2"], "configured: whitelist"),
  t("configuring", "stanza", "ready", ["XEP0060-8.2"], "configured"),
  t("configuring", "stanza", "failed", ["XEP0060-8.2"], "configuration refused"),
  t("whitelisting", "stanza", "ready", ["XEP0060-8.9.2", "PD-159"], "whitelisted"),
  t("whitelisting", "stanza", "failed", ["XEP0060-8.9.2"], "whitelist refused"),
  t("ready", "publish", "ready", ["XEP0060-7.1", "PAPER-AS4"], "sign and publish"),
  t("ready", "grant", "ready", ["XEP0060-8.9.2"], "whitelist one more"),
  t("ready", "revoke", "ready", ["XEP0060-8.9.2"], "remove from the whitelist"),
  t("ready", "retract", "ready", ["XEP0060-7.2"], "delete an item"),
  t("ready", "stanza", "ready", ["XEP0060-7.1"], "a response"),
  ...PUBLISHER_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

function init(config: PublisherConfig): PublisherState {
  const bad = (d: string): never => {
    throw new DerlinkError(PubsubError["invalid-config"], d);
  };
  const jid = tryParseJid(config?.jid ?? "");
  if (!jid.ok || jid.value.local === undefined) bad("jid must be the operator's JID");
  if (!tryParseJid(config.service ?? "").ok) bad("service must be a JID");
  if (typeof config.node !== "string" || config.node.length === 0) bad("node");
  if (!Array.isArray(config.subscribers) || config.subscribers.some((s) => !tryParseJid(s).ok)) {
    bad("subscribers must be JIDs");
  }
  if (typeof config.sign !== "function" || !Array.isArray(config.chain) || !config.chain.length) {
    bad("sign and chain are required");
  }
  const first = config.firstSeq ?? 1;
  if (!Number.isSafeInteger(first) || first < 1) bad("firstSeq");
  return {
    phase: "idle",
    config,
    pending: PersistentMap.empty(),
    nextId: 1,
    nextSeq: first,
    whitelist: PersistentMap.empty(),
  };
}

const ev = (event: PublisherEvent): PublisherOutput => ({ type: "event", event });
const refuse = (state: PublisherState, code: ErrorCode, detail: string): Step => ({
  state,
  out: [errorOutput(code, detail)],
});

/** A fresh id, the request, and the state that remembers it. */
function request(
  s: PublisherState,
  pending: PublisherPending,
  build: (to: string, id: string) => Xel,
  phase: PublisherPhase = s.phase,
): Step {
  const id = `${s.config.idPrefix ?? "ps"}-${s.nextId}`;
  return {
    // spec: PD-271
    state: { ...s, phase, nextId: s.nextId + 1, pending: s.pending.set(id, pending) },
    out: [{ type: "send", stanza: build(s.config.service, id) }],
  };
}

const config = (_s: PublisherState) => nodeConfig(TARIFF_NS);
const members = (s: PublisherState) =>
  [...new Set(s.config.subscribers.map(bareJid))].filter((j) => j !== bareJid(s.config.jid));

function whitelistOrReady(s: PublisherState, out: PublisherOutput[]): Step {
  const jids = members(s);
  if (jids.length === 0) {
    return { state: { ...s, phase: "ready" }, out: [...out, ev({ type: "ready" })] };
  }
  // spec: XEP0060-8.9.2 PD-159
  const r = request(
    s,
    { kind: "whitelist" },
    (to, id) =>
      affiliationsIq(to, id, s.config.node, jids.map((jid) => ({ jid, affiliation: "member" }))),
    "whitelisting",
  );
  return { state: r.state, out: [...out, ...r.out] };
}

function onStart(s: PublisherState): Step {
  if (s.phase !== "idle" && s.phase !== "failed") {
    return refuse(s, PubsubError["unexpected-input"], `start in phase ${s.phase}`);
  }
  // spec: XEP0060-8.1.3 PD-159
  return request(
    { ...s, pending: PersistentMap.empty() },
    { kind: "create" },
    (to, id) => createNodeIq(to, id, s.config.node, config(s)),
    "creating",
  );
}

function onResponse(s0: PublisherState, iq: Xel): Step {
  const id = iq.attrs.id;
  const type = iq.attrs.type;
  if (iq.name !== "iq" || (type !== "result" && type !== "error")) return { state: s0, out: [] };
  const p = id === undefined ? undefined : s0.pending.get(id);
  if (id === undefined || p === undefined) return { state: s0, out: [] };
  // spec: PD-159
  if (bareJid(iq.attrs.from ?? "") !== bareJid(s0.config.service)) {
    return refuse(s0, PubsubError.spoofed, `response to ${id} not from the service`);
  }
  const s: PublisherState = { ...s0, pending: s0.pending.delete(id) };
  const failed = type === "error";
  const cond = failed ? errorOf(iq) : "";
  switch (p.kind) {
    case "create":
      if (!failed) return whitelistOrReady(s, [ev({ type: "created" })]);
      if (cond.startsWith("conflict")) {
        // The node survives from an earlier run: make its configuration ours.
        // spec: XEP0060-8.2
        return request(
          s,
          { kind: "configure" },
          (to, i) => configureNodeIq(to, i, s.config.node, config(s)),
          "configuring",
        );
      }
      return refuse({ ...s, phase: "failed" }, PubsubError["create-refused"], cond);
    case "configure":
      if (failed) return refuse({ ...s, phase: "failed" }, PubsubError["configure-refused"], cond);
      return whitelistOrReady(s, [ev({ type: "configured" })]);
    case "whitelist":
      if (failed) {
        return refuse({ ...s, phase: "failed" }, PubsubError["affiliation-refused"], cond);
      }
      {
        const jids = members(s);
        const whitelist = jids.reduce(
          (w, j) => w.set(j, true as const),
          PersistentMap.empty<true>(),
        );
        return {
          state: { ...s, phase: "ready", whitelist },
          out: [ev({ type: "whitelisted", jids }), ev({ type: "ready" })],
        };
      }
    case "grant":
    case "revoke": {
      if (failed) return refuse(s, PubsubError["affiliation-refused"], `${p.jid}: ${cond}`);
      // spec: PD-271
      const whitelist = p.kind === "grant"
        ? s.whitelist.set(p.jid, true)
        : s.whitelist.delete(p.jid);
      return {
        state: { ...s, whitelist },
        out: [
          ev(
            p.kind === "grant" ? { type: "granted", jid: p.jid } : { type: "revoked", jid: p.jid },
          ),
        ],
      };
    }
    case "publish":
      // spec: XEP0060-7.1.3.1
      if (failed) return refuse(s, PubsubError["publish-refused"], `${p.id}: ${cond}`);
      return { state: s, out: [ev({ type: "published", id: p.id, seq: p.seq })] };
    case "retract":
      if (failed) return refuse(s, PubsubError["retract-refused"], `${p.id}: ${cond}`);
      return { state: s, out: [ev({ type: "retracted", id: p.id })] };
  }
}

function onPublish(s: PublisherState, input: PublisherInput & { type: "publish" }): Step {
  if (s.phase !== "ready") return refuse(s, PubsubError["not-ready"], s.phase);
  const d = input.tariff;
  const seq = s.nextSeq;
  const tariff: Tariff = {
    market: bareJid(s.config.jid),
    node: s.config.node,
    id: d?.id ?? `t-${seq}`,
    seq,
    issuedAt: input.now,
    validFrom: d?.validFrom,
    slotSeconds: d?.slotSeconds,
    currency: d?.currency,
    prices: d?.prices,
  };
  // spec: PAPER-AS4 PD-157 PD-158
  const envelope = signTariff(tariff, s.config.sign, s.config.chain);
  // The number is spent even if the service refuses the item: never sign two tariffs with one.
  const next = { ...s, nextSeq: seq + 1 };
  return request(
    next,
    { kind: "publish", id: tariff.id, seq },
    (to, id) =>
      publishIq(to, id, s.config.node, tariff.id, tariffElement(envelope) as unknown as Xel),
  );
}

function onMembership(s: PublisherState, jid: string, grant: boolean): Step {
  if (s.phase !== "ready") return refuse(s, PubsubError["not-ready"], s.phase);
  if (!tryParseJid(jid ?? "").ok) return refuse(s, PubsubError["invalid-config"], "not a JID");
  const target = bareJid(jid);
  return request(
    s,
    { kind: grant ? "grant" : "revoke", jid: target },
    (to, id) =>
      affiliationsIq(to, id, s.config.node, [{
        jid: target,
        affiliation: grant ? "member" : "none",
      }]),
  );
}

function onRetract(s: PublisherState, itemId: string): Step {
  if (s.phase !== "ready") return refuse(s, PubsubError["not-ready"], s.phase);
  if (typeof itemId !== "string" || itemId.length === 0) {
    return refuse(s, PubsubError["unexpected-input"], "item id");
  }
  return request(
    s,
    { kind: "retract", id: itemId },
    (to, id) => retractIq(to, id, s.config.node, itemId),
  );
}

function step(s: PublisherState, input: PublisherInput): Step {
  switch (input?.type) {
    case "start":
      return onStart(s);
    case "stanza":
      if (!input.stanza || typeof input.stanza.name !== "string" || !input.stanza.attrs) {
        return refuse(s, PubsubError.malformed, "not a stanza");
      }
      return onResponse(s, input.stanza);
    case "publish":
      return onPublish(s, input);
    case "grant":
      return onMembership(s, input.jid, true);
    case "revoke":
      return onMembership(s, input.jid, false);
    case "retract":
      return onRetract(s, input.id);
    default:
      return refuse(s, PubsubError["unexpected-input"], "");
  }
}

/** The market publisher (XEP-0060 owner and publisher; PAPER-MAP6, PAPER-AS4). */
export const publisher: Machine<PublisherConfig, PublisherState, PublisherInput, PublisherOutput> =
  {
    name: "pubsub.publisher",
    phases: PUBLISHER_PHASES,
    transitions: PUBLISHER_TRANSITIONS,
    init,
    step: totalStep(step, (state, e) => ({ state, out: [e] })),
  };
