/**
 * Market vector formats and runners, shared by the generators, the unit
 * tests and the conformance checkers: tariff verification cases (a
 * `<tariff>` element checked against a policy given in hex) and publisher /
 * subscriber transcripts (configs with key material in hex, stanzas as XML
 * text, the last input's outputs summarised).
 *
 * @module
 */
import { fromHex, toHex } from "../../core/bytes.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import { runChecked } from "../../core/machine.ts";
import { validateChain } from "../../core/pki/mod.ts";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../xmpp-stream/messages.ts";
import { envelopeFromElement } from "./envelope.ts";
import { publisher } from "./publisher.ts";
import { subscriber } from "./subscriber.ts";
import type {
  PublisherConfig,
  PublisherInput,
  PublisherOutput,
  SubscriberConfig,
  SubscriberInput,
  SubscriberOutput,
  TariffDraft,
} from "./types.ts";
import { type TariffPolicy, verifyTariff } from "./verify.ts";
import { DerlinkError } from "../../core/errors.ts";

/** A tariff policy as JSON: certificates and CRLs in hex. */
export interface PolicyJson {
  readonly market: string;
  readonly node: string;
  readonly anchors: readonly string[];
  readonly crls?: readonly string[];
  readonly allowedSuites?: readonly SuiteId[];
  readonly requiredRole?: string;
  readonly maxSkewMs?: number;
}

export function policyFromJson(p: PolicyJson): TariffPolicy {
  return {
    market: p.market,
    node: p.node,
    anchors: p.anchors.map(fromHex),
    ...(p.crls ? { crls: p.crls.map(fromHex) } : {}),
    ...(p.allowedSuites ? { allowedSuites: p.allowedSuites } : {}),
    ...(p.requiredRole !== undefined ? { requiredRole: p.requiredRole } : {}),
    ...(p.maxSkewMs !== undefined ? { maxSkewMs: p.maxSkewMs } : {}),
    validateChain,
  };
}

export const policyToJson = (p: TariffPolicy): PolicyJson => ({
  market: p.market,
  node: p.node,
  anchors: p.anchors.map(toHex),
  ...(p.crls ? { crls: p.crls.map(toHex) } : {}),
  ...(p.allowedSuites ? { allowedSuites: p.allowedSuites } : {}),
  ...(p.requiredRole !== undefined ? { requiredRole: p.requiredRole } : {}),
  ...(p.maxSkewMs !== undefined ? { maxSkewMs: p.maxSkewMs } : {}),
});

/** One tariff verification: the accepted tariff, or the refusal's code. */
export function runTariffCase(
  policy: PolicyJson,
  c: { xml: string; itemId?: string; now: number; lastSeq: number },
): { tariff: unknown } | { error: string } {
  let envelope: Uint8Array;
  try {
    envelope = envelopeFromElement(parseElement(c.xml, { maxStanzaBytes: 1 << 20 }) as never);
  } catch (e) {
    return { error: e instanceof DerlinkError ? e.code : String(e) };
  }
  const r = verifyTariff(envelope, policyFromJson(policy), {
    now: c.now,
    lastSeq: c.lastSeq,
    ...(c.itemId !== undefined ? { itemId: c.itemId } : {}),
  });
  return r.ok ? { tariff: JSON.parse(JSON.stringify(r.value)) } : { error: r.error.code };
}

/** Publisher config as JSON: the signing key and chain in hex (test keys only). */
export interface PublisherJson extends Omit<PublisherConfig, "sign" | "chain"> {
  readonly suite: SuiteId;
  readonly privateKey: string;
  readonly chain: readonly string[];
}

export function publisherFromJson(c: PublisherJson): PublisherConfig {
  const { suite, privateKey, chain, ...rest } = c;
  const key = fromHex(privateKey);
  return { ...rest, chain: chain.map(fromHex), sign: (m) => getSuite(suite).sig.sign(key, m) };
}

export interface SubscriberJson extends PolicyJson {
  readonly jid: string;
  readonly service: string;
  readonly lastSeq?: number;
  readonly idPrefix?: string;
}

export function subscriberFromJson(c: SubscriberJson): SubscriberConfig {
  return {
    ...policyFromJson(c),
    jid: c.jid,
    service: c.service,
    ...(c.lastSeq !== undefined ? { lastSeq: c.lastSeq } : {}),
    ...(c.idPrefix !== undefined ? { idPrefix: c.idPrefix } : {}),
  };
}

export type PublisherVectorInput =
  | { readonly type: "start" }
  | { readonly type: "stanza"; readonly xml: string }
  | { readonly type: "publish"; readonly tariff: TariffDraft; readonly now: number }
  | { readonly type: "grant" | "revoke"; readonly jid: string }
  | { readonly type: "retract"; readonly id: string };

export type SubscriberVectorInput =
  | { readonly type: "subscribe" | "unsubscribe" }
  | { readonly type: "stanza"; readonly xml: string; readonly now: number }
  | { readonly type: "tick"; readonly now: number };

const el = (xml: string) => parseElement(xml, { maxStanzaBytes: 1 << 20 }) as unknown as Xel;

export const toPublisherInput = (v: PublisherVectorInput): PublisherInput =>
  v.type === "stanza" ? { type: "stanza", stanza: el(v.xml) } : v as PublisherInput;

export const toSubscriberInput = (v: SubscriberVectorInput): SubscriberInput =>
  v.type === "stanza" ? { type: "stanza", stanza: el(v.xml), now: v.now } : v as SubscriberInput;

export function summarize(o: PublisherOutput | SubscriberOutput): Record<string, unknown> {
  switch (o.type) {
    case "send":
      return { send: o.stanza.toString() };
    case "event":
      return { event: o.event.type, ...o.event, type: undefined };
    case "tariff":
      return { tariff: o.tariff.id, seq: o.tariff.seq };
    case "error":
      return { error: o.code };
  }
}

function finish<S extends { phase: string }, I, O>(
  r: { state: S; trace: { from: string; to: string; edge: { on: string }; out: readonly O[] }[] },
) {
  const last = r.trace.length
    ? r.trace[r.trace.length - 1].out.map((o) => summarize(o as never))
    : [];
  return {
    phase: r.state.phase,
    // JSON round trip: what a vector file holds.
    last: JSON.parse(JSON.stringify(last)) as Record<string, unknown>[],
    edges: r.trace.map((x) => `${x.from} --${x.edge.on}--> ${x.to}`),
  };
}

export function runPublisher(config: PublisherJson, inputs: readonly PublisherVectorInput[]) {
  const c = publisherFromJson(config);
  return finish(runChecked(publisher, publisher.init(c), inputs.map(toPublisherInput)));
}

export function runSubscriber(config: SubscriberJson, inputs: readonly SubscriberVectorInput[]) {
  const c = subscriberFromJson(config);
  return finish(runChecked(subscriber, subscriber.init(c), inputs.map(toSubscriberInput)));
}
