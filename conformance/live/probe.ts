/**
 * Stream-level probes of a live server, below what a client session shows:
 * the features offered before TLS, the SASL mechanisms offered after it,
 * and how the server answers an authentication attempt made in clear. Built
 * from the project's own parts only — the node transport, the stream header
 * and SASL element builders, the restricted XML reader and the features and
 * stream-error parsers — so this file only orders them. Nothing secret is
 * ever sent: the clear-text attempt is a SCRAM client-first message for a
 * made-up user, which carries a user name and a nonce, no password.
 *
 * @module
 */
import { toBase64 } from "../../core/bytes.ts";
import type { EntropySource } from "../../core/entropy.ts";
import { DerlinkError } from "../../core/errors.ts";
import { type XmlEvent, XmlStreamReader } from "../../core/xml.ts";
import { nodeConnector } from "../../adapters/node_transport.ts";
import { checkPeerChain, parseAnchors } from "../../adapters/tls_trust.ts";
import type { Endpoint, TlsInfo, Transport } from "../../adapters/transport.ts";
import {
  bytesOf,
  declsOf,
  type Features,
  isEl,
  localOf,
  NS,
  parseFeatures,
  parseStreamError,
  saslXml,
  STREAM_CLOSE,
  type StreamDecls,
  streamHeader,
  type Xel,
} from "../../state-machines/xmpp-stream/messages.ts";
import { scramClientStart, scramNonce } from "../../state-machines/xmpp-stream/sasl/mod.ts";
import { LiveError } from "./types.ts";

/** One raw stream to the server, read with the restricted XML reader. */
export class StreamProbe {
  #transport!: Transport;
  #reader = new XmlStreamReader();
  #events: XmlEvent[] = [];
  #wake?: () => void;
  #closed = false;
  decls: StreamDecls = {};

  private constructor() {}

  /** Opens plain TCP to `endpoint` (STARTTLS comes later, on request). */
  static async open(
    endpoint: Endpoint,
    anchors: readonly string[],
    serverName: string,
  ): Promise<StreamProbe> {
    const probe = new StreamProbe();
    probe.#transport = await nodeConnector(
      { ...endpoint, directTls: false },
      { anchors, serverName },
      {
        onData: (b) => probe.#push(probe.#reader.feed(b)),
        onClose: () => {
          probe.#closed = true;
          probe.#wake?.();
        },
      },
    );
    return probe;
  }

  #push(events: XmlEvent[]): void {
    this.#events.push(...events);
    this.#wake?.();
  }

  /** Sends our stream header to `domain`. */
  async header(domain: string): Promise<void> {
    await this.#transport.write(bytesOf(streamHeader({ to: domain })));
  }

  async send(xml: string): Promise<void> {
    await this.#transport.write(bytesOf(xml));
  }

  /** The next event, or "closed" when the connection ended first; throws on timeout. */
  async next(timeoutMs: number): Promise<XmlEvent | "closed"> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const e = this.#events.shift();
      if (e) {
        if (e.type === "stream-open") this.decls = declsOf(e.attrs);
        return e;
      }
      if (this.#closed) return "closed";
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new DerlinkError(LiveError.timeout, `no answer from the server in ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next first-level element, skipping the stream header; "closed" or a stream-close otherwise. */
  async element(timeoutMs: number): Promise<Xel | "closed" | "stream-close"> {
    for (;;) {
      const e = await this.next(timeoutMs);
      if (e === "closed") return e;
      if (e.type === "stream-open") continue;
      if (e.type === "stream-close") return "stream-close";
      if (e.type === "error") throw e.error;
      return e.element as unknown as Xel;
    }
  }

  /** STARTTLS on the socket; checks the server chain against the anchors. */
  async startTls(anchors: readonly string[]): Promise<TlsInfo> {
    this.#transport.holdReads();
    const info = await this.#transport.startTls();
    this.#reader.reset();
    const pinned = checkPeerChain(info.peerChain, parseAnchors(anchors), new Date());
    if (!pinned.ok) throw pinned.error;
    return info;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#transport.write(bytesOf(STREAM_CLOSE)).catch(() => {});
    this.#transport.end();
  }
}

/** What the server offered before and after TLS. */
export interface FeatureProbe {
  readonly beforeTls: Features;
  readonly afterTls?: Features;
  readonly tlsProtocol?: string;
  /** Why TLS could not be reached, when it could not. */
  readonly tlsProblem?: string;
}

async function features(p: StreamProbe, timeoutMs: number): Promise<Features> {
  const el = await p.element(timeoutMs);
  if (typeof el === "string" || !isEl(el, NS.stream, "features", p.decls)) {
    throw new DerlinkError(
      LiveError.unexpected,
      `expected stream features, got ${typeof el === "string" ? el : `<${el.name}>`}`,
    );
  }
  return parseFeatures(el, p.decls);
}

/** Reads the features in clear, then STARTTLS (when offered) and the features after it. */
export async function probeFeatures(
  endpoint: Endpoint,
  domain: string,
  anchors: readonly string[],
  timeoutMs: number,
): Promise<FeatureProbe> {
  const p = await StreamProbe.open(endpoint, anchors, domain);
  try {
    await p.header(domain);
    const beforeTls = await features(p, timeoutMs);
    if (!beforeTls.starttls) return { beforeTls, tlsProblem: "STARTTLS not offered" };
    await p.send(`<starttls xmlns='${NS.tls}'/>`);
    const proceed = await p.element(timeoutMs);
    if (typeof proceed === "string" || localOf(proceed.name) !== "proceed") {
      return { beforeTls, tlsProblem: "the server did not answer <starttls/> with <proceed/>" };
    }
    const tls = await p.startTls(anchors);
    await p.header(domain);
    return { beforeTls, afterTls: await features(p, timeoutMs), tlsProtocol: tls.protocol };
  } finally {
    await p.close();
  }
}

/** How the server answered authentication in clear. */
export interface ClearAuthProbe {
  /** "failure" (a SASL failure), "stream-error", "closed", or "challenge"/"success" (accepted). */
  readonly outcome: "failure" | "stream-error" | "closed" | "challenge" | "success" | "other";
  /** The SASL failure or stream error condition, when there is one. */
  readonly condition?: string;
}

/**
 * Sends `<auth mechanism='SCRAM-SHA-256'>` right after the features, in
 * clear, for a made-up user, and reports the answer.
 */
export async function probeClearAuth(
  endpoint: Endpoint,
  domain: string,
  anchors: readonly string[],
  entropy: EntropySource,
  timeoutMs: number,
): Promise<ClearAuthProbe> {
  const p = await StreamProbe.open(endpoint, anchors, domain);
  try {
    await p.header(domain);
    await features(p, timeoutMs);
    const first = scramClientStart({
      mechanism: "SCRAM-SHA-256",
      username: "derlink-live-probe",
      password: "none",
      clientNonce: scramNonce(entropy.bytes(18)),
    });
    if (!first.ok) throw first.error;
    await p.send(saslXml("auth", toBase64(first.value.message), { mechanism: "SCRAM-SHA-256" }));
    const answer = await p.element(timeoutMs);
    if (answer === "closed" || answer === "stream-close") return { outcome: "closed" };
    if (isEl(answer, NS.stream, "error", p.decls)) {
      return { outcome: "stream-error", condition: parseStreamError(answer, p.decls).condition };
    }
    const local = localOf(answer.name);
    if (local === "failure") {
      const cond = answer.children.find((c): c is Xel =>
        typeof c === "object" && c.name !== "text"
      );
      return { outcome: "failure", condition: cond ? localOf(cond.name) : undefined };
    }
    if (local === "challenge" || local === "success") return { outcome: local };
    return { outcome: "other", condition: `<${answer.name}>` };
  } finally {
    await p.close();
  }
}
