/**
 * What both stream machines do the same way: the state fields they share,
 * ending a stream (with or without a stream error), reading the peer's
 * `<stream:error>`, mapping XML reader failures to stream error conditions,
 * and checking a stream header's namespaces and version.
 *
 * @module
 */
import type { ErrorCode } from "../../core/errors.ts";
import { errorOutput, type StepResult } from "../../core/machine.ts";
import { isStreamCondition, type StreamCondition, XmppError } from "./errors.ts";
import { streamErrorCondition, type XmlErrorCode } from "../../core/xml_codes.ts";
import {
  bytesOf,
  declsOf,
  NS,
  parseStreamError,
  prefixOf,
  STREAM_CLOSE,
  type StreamDecls,
  streamErrorXml,
  type Xel,
} from "./messages.ts";
import type { StreamOutput, TlsEstablished } from "./types.ts";

/** Fields every stream machine state has. */
export interface CommonState {
  readonly phase: string;
  /** Latest time seen on any input (ms). */
  readonly now: number;
  /** Namespace declarations of the peer's current stream header. */
  readonly decls: StreamDecls;
  /** Whether our header for the current stream has been written (a receiver answers late). */
  readonly headerSent: boolean;
}

export type Step<S> = StepResult<S, StreamOutput>;

/** What a stream machine keeps of a `tls-established` input. */
export type TlsInfo = Omit<TlsEstablished, "type" | "now">;

/**
 * The TLS facts of a `tls-established` input: the peer's certificate, the
 * channel binding and (receiver) the XMPP addresses of the client
 * certificate, only strings kept.
 */
export const tlsInfoOf = (input: TlsEstablished): TlsInfo => ({
  peerCertificate: input.peerCertificate,
  peerIdentities: Array.isArray(input.peerIdentities)
    ? input.peerIdentities.filter((j) => typeof j === "string")
    : undefined,
  channelBinding: input.channelBinding,
});

/** Takes `now` from an input that carries one; time never goes backwards. */
export function withNow<S extends CommonState>(s: S, input: unknown): S {
  const now = (input as { now?: unknown } | null)?.now;
  return typeof now === "number" && Number.isFinite(now) && now > s.now ? { ...s, now } : s;
}

/** How a stream ends because of us. */
export interface Refusal {
  /** The code reported to the application. */
  readonly code: ErrorCode;
  /** The stream error condition sent to the peer; none for a plain close. */
  readonly condition?: StreamCondition;
  readonly detail: string;
  /** For see-other-host sent by a receiver. */
  readonly location?: string;
  /** An application-specific condition element (RFC 6120 §4.9.4). */
  readonly appCondition?: Xel;
}

/**
 * Ends the stream: our header first if the peer has not had one yet
 * (RFC 6120 §4.9.1.2), then the stream error, then the closing tag
 * (§4.9.1.1: a stream error is unrecoverable and is followed by the close).
 */
export function refuse<S extends CommonState>(
  s: S,
  r: Refusal,
  header: () => string,
  extra: readonly StreamOutput[] = [],
): Step<S> {
  // spec: RFC6120-4.9.1.2
  let text = s.headerSent ? "" : header();
  // spec: RFC6120-4.9.1.1 RFC6120-4.9.2
  if (r.condition) text += streamErrorXml(r.condition, undefined, r.location, r.appCondition);
  text += STREAM_CLOSE;
  const detail = r.condition ? `sent ${r.condition}: ${r.detail}` : r.detail;
  return {
    state: { ...s, phase: "failed", headerSent: true },
    out: [
      ...extra,
      { type: "send-bytes", data: bytesOf(text) },
      errorOutput(r.code, detail),
      { type: "closed", clean: false },
    ],
  };
}

/**
 * The peer sent `<stream:error>`: report `xmpp/<condition>` and close our
 * side (RFC 6120 §4.9.1.1). A see-other-host location is handed to the
 * adapter only over TLS (PD-73): unauthenticated redirects are reported but
 * not offered for reconnection.
 */
export function peerStreamError<S extends CommonState>(
  s: S,
  el: Xel,
  tls: boolean,
): Step<S> {
  const e = parseStreamError(el, s.decls);
  const out: StreamOutput[] = [];
  // spec: RFC6120-4.9.3.19 PD-73
  if (e.condition === "see-other-host" && e.location && tls) {
    out.push({ type: "see-other-host", location: e.location });
  }
  out.push({ type: "send-bytes", data: bytesOf(STREAM_CLOSE) });
  const what = e.unknown ? ` (unknown condition ${e.unknown.slice(0, 40)})` : "";
  out.push(errorOutput(XmppError[e.condition], `peer sent ${e.condition}${what}`));
  out.push({ type: "closed", clean: false });
  return { state: { ...s, phase: "failed" }, out };
}

/**
 * The stream condition for a reader failure, as the XML reader's own table
 * says (core/xml_codes.ts, PD-27); a code that is not the reader's reads as
 * not-well-formed (RFC 6120 §4.9.3.13).
 */
export function conditionForXmlError(code: string): StreamCondition {
  // spec: RFC6120-11.1 RFC6120-4.9.3.13
  const c = streamErrorCondition(code as XmlErrorCode);
  return isStreamCondition(c) ? c : "not-well-formed";
}

/** What a valid stream header says. */
export interface HeaderInfo {
  readonly decls: StreamDecls;
  readonly to?: string;
  readonly from?: string;
  readonly id?: string;
}

/**
 * Checks a stream header's qualified name, namespaces and version
 * (RFC 6120 §4.7.5, §4.8.1, §4.8.2, §4.8.5). Returns a refusal, or what the
 * header says.
 */
export function checkHeader(
  name: string,
  attrs: Readonly<Record<string, string>>,
): { ok: true; info: HeaderInfo } | { ok: false; refusal: Refusal } {
  const decls = declsOf(attrs);
  const prefix = prefixOf(name);
  const bad = (condition: StreamCondition, detail: string) => ({
    ok: false as const,
    refusal: { code: XmppError[condition], condition, detail },
  });
  // spec: RFC6120-4.8.5 RFC6120-4.9.3.2
  if (prefix && decls[prefix] === undefined) {
    return bad("bad-namespace-prefix", `stream prefix ${prefix.slice(0, 20)} is not declared`);
  }
  // spec: RFC6120-4.8.1 RFC6120-4.9.3.10
  if (name.slice(prefix ? prefix.length + 1 : 0) !== "stream" || decls[prefix] !== NS.stream) {
    return bad(
      "invalid-namespace",
      "the root element is not {http://etherx.jabber.org/streams}stream",
    );
  }
  // spec: RFC6120-4.8.2 RFC6120-4.9.3.10
  if (decls[""] !== NS.client) {
    return bad("invalid-namespace", "the default namespace is not jabber:client");
  }
  // spec: RFC6120-4.7.5 RFC6120-4.9.3.25
  const m = /^0*([0-9]{1,4})\.0*([0-9]{1,4})$/.exec(attrs.version ?? "");
  if (!m || Number(m[1]) !== 1) {
    return bad(
      "unsupported-version",
      `version ${JSON.stringify((attrs.version ?? "").slice(0, 12))}`,
    );
  }
  return { ok: true, info: { decls, to: attrs.to, from: attrs.from, id: attrs.id } };
}

/** The stanza kinds of RFC 6120 §8 (first-level elements in jabber:client). */
export const STANZA_KINDS = ["message", "presence", "iq"] as const;
export type StanzaKind = typeof STANZA_KINDS[number];

/** Phases after which a stream machine ignores every input. */
export const TERMINAL_PHASES: ReadonlySet<string> = new Set(["closed", "failed"]);

/**
 * The transport went away (either role): a stream already closing is simply
 * closed; a live one fails with `xmpp/transport-closed`; a finished one stays.
 */
export function onTransportClosed<S extends CommonState>(s: S): Step<S> {
  if (TERMINAL_PHASES.has(s.phase)) return { state: s, out: [] };
  if (s.phase === "closing") {
    return { state: { ...s, phase: "closed" }, out: [{ type: "closed", clean: false }] };
  }
  return {
    state: { ...s, phase: "failed" },
    out: [errorOutput(XmppError["transport-closed"], `in phase ${s.phase}`), {
      type: "closed",
      clean: false,
    }],
  };
}
