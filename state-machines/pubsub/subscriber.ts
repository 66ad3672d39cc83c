/**
 * The market subscriber: a DER's side of XEP-0060 (paper §II.D: "XMPP
 * Clients can discover the publish nodes and can request a subscription to
 * them"), with every tariff checked end to end (verify.ts).
 *
 * Theory of operation. `subscribe` asks the service to subscribe our JID
 * to the node; on the result we fetch the node's newest item (the tariff
 * in force, which the node does not push on subscription: PD-159) and are
 * `subscribed`. Event notifications from the service, and the items of
 * that fetch, carry `<tariff>` payloads; each is verified against the
 * policy, `now` and the highest sequence number accepted so far, and
 * becomes a `tariff` output or an error output with the refusal's code.
 * Nothing else counts: a notification from another address is
 * `pubsub/spoofed`, for another node `pubsub/unknown-node`, without a
 * subscription `pubsub/not-subscribed`. `tick` reports when the current
 * tariff's window ends. A refused subscription fails the machine.
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
import { bareJid } from "../group-keying/jid.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { envelopeFromElement } from "./envelope.ts";
import { PubsubError, TariffError } from "./errors.ts";
import {
  errorOf,
  itemsIq,
  readEvent,
  type ReadItem,
  readItemsResult,
  subscribeIq,
  subscriptionState,
  unsubscribeIq,
} from "./stanzas.ts";
import { validUntil } from "./tariff.ts";
import {
  SUBSCRIBER_PHASES,
  type SubscriberConfig,
  type SubscriberEvent,
  type SubscriberInput,
  type SubscriberOutput,
  type SubscriberState,
} from "./types.ts";
import { verifyTariff } from "./verify.ts";

type Step = StepResult<SubscriberState, SubscriberOutput>;

const t = (from: string, on: string, to: string, spec: string[], note: string): Transition => ({
  from,
  on,
  to,
  spec,
  note,
});

/** Declared edges: the literal table, then the code it cannot say. */
export const SUBSCRIBER_TRANSITIONS: readonly Transition[] = [
  t("idle", "subscribe", "subscribing", ["XEP0060-6.1", "PAPER-MAP6"], "ask"),
  t("failed", "subscribe", "subscribing", ["XEP0060-6.1"], "ask again"),
  t("subscribing", "stanza", "fetching", ["XEP0060-6.1", "XEP0060-6.5"], "subscribed: fetch"),
  t("subscribing", "stanza", "failed", ["XEP0060-6.1"], "subscription refused"),
  t("fetching", "stanza", "subscribed", ["XEP0060-6.5", "PD-158"], "the tariff in force"),
  t("subscribing", "stanza", "subscribing", ["XEP0060-7.1.2.1", "PD-158"], "a notification"),
  t("fetching", "stanza", "fetching", ["XEP0060-7.1.2.1", "PD-158"], "a notification"),
  t("subscribed", "stanza", "subscribed", ["XEP0060-7.1.2.1", "PD-158"], "a notification"),
  t("subscribed", "tick", "subscribed", ["PD-158"], "the tariff may expire"),
  t("subscribing", "unsubscribe", "idle", ["XEP0060-6.2"], "leave"),
  t("fetching", "unsubscribe", "idle", ["XEP0060-6.2"], "leave"),
  t("subscribed", "unsubscribe", "idle", ["XEP0060-6.2"], "leave"),
  ...SUBSCRIBER_PHASES.map((p) => t(p, ANY, p, ["DL-MACHINE-1"], "stay")),
];

function init(config: SubscriberConfig): SubscriberState {
  const bad = (d: string): never => {
    throw new DerlinkError(PubsubError["invalid-config"], d);
  };
  if (!tryParseJid(config?.jid ?? "").ok) bad("jid");
  if (!tryParseJid(config.service ?? "").ok) bad("service");
  const market = tryParseJid(config.market ?? "");
  if (!market.ok || market.value.local === undefined) bad("market must be the operator's JID");
  if (typeof config.node !== "string" || !config.node.length) bad("node");
  if (!Array.isArray(config.anchors) || typeof config.validateChain !== "function") {
    bad("anchors and validateChain are required");
  }
  const lastSeq = config.lastSeq ?? 0;
  if (!Number.isSafeInteger(lastSeq) || lastSeq < 0) bad("lastSeq");
  return { phase: "idle", config, pending: {}, nextId: 1, lastSeq };
}

const ev = (event: SubscriberEvent): SubscriberOutput => ({ type: "event", event });
const refuse = (state: SubscriberState, code: ErrorCode, detail: string): Step => ({
  state,
  out: [errorOutput(code, detail)],
});

function send(
  s: SubscriberState,
  kind: "subscribe" | "items" | "unsubscribe",
  build: (to: string, id: string) => Xel,
): Step {
  const id = `${s.config.idPrefix ?? "sub"}-${s.nextId}`;
  return {
    state: { ...s, nextId: s.nextId + 1, pending: { ...s.pending, [id]: kind } },
    out: [{ type: "send", stanza: build(s.config.service, id) }],
  };
}

/** Verifies items in document order; each accepted one raises lastSeq. */
// spec: PD-158 PAPER-AS4
function takeItems(s0: SubscriberState, items: readonly ReadItem[], now: number): Step {
  let s = s0;
  const out: SubscriberOutput[] = [];
  for (const item of items) {
    let envelope: Uint8Array;
    try {
      if (!item.payload) throw new DerlinkError(TariffError.malformed, "item without one payload");
      envelope = envelopeFromElement(item.payload);
    } catch (e) {
      out.push(errorOutput(e instanceof DerlinkError ? e.code : TariffError.malformed, "item"));
      continue;
    }
    const r = verifyTariff(envelope, s.config, { now, lastSeq: s.lastSeq, itemId: item.id });
    if (!r.ok) {
      out.push(errorOutput(r.error.code, r.error.detail));
      continue;
    }
    s = { ...s, lastSeq: r.value.seq, current: r.value };
    out.push({ type: "tariff", tariff: r.value });
  }
  return { state: s, out };
}

function onIq(s0: SubscriberState, iq: Xel, now: number): Step {
  const type = iq.attrs.type;
  const id = iq.attrs.id;
  if ((type !== "result" && type !== "error") || id === undefined) return { state: s0, out: [] };
  if (!Object.hasOwn(s0.pending, id)) return { state: s0, out: [] };
  if (bareJid(iq.attrs.from ?? "") !== bareJid(s0.config.service)) {
    return refuse(s0, PubsubError.spoofed, `response to ${id} not from the service`);
  }
  const kind = s0.pending[id];
  const { [id]: _done, ...rest } = s0.pending;
  const s: SubscriberState = { ...s0, pending: rest };
  if (kind === "unsubscribe") return { state: s, out: [] };
  if (kind === "subscribe") {
    const state = subscriptionState(iq);
    // spec: XEP0060-6.1 XEP0060-6.1.3.4
    if (type === "error" || (state !== undefined && state !== "subscribed")) {
      const why = type === "error" ? errorOf(iq) : `subscription ${state}`;
      return refuse({ ...s, phase: "failed" }, PubsubError["subscribe-refused"], why);
    }
    if (s.phase !== "subscribing") return { state: s, out: [] };
    // spec: XEP0060-6.5 PD-159
    const r = send(
      { ...s, phase: "fetching" },
      "items",
      (to, i) => itemsIq(to, i, s.config.node, 1),
    );
    return { state: r.state, out: r.out };
  }
  // The items of the fetch.
  const phase = s.phase === "fetching" ? "subscribed" : s.phase;
  const done: SubscriberOutput[] = s.phase === "fetching" ? [ev({ type: "subscribed" })] : [];
  if (type === "error") {
    return {
      state: { ...s, phase },
      out: [errorOutput(PubsubError["items-refused"], errorOf(iq)), ...done],
    };
  }
  const read = readItemsResult(iq);
  if (read?.node !== undefined && read.node !== s.config.node) {
    return {
      state: { ...s, phase },
      out: [errorOutput(PubsubError["unknown-node"], read.node), ...done],
    };
  }
  const taken = takeItems({ ...s, phase }, read?.items ?? [], now);
  return { state: taken.state, out: [...done, ...taken.out] };
}

function onMessage(s: SubscriberState, m: Xel, now: number): Step {
  const notice = readEvent(m);
  if (!notice) return { state: s, out: [] };
  // spec: PD-158 PAPER-TA5
  if (bareJid(m.attrs.from ?? "") !== bareJid(s.config.service)) {
    return refuse(s, PubsubError.spoofed, "notification not from the pubsub service");
  }
  if (m.attrs.type === "error") return { state: s, out: [] };
  if (notice.node !== s.config.node) {
    return refuse(s, PubsubError["unknown-node"], String(notice.node));
  }
  if (s.phase === "idle" || s.phase === "failed") {
    return refuse(s, PubsubError["not-subscribed"], s.phase);
  }
  const taken = takeItems(s, notice.items, now);
  const retracts = notice.retracted.map((id) => ev({ type: "retracted", id }));
  return { state: taken.state, out: [...taken.out, ...retracts] };
}

function onTick(s: SubscriberState, now: number): Step {
  const cur = s.current;
  if (!Number.isFinite(now)) return refuse(s, PubsubError["unexpected-input"], "tick without now");
  if (!cur || now < validUntil(cur)) return { state: s, out: [] };
  // spec: PD-158
  return { state: { ...s, current: undefined }, out: [ev({ type: "tariff-expired", id: cur.id })] };
}

function step(s: SubscriberState, input: SubscriberInput): Step {
  switch (input?.type) {
    case "subscribe":
      if (s.phase !== "idle" && s.phase !== "failed") {
        return refuse(s, PubsubError["unexpected-input"], `subscribe in phase ${s.phase}`);
      }
      // spec: XEP0060-6.1
      return send(
        { ...s, phase: "subscribing", pending: {} },
        "subscribe",
        (to, id) => subscribeIq(to, id, s.config.node, s.config.jid),
      );
    case "unsubscribe": {
      if (s.phase === "idle" || s.phase === "failed") {
        return refuse(s, PubsubError["not-ready"], s.phase);
      }
      const r = send(
        { ...s, pending: {} },
        "unsubscribe",
        (to, id) => unsubscribeIq(to, id, s.config.node, s.config.jid),
      );
      return {
        state: { ...r.state, phase: "idle" },
        out: [...r.out, ev({ type: "unsubscribed" })],
      };
    }
    case "stanza": {
      const el = input.stanza;
      if (!el || typeof el.name !== "string" || !el.attrs || !Number.isFinite(input.now)) {
        return refuse(s, PubsubError.malformed, "a stanza and now are required");
      }
      if (el.name === "iq") return onIq(s, el, input.now);
      if (el.name === "message") return onMessage(s, el, input.now);
      return { state: s, out: [] };
    }
    case "tick":
      return onTick(s, input.now);
    default:
      return refuse(s, PubsubError["unexpected-input"], "");
  }
}

/** The market subscriber (XEP-0060 subscriber; PAPER-MAP6, PAPER-AS4). */
export const subscriber: Machine<
  SubscriberConfig,
  SubscriberState,
  SubscriberInput,
  SubscriberOutput
> = {
  name: "pubsub.subscriber",
  phases: SUBSCRIBER_PHASES,
  transitions: SUBSCRIBER_TRANSITIONS,
  init,
  step: totalStep(step, (state, e) => ({ state, out: [e] })),
};
