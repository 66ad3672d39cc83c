/**
 * Wire form of a per-message protected PDU: one `<signed>` element in the
 * namespace `urn:derlink:per-message:0`, carried in the stanza the
 * association names (iq or message), like the A-profile's `<pdu>`:
 *
 * ```xml
 * <signed xmlns="urn:derlink:per-message:0" v="0" kind="data"
 *     from="vpp@grid.example" to="der1@grid.example" sid="(16 hex)" seq="1"
 *     time="1736942400000" alg="ed25519" signer="(64 hex)" rcpt="(64 hex)"
 *     enc="aes-256-gcm" epk="(base64)">
 *   <certificate>(base64 DER)</certificate>   zero or more: the signer's chain
 *   <body>(base64: plaintext, or ciphertext ‖ tag)</body>
 *   <signature>(base64)</signature>
 * </signed>
 * ```
 * `signer` is the SHA-256 of the signer's end-entity certificate and is
 * signed, so a certificate cannot be swapped under a signature (the role of
 * the CMS signing-certificate attribute); `rcpt` names the recipient's
 * certificate the same way. The signature covers {@link signedBytes}: every
 * attribute in a fixed binary layout, then the body. Decoding is strict
 * like the A-profile's (PD-225).
 *
 * @module
 */
import { concat, fromBase64, fromHex, toBase64, toHex, uintBE, utf8 } from "../../core/bytes.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { DerlinkError, fail, ok, type Result } from "../../core/errors.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { KEY_SHARE_BYTES } from "../a-profile/messages.ts";
import { SIGNATURE_ALGORITHMS, suiteOfSignatureAlgorithm } from "../a-profile/tokens.ts";
import { el, type XmlElement } from "../a-profile/xml.ts";
import { PerMessageError } from "./errors.ts";
import type { MessageKind } from "./types.ts";

/** The namespace of the per-message element. */
// spec: PD-225
export const NS = "urn:derlink:per-message:0";
export const VERSION = 0;
export const ELEMENT = "signed";
export const KINDS: readonly MessageKind[] = ["data", "release", "abort"];
export const ENCRYPTION = "aes-256-gcm";
const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];

// spec: PD-225
export const LIMITS = Object.freeze({
  maxCertificates: 8,
  maxCertificateBytes: 16_384,
  maxSignatureBytes: 128,
  maxJidChars: 3071,
  maxBodyBytes: 1 << 20,
});

export interface Header {
  readonly kind: MessageKind;
  readonly from: string;
  readonly to: string;
  /** The sender instance id, 8 bytes. */
  readonly sid: Uint8Array;
  readonly seq: number;
  readonly time: number;
  /** The suite whose signature scheme signed (names the algorithm). */
  readonly suite: SuiteId;
  /** SHA-256 of the signer's end-entity certificate. */
  readonly signer: Uint8Array;
  /** SHA-256 of the recipient's certificate, when the sender knows it. */
  readonly rcpt?: Uint8Array;
  /** The ephemeral ECDH public key; present exactly when the body is encrypted. */
  readonly epk?: Uint8Array;
}

/** A message before its signature. */
export interface Unsigned {
  readonly header: Header;
  /** The signer's chain, or none when the recipient holds it already. */
  readonly chain: readonly CertificateDer[];
  readonly body: Uint8Array;
}

export interface SignedMessage extends Unsigned {
  readonly signature: Uint8Array;
}

const LABEL = utf8("derlink per-message v0\0");

function text16(s: string): Uint8Array {
  const b = utf8(s);
  return concat(uintBE(b.length, 2), b);
}

/** The header in its signed binary layout; also the AES-GCM additional data. */
// spec: PD-228 RFC3923-6-order
export function headerBytes(h: Header): Uint8Array {
  const flags = (h.rcpt ? 1 : 0) | (h.epk ? 2 : 0);
  return concat(
    LABEL,
    new Uint8Array([VERSION, KINDS.indexOf(h.kind), SUITES.indexOf(h.suite), flags]),
    text16(h.from),
    text16(h.to),
    h.sid,
    uintBE(h.seq, 8),
    uintBE(h.time, 8),
    h.signer,
    h.rcpt ?? new Uint8Array(0),
    new Uint8Array([h.epk?.length ?? 0]),
    h.epk ?? new Uint8Array(0),
  );
}

/** What the signature covers: the header, then the body (ciphertext when encrypted). */
// spec: PD-228
export const signedBytes = (m: Unsigned): Uint8Array =>
  concat(headerBytes(m.header), uintBE(m.body.length, 4), m.body);

/** The `<signed>` element of a message. */
export function encode(m: SignedMessage): XmlElement {
  const h = m.header;
  return el(ELEMENT, {
    xmlns: NS,
    v: String(VERSION),
    kind: h.kind,
    from: h.from,
    to: h.to,
    sid: toHex(h.sid),
    seq: String(h.seq),
    time: String(h.time),
    alg: SIGNATURE_ALGORITHMS[h.suite],
    signer: toHex(h.signer),
    rcpt: h.rcpt ? toHex(h.rcpt) : undefined,
    enc: h.epk ? ENCRYPTION : undefined,
    epk: h.epk ? toBase64(h.epk) : undefined,
  }, [
    ...m.chain.map((c) => el("certificate", {}, [toBase64(c)])),
    el("body", {}, [toBase64(m.body)]),
    el("signature", {}, [toBase64(m.signature)]),
  ]);
}

// ---------------------------------------------------------------- decoding

const malformed = (detail: string) => new DerlinkError(PerMessageError.malformed, detail);
const unknown = (detail: string) => new DerlinkError(PerMessageError["unknown-element"], detail);

const REQUIRED = ["v", "kind", "from", "to", "sid", "seq", "time", "alg", "signer"] as const;
const OPTIONAL = ["rcpt", "enc", "epk"] as const;
type Attr = typeof REQUIRED[number] | typeof OPTIONAL[number];

function attributes(e: XmlElement): Partial<Record<Attr, string>> {
  const out: Partial<Record<Attr, string>> = {};
  for (const [k, v] of Object.entries(e.attrs)) {
    if (v === undefined) continue;
    if (k === "xmlns") {
      if (v !== NS) throw unknown(`namespace ${v}`);
      continue;
    }
    if (
      !(REQUIRED as readonly string[]).includes(k) && !(OPTIONAL as readonly string[]).includes(k)
    ) {
      throw unknown(`attribute ${k}`);
    }
    out[k as Attr] = v;
  }
  for (const k of REQUIRED) if (out[k] === undefined) throw malformed(`<signed> lacks ${k}`);
  return out;
}

function textOf(e: XmlElement): string {
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

function hex(s: string, what: string, bytes: number): Uint8Array {
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(s)) {
    throw malformed(`${what} is not ${bytes * 2} lower-case hex digits`);
  }
  return fromHex(s);
}

function decimal(s: string, what: string, min: number): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(s)) throw malformed(`${what} is not a decimal number`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min) throw malformed(`${what} out of range`);
  return n;
}

/** The recipient's curve decides the key share, not the signer's: any of the suites' lengths. */
function keyShare(s: string): Uint8Array {
  const b = base64(s, "epk", 32, 65);
  if (!Object.values(KEY_SHARE_BYTES).includes(b.length)) {
    throw malformed(`epk of ${b.length} bytes`);
  }
  return b;
}

function jid(s: string, what: string): string {
  if (s.length === 0 || s.length > LIMITS.maxJidChars) throw malformed(`${what} JID length`);
  return s;
}

/** Children in the fixed order certificate*, body, signature; whitespace-only text skipped. */
function parts(e: XmlElement): { certs: XmlElement[]; body: XmlElement; signature: XmlElement } {
  const kids: XmlElement[] = [];
  for (const c of e.children) {
    if (typeof c === "string") {
      if (!/^[ \t\r\n]*$/.test(c)) throw malformed("text inside <signed>");
      continue;
    }
    if (c.name.includes(":") || (c.attrs.xmlns !== undefined && c.attrs.xmlns !== NS)) {
      throw unknown(`<${c.name}> inside <signed>`);
    }
    if (!["certificate", "body", "signature"].includes(c.name)) throw unknown(`<${c.name}>`);
    if (Object.keys(c.attrs).some((k) => k !== "xmlns" && c.attrs[k] !== undefined)) {
      throw unknown(`attribute on <${c.name}>`);
    }
    kids.push(c);
  }
  const certs = kids.filter((k) => k.name === "certificate");
  const rest = kids.slice(certs.length);
  if (kids.slice(0, certs.length).some((k) => k.name !== "certificate")) {
    throw malformed("<certificate> after <body>");
  }
  if (rest.length !== 2 || rest[0].name !== "body" || rest[1].name !== "signature") {
    throw malformed("<signed> needs <certificate>*, one <body>, one <signature>");
  }
  if (certs.length > LIMITS.maxCertificates) throw malformed(`${certs.length} certificates`);
  return { certs, body: rest[0], signature: rest[1] };
}

/** Decodes a `<signed>` element, strictly. */
// spec: PD-225
export function decode(element: XmlElement): Result<SignedMessage> {
  try {
    if (typeof element !== "object" || element === null || typeof element.name !== "string") {
      return fail(PerMessageError.malformed, "not an element");
    }
    if (element.name !== ELEMENT || element.getNS() !== NS) {
      return fail(
        PerMessageError["unknown-element"],
        `<${element.name}> is not ${ELEMENT} in ${NS}`,
      );
    }
    const a = attributes(element);
    if (decimal(a.v!, "version", 0) !== VERSION) {
      return fail(PerMessageError["unsupported-version"], `version ${a.v}`);
    }
    if (!(KINDS as readonly string[]).includes(a.kind!)) throw malformed(`kind ${a.kind}`);
    const suite = suiteOfSignatureAlgorithm(a.alg!);
    if (!suite) throw malformed(`unknown signature algorithm ${a.alg}`);
    if ((a.enc === undefined) !== (a.epk === undefined)) throw malformed("enc and epk go together");
    if (a.enc !== undefined && a.enc !== ENCRYPTION) throw malformed(`encryption ${a.enc}`);
    const { certs, body, signature } = parts(element);
    const header: Header = {
      kind: a.kind as MessageKind,
      from: jid(a.from!, "from"),
      to: jid(a.to!, "to"),
      sid: hex(a.sid!, "sid", 8),
      seq: decimal(a.seq!, "seq", 1),
      time: decimal(a.time!, "time", 0),
      suite,
      signer: hex(a.signer!, "signer", 32),
      rcpt: a.rcpt === undefined ? undefined : hex(a.rcpt, "rcpt", 32),
      epk: a.epk === undefined ? undefined : keyShare(a.epk),
    };
    return ok({
      header,
      chain: certs.map((c) => base64(textOf(c), "certificate", 1, LIMITS.maxCertificateBytes)),
      body: base64(textOf(body), "body", 0, LIMITS.maxBodyBytes),
      signature: base64(textOf(signature), "signature", 1, LIMITS.maxSignatureBytes),
    });
  } catch (e) {
    if (e instanceof DerlinkError) return { ok: false, error: e };
    return fail(PerMessageError.malformed, e instanceof Error ? e.message : String(e));
  }
}
