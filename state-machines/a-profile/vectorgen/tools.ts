/**
 * Building blocks of the A-profile vector generator: JSON configurations on
 * the fixture PKI, honest peers that produce the messages a vector feeds to
 * the machine under test, and mutations of those messages (field flips in
 * the XML, tokens changed and re-signed with a real key).
 *
 * @module
 */
import { fromBase64, toBase64, toHex } from "../../../core/bytes.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { parseElement } from "../../../core/xml.ts";
import { driveStep, localSigner } from "../driver.ts";
import {
  type Credential,
  initiatorConfig,
  JIDS,
  responderConfig,
  type TestPki,
} from "../fixtures.ts";
import { initiator, type InitiatorState } from "../initiator.ts";
import { decodeMessage, encodeRequest, encodeResponse } from "../messages.ts";
import type { JsonConfig } from "../replay.ts";
import { responder, type ResponderState } from "../responder.ts";
import { requestTbs, type RequestToken, responseTbs, type ResponseToken } from "../tokens.ts";
import type { AProfileInput, AProfileOutput, AProfilePolicy, LocalSigner } from "../types.ts";
import type { XmlElement } from "../xml.ts";

/** The JSON configuration of a machine under test on the fixture PKI. */
export function jsonConfig(
  pki: TestPki,
  role: "initiator" | "responder",
  seed: string,
  policy: Partial<AProfilePolicy> = {},
): JsonConfig {
  const who = role === "initiator" ? pki.vpp : pki.der;
  return {
    localJid: role === "initiator" ? JIDS.vpp : JIDS.der,
    ...(role === "initiator" ? { peerJid: JIDS.der } : {}),
    chain: who.chain.map(toBase64),
    signatureSuite: who.signer.suite,
    signingKey: toHex(who.signer.privateKey),
    anchors: pki.anchors.map(toBase64),
    crls: pki.crls.map(toBase64),
    seed,
    policy: { suites: [pki.suite], ...policy },
  };
}

/** XML text → element, through the strict reader. */
export const parse = (xml: string): XmlElement => parseElement(xml) as unknown as XmlElement;

const sentOf = (out: readonly AProfileOutput[], message: string): XmlElement[] =>
  out.flatMap((o) => o.type === "send" && o.message === message ? [o.element] : []);

/** An honest initiator (the peer of a responder under test). */
export class HonestInitiator {
  state: InitiatorState;
  readonly #sign;
  constructor(
    pki: TestPki,
    seed: string,
    policy: Partial<AProfilePolicy> = {},
    who: Credential = pki.vpp,
  ) {
    this.state = initiator.init(initiatorConfig(pki, seed, policy, who));
    this.#sign = localSigner(who.signer);
  }
  step(input: AProfileInput): AProfileOutput[] {
    const r = driveStep(initiator, this.state, input, this.#sign);
    this.state = r.state;
    return r.out;
  }
  /** Starts and returns the request element. */
  request(now: number): XmlElement {
    return sentOf(this.step({ type: "start", now }), "request")[0];
  }
  sent(input: AProfileInput): XmlElement[] {
    return sentOf(this.step(input), "pdu");
  }
  /** Asks for a fresh handshake; returns the new request element. */
  rehandshake(now: number): XmlElement {
    return sentOf(this.step({ type: "rehandshake", now }), "request")[0];
  }
}

/** An honest responder (the peer of an initiator under test). */
export class HonestResponder {
  state: ResponderState;
  readonly #sign;
  constructor(
    pki: TestPki,
    seed: string,
    policy: Partial<AProfilePolicy> = {},
    who: Credential = pki.der,
  ) {
    this.state = responder.init(responderConfig(pki, seed, policy, who));
    this.#sign = localSigner(who.signer);
  }
  step(input: AProfileInput): AProfileOutput[] {
    const r = driveStep(responder, this.state, input, this.#sign);
    this.state = r.state;
    return r.out;
  }
  /** Answers a request; returns the response element. */
  respond(request: XmlElement, now: number): XmlElement {
    const out = this.step({ type: "receive", element: request, from: JIDS.vpp, now });
    const r = sentOf(out, "response")[0];
    if (!r) throw new Error(`honest responder refused: ${JSON.stringify(out)}`);
    return r;
  }
  sent(input: AProfileInput): XmlElement[] {
    return sentOf(this.step(input), "pdu");
  }
}

// ------------------------------------------------------------ mutations

/** A copy of an element tree (ltx elements are mutable). */
export const clone = (e: XmlElement): XmlElement => parse(e.toString());

/** The descendant at `path` (child element names, first match each). */
export function at(e: XmlElement, ...path: string[]): XmlElement {
  let cur = e;
  for (const name of path) {
    const next = cur.children.find((c): c is XmlElement =>
      typeof c !== "string" && c.name === name
    );
    if (!next) throw new Error(`no <${name}> in <${cur.name}>`);
    cur = next;
  }
  return cur;
}

/** Elements named `name` among the children. */
export const all = (e: XmlElement, name: string): XmlElement[] =>
  e.children.filter((c): c is XmlElement => typeof c !== "string" && c.name === name);

/** Flips bit 0 of byte `index` (negative counts from the end) of base64 text. */
export function flipBase64(text: string, index: number): string {
  const b = fromBase64(text);
  const i = index < 0 ? b.length + index : index;
  b[i] ^= 0x01;
  return toBase64(b);
}

/** Edits a copy of `e` and returns its XML. */
export function edit(e: XmlElement, change: (copy: XmlElement) => void): string {
  const copy = clone(e);
  change(copy);
  return copy.toString();
}

/** The text content of an element, replaced. */
export function setText(e: XmlElement, text: string): void {
  e.children.length = 0;
  e.children.push(text);
}

// ------------------------------------------------------------ re-signing

function decodedRequest(e: XmlElement) {
  const m = decodeMessage(e);
  if (!m.ok || m.value.kind !== "request") throw new Error("not a request");
  return m.value.request;
}

function decodedResponse(e: XmlElement) {
  const m = decodeMessage(e);
  if (!m.ok || m.value.kind !== "response") throw new Error("not a response");
  return m.value.response;
}

/** The request with its token changed and signed again by `signer`. */
export function resignRequest(
  e: XmlElement,
  change: (t: RequestToken) => RequestToken,
  signer: LocalSigner,
): string {
  const token = change(decodedRequest(e).token);
  const signature = getSuite(signer.suite).sig.sign(signer.privateKey, requestTbs(token));
  return encodeRequest({ token, signature }).toString();
}

/** The response with its token changed and signed again over the transcript by `signer`. */
export function resignResponse(
  request: XmlElement,
  e: XmlElement,
  change: (t: ResponseToken) => ResponseToken,
  signer: LocalSigner,
): string {
  const req = decodedRequest(request).token;
  const token = change(decodedResponse(e).token);
  const tbs = responseTbs(getSuite("p256").hash, req, token);
  const signature = getSuite(signer.suite).sig.sign(signer.privateKey, tbs);
  return encodeResponse({ token, signature }).toString();
}

/** A public key for `suite` that the suite refuses (not on the curve, or small order). */
export function badKeyShare(suite: RequestToken["offers"][number]["suite"]): Uint8Array {
  if (suite === "x25519-ed25519") return new Uint8Array(32); // u = 0: small order
  const k = new Uint8Array(65);
  k[0] = 4;
  k[64] = 1; // (0, 1) is on neither curve
  return k;
}
