/**
 * Wire form of the A-profile: XML elements in the namespace
 * `urn:derlink:a-profile:0` (docs/a-profile.md). `<request>` travels in an
 * iq of type set, `<response>` in the iq result, `<pdu>` in a message or iq.
 *
 * Decoding is strict: an element or attribute the profile does not define is
 * refused (`aprofile/unknown-element`), so is a missing, repeated or
 * ill-formed field (`aprofile/malformed`) and a version other than 0
 * (`aprofile/unsupported-version`). Base64 must be canonical and padded;
 * numbers are decimal without leading zeros. Whitespace between child
 * elements is allowed, other text is not.
 *
 * @module
 */
import { fromBase64, fromHex, toBase64, toHex } from "../../core/bytes.ts";
import { isSuiteId, type SuiteId } from "../../core/crypto/suite.ts";
import { DerlinkError, fail, ok, type Result } from "../../core/errors.ts";
import { AProfileError } from "./errors.ts";
import {
  NONCE_BYTES,
  type Offer,
  PROTOCOL_VERSION,
  type RequestToken,
  type ResponseToken,
  SIGNATURE_ALGORITHMS,
  type SignedRequest,
  type SignedResponse,
  suiteOfSignatureAlgorithm,
} from "./tokens.ts";
import { isModeId, type ModeId } from "./types.ts";
import { el, NS, type XmlElement } from "./xml.ts";

/** What a protected PDU is for. */
export type PduKind = "data" | "key-update" | "release" | "release-ack" | "abort";
export const PDU_KINDS: readonly PduKind[] = [
  "data",
  "key-update",
  "release",
  "release-ack",
  "abort",
];

/** A protected PDU as on the wire: header fields and the sealed (or MACed) body. */
export interface Pdu {
  readonly association: Uint8Array;
  readonly epoch: number;
  readonly seq: number;
  readonly time: number;
  readonly kind: PduKind;
  /** AES-GCM ciphertext ‖ tag, or plaintext ‖ HMAC-SHA-256 tag. */
  readonly body: Uint8Array;
}

export type Message =
  | { readonly kind: "request"; readonly request: SignedRequest }
  | { readonly kind: "response"; readonly response: SignedResponse }
  | { readonly kind: "pdu"; readonly pdu: Pdu };

// spec: PD-85
export const LIMITS = Object.freeze({
  maxCertificates: 8,
  maxCertificateBytes: 16_384,
  maxSignatureBytes: 128,
  maxJidChars: 3071,
  maxBodyBytes: 1 << 20,
});

/** Ephemeral public key length per suite (uncompressed SEC 1, or X25519 u-coordinate). */
export const KEY_SHARE_BYTES: Readonly<Record<SuiteId, number>> = {
  "p256": 65,
  "brainpool256": 65,
  "x25519-ed25519": 32,
};

// ---------------------------------------------------------------- encoding

const b64 = toBase64;

// Certificates travel in every handshake message: their base64 forms are remembered both ways
// (by array identity when encoding our own chain, by text when decoding a peer's), in bounded maps.
const certText = new WeakMap<Uint8Array, string>();
const certBytes = new Map<string, Uint8Array>();
const CERT_CACHE = 64;

function certificateText(der: Uint8Array): string {
  let text = certText.get(der);
  if (text === undefined) {
    text = toBase64(der);
    certText.set(der, text);
  }
  return text;
}

/** `<request>`: the initiator's ClearToken and its signature. */
export function encodeRequest(r: SignedRequest): XmlElement {
  const t = r.token;
  const token = el("clear-token", {
    version: String(t.version),
    association: toHex(t.association),
    time: String(t.time),
    nonce: b64(t.nonce),
    responder: t.responder,
    "signature-algorithm": SIGNATURE_ALGORITHMS[t.signatureSuite],
  }, [
    ...t.offers.map((o) => el("offer", { suite: o.suite, key: b64(o.key) })),
    ...t.modes.map((m) => el("mode", { name: m })),
    ...t.chain.map((c) => el("certificate", {}, [certificateText(c)])),
  ]);
  return el("request", { xmlns: NS }, [token, el("signature", {}, [b64(r.signature)])]);
}

/** `<response>`: the responder's ClearToken and its signature over the transcript. */
export function encodeResponse(r: SignedResponse): XmlElement {
  const t = r.token;
  const token = el("clear-token", {
    version: String(t.version),
    association: toHex(t.association),
    time: String(t.time),
    nonce: b64(t.nonce),
    echo: b64(t.echo),
    suite: t.suite,
    mode: t.mode,
    key: b64(t.key),
    "signature-algorithm": SIGNATURE_ALGORITHMS[t.signatureSuite],
  }, t.chain.map((c) => el("certificate", {}, [certificateText(c)])));
  return el("response", { xmlns: NS }, [token, el("signature", {}, [b64(r.signature)])]);
}

/** `<pdu>`: header attributes and the protected body as base64 text. */
export function encodePdu(p: Pdu): XmlElement {
  return el("pdu", {
    xmlns: NS,
    association: toHex(p.association),
    epoch: String(p.epoch),
    seq: String(p.seq),
    time: String(p.time),
    kind: p.kind,
  }, [b64(p.body)]);
}

// ---------------------------------------------------------------- decoding

const malformed = (detail: string) => new DerlinkError(AProfileError.malformed, detail);
const unknown = (detail: string) => new DerlinkError(AProfileError["unknown-element"], detail);

/** Children of a profile element: elements in the profile namespace, whitespace-only text skipped. */
function children(e: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of e.children) {
    if (typeof c === "string") {
      if (!/^[ \t\r\n]*$/.test(c)) throw malformed(`text inside <${e.name}>`);
      continue;
    }
    if (c.name.includes(":") || (c.attrs.xmlns !== undefined && c.attrs.xmlns !== NS)) {
      throw unknown(`<${c.name}> inside <${e.name}>`);
    }
    out.push(c);
  }
  return out;
}

/** Reads exactly the named attributes (plus an xmlns equal to NS); anything else is unknown. */
function attrs<K extends string>(e: XmlElement, required: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const [k, v] of Object.entries(e.attrs)) {
    if (v === undefined) continue;
    if (k === "xmlns") {
      if (v !== NS) throw unknown(`namespace ${v}`);
      continue;
    }
    if (!(required as readonly string[]).includes(k)) {
      throw unknown(`attribute ${k} on <${e.name}>`);
    }
    out[k as K] = v;
  }
  for (const k of required) if (out[k] === undefined) throw malformed(`<${e.name}> lacks ${k}`);
  return out;
}

function text(e: XmlElement): string {
  let s = "";
  for (const c of e.children) {
    if (typeof c !== "string") throw unknown(`<${c.name}> inside <${e.name}>`);
    s += c;
  }
  return s;
}

function base64(s: string, what: string, min: number, max: number): Uint8Array {
  let b: Uint8Array;
  try {
    b = fromBase64(s);
  } catch {
    throw malformed(`${what} is not canonical base64`);
  }
  if (b.length < min || b.length > max) throw malformed(`${what} has ${b.length} bytes`);
  return b;
}

function decimal(s: string, what: string, min: number, max: number): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(s)) throw malformed(`${what} is not a decimal number`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw malformed(`${what} out of range`);
  return n;
}

function association(s: string): Uint8Array {
  if (!/^[0-9a-f]{32}$/.test(s)) throw malformed("association id is not 32 lower-case hex digits");
  return fromHex(s);
}

function signatureSuite(s: string): SuiteId {
  const suite = suiteOfSignatureAlgorithm(s);
  if (!suite) throw malformed(`unknown signature algorithm ${s}`);
  return suite;
}

function suiteId(s: string): SuiteId {
  if (!isSuiteId(s)) throw malformed(`unknown suite ${s}`);
  return s;
}

function modeId(s: string): ModeId {
  if (!isModeId(s)) throw malformed(`unknown protection mode ${s}`);
  return s;
}

function keyShare(suite: SuiteId, s: string): Uint8Array {
  const n = KEY_SHARE_BYTES[suite];
  return base64(s, `${suite} key share`, n, n);
}

// spec: PD-85
function version(s: string): number {
  const v = decimal(s, "version", 0, 255);
  if (v !== PROTOCOL_VERSION) {
    throw new DerlinkError(AProfileError["unsupported-version"], `version ${v}`);
  }
  return v;
}

function certificates(list: XmlElement[]): Uint8Array[] {
  if (list.length < 1 || list.length > LIMITS.maxCertificates) {
    throw malformed(`${list.length} certificates`);
  }
  return list.map((c) => {
    attrs(c, []);
    const t = text(c);
    const known = certBytes.get(t);
    if (known) return known;
    const der = base64(t, "certificate", 1, LIMITS.maxCertificateBytes);
    if (certBytes.size >= CERT_CACHE) certBytes.delete(certBytes.keys().next().value!);
    certBytes.set(t, der);
    return der;
  });
}

/** Splits `<clear-token>` + `<signature>`, the only children a request or response has. */
function tokenAndSignature(e: XmlElement): [XmlElement, Uint8Array] {
  attrs(e, []);
  const kids = children(e);
  for (const k of kids) {
    if (k.name !== "clear-token" && k.name !== "signature") throw unknown(`<${k.name}>`);
  }
  if (kids.length !== 2 || kids[0].name !== "clear-token" || kids[1].name !== "signature") {
    throw malformed(`<${e.name}> needs one <clear-token> then one <signature>`);
  }
  attrs(kids[1], []);
  return [kids[0], base64(text(kids[1]), "signature", 1, LIMITS.maxSignatureBytes)];
}

/** Groups children by name in the given order; any other name or order is refused. */
function ordered(kids: XmlElement[], names: readonly string[]): XmlElement[][] {
  const groups: XmlElement[][] = names.map(() => []);
  let at = 0;
  for (const k of kids) {
    const i = names.indexOf(k.name);
    if (i < 0) throw unknown(`<${k.name}>`);
    if (i < at) throw malformed(`<${k.name}> out of order`);
    at = i;
    groups[i].push(k);
  }
  return groups;
}

function decodeRequest(e: XmlElement): SignedRequest {
  const [tok, signature] = tokenAndSignature(e);
  const a = attrs(tok, [
    "version",
    "association",
    "time",
    "nonce",
    "responder",
    "signature-algorithm",
  ]);
  const [offerEls, modeEls, certEls] = ordered(children(tok), ["offer", "mode", "certificate"]);
  if (offerEls.length < 1 || offerEls.length > 3) throw malformed(`${offerEls.length} offers`);
  if (modeEls.length < 1 || modeEls.length > 3) throw malformed(`${modeEls.length} modes`);
  const offers: Offer[] = offerEls.map((o) => {
    const oa = attrs(o, ["suite", "key"]);
    if (o.children.length) throw unknown("content inside <offer>");
    const suite = suiteId(oa.suite);
    return { suite, key: keyShare(suite, oa.key) };
  });
  if (new Set(offers.map((o) => o.suite)).size !== offers.length) {
    throw malformed("suite offered twice");
  }
  const modes = modeEls.map((m) => {
    if (m.children.length) throw unknown("content inside <mode>");
    return modeId(attrs(m, ["name"]).name);
  });
  if (new Set(modes).size !== modes.length) throw malformed("mode offered twice");
  if (a.responder.length === 0 || a.responder.length > LIMITS.maxJidChars) {
    throw malformed("responder JID length");
  }
  const token: RequestToken = {
    version: version(a.version),
    association: association(a.association),
    time: decimal(a.time, "time", 0, Number.MAX_SAFE_INTEGER),
    nonce: base64(a.nonce, "nonce", NONCE_BYTES, NONCE_BYTES),
    responder: a.responder,
    signatureSuite: signatureSuite(a["signature-algorithm"]),
    offers,
    modes,
    chain: certificates(certEls),
  };
  return { token, signature };
}

function decodeResponse(e: XmlElement): SignedResponse {
  const [tok, signature] = tokenAndSignature(e);
  const a = attrs(tok, [
    "version",
    "association",
    "time",
    "nonce",
    "echo",
    "suite",
    "mode",
    "key",
    "signature-algorithm",
  ]);
  const [certEls] = ordered(children(tok), ["certificate"]);
  const suite = suiteId(a.suite);
  const token: ResponseToken = {
    version: version(a.version),
    association: association(a.association),
    time: decimal(a.time, "time", 0, Number.MAX_SAFE_INTEGER),
    nonce: base64(a.nonce, "nonce", NONCE_BYTES, NONCE_BYTES),
    echo: base64(a.echo, "echo", NONCE_BYTES, NONCE_BYTES),
    suite,
    mode: modeId(a.mode),
    key: keyShare(suite, a.key),
    signatureSuite: signatureSuite(a["signature-algorithm"]),
    chain: certificates(certEls),
  };
  return { token, signature };
}

function decodePdu(e: XmlElement): Pdu {
  const a = attrs(e, ["association", "epoch", "seq", "time", "kind"]);
  if (!(PDU_KINDS as readonly string[]).includes(a.kind)) {
    throw malformed(`unknown PDU kind ${a.kind}`);
  }
  return {
    association: association(a.association),
    epoch: decimal(a.epoch, "epoch", 0, 0xffff_ffff),
    seq: decimal(a.seq, "seq", 1, Number.MAX_SAFE_INTEGER),
    time: decimal(a.time, "time", 0, Number.MAX_SAFE_INTEGER),
    kind: a.kind as PduKind,
    body: base64(text(e), "PDU body", 16, LIMITS.maxBodyBytes),
  };
}

/** Decodes any profile element, strictly. */
// spec: PD-85
export function decodeMessage(element: XmlElement): Result<Message> {
  try {
    if (typeof element !== "object" || element === null || typeof element.name !== "string") {
      return fail(AProfileError.malformed, "not an element");
    }
    if (element.name.includes(":") || element.getNS() !== NS) {
      return fail(AProfileError["unknown-element"], `<${element.name}> outside ${NS}`);
    }
    switch (element.name) {
      case "request":
        return ok({ kind: "request", request: decodeRequest(element) });
      case "response":
        return ok({ kind: "response", response: decodeResponse(element) });
      case "pdu":
        return ok({ kind: "pdu", pdu: decodePdu(element) });
      default:
        return fail(AProfileError["unknown-element"], `<${element.name}>`);
    }
  } catch (e) {
    if (e instanceof DerlinkError) return { ok: false, error: e };
    return fail(AProfileError.malformed, e instanceof Error ? e.message : String(e));
  }
}
