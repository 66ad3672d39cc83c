/**
 * The handshake tokens as data, and the canonical bytes that are signed and
 * hashed. Signatures never cover XML: each side rebuilds the to-be-signed
 * bytes from the decoded fields, so whitespace, attribute order or namespace
 * prefixes cannot change what was signed, and every field is covered.
 *
 * Encoding: a context label, a zero byte, then each field as
 * tag (1 byte) ‖ length (4 bytes, big-endian) ‖ value, in a fixed order.
 * Lists repeat their tag, in wire order; an offer nests its suite and key.
 *
 * @module
 */
import { utf8 } from "../../core/bytes.ts";
import type { Hash, SuiteId } from "../../core/crypto/suite.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import type { ModeId } from "./types.ts";

/** The only protocol version this implementation speaks. */
export const PROTOCOL_VERSION = 0;
export const ASSOCIATION_BYTES = 16;
export const NONCE_BYTES = 32;

/** Signature algorithm names on the wire, one per suite's signature scheme. */
export const SIGNATURE_ALGORITHMS: Readonly<Record<SuiteId, string>> = {
  "p256": "ecdsa-p256-sha256",
  "brainpool256": "ecdsa-brainpoolp256r1-sha256",
  "x25519-ed25519": "ed25519",
};
export const suiteOfSignatureAlgorithm = (name: string): SuiteId | undefined =>
  (Object.keys(SIGNATURE_ALGORITHMS) as SuiteId[]).find((s) => SIGNATURE_ALGORITHMS[s] === name);

/** One offered suite with the initiator's ephemeral public key for it. */
export interface Offer {
  readonly suite: SuiteId;
  readonly key: Uint8Array;
}

/** The initiator's ClearToken. */
export interface RequestToken {
  readonly version: number;
  readonly association: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly nonce: Uint8Array;
  /** The responder the initiator means to reach (bare JID). */
  readonly responder: string;
  /** Suite of the signer's certificate key (the signature algorithm). */
  readonly signatureSuite: SuiteId;
  readonly offers: readonly Offer[];
  readonly modes: readonly ModeId[];
  readonly chain: readonly CertificateDer[];
}

/** The responder's ClearToken. */
export interface ResponseToken {
  readonly version: number;
  readonly association: Uint8Array;
  readonly time: number;
  readonly nonce: Uint8Array;
  /** The initiator's nonce, echoed. */
  readonly echo: Uint8Array;
  readonly suite: SuiteId;
  readonly mode: ModeId;
  /** The responder's ephemeral public key for `suite`. */
  readonly key: Uint8Array;
  readonly signatureSuite: SuiteId;
  readonly chain: readonly CertificateDer[];
}

export interface SignedRequest {
  readonly token: RequestToken;
  readonly signature: Uint8Array;
}

export interface SignedResponse {
  readonly token: ResponseToken;
  readonly signature: Uint8Array;
}

// UTF-8 of the short texts the tokens carry (labels, suite, algorithm and mode names, JIDs):
// each typed array costs microseconds to allocate in Deno, and the same few texts come back
// in every handshake. Read-only (Fields only copies from them); emptied when it grows large.
const encoded = new Map<string, Uint8Array>();
function utf8Of(s: string): Uint8Array {
  let bytes = encoded.get(s);
  if (bytes === undefined) {
    if (encoded.size >= 256) encoded.clear();
    bytes = utf8(s);
    encoded.set(s, bytes);
  }
  return bytes;
}

/** Collects tag-length-value fields and writes them into one buffer at the end. */
class Fields {
  readonly #parts: [number, Uint8Array][] = [];
  readonly #label?: Uint8Array;
  #size = 0;
  constructor(label?: string) {
    if (label !== undefined) {
      this.#label = utf8Of(label);
      this.#size += this.#label.length + 1;
    }
  }
  bytes(tag: number, value: Uint8Array): this {
    this.#parts.push([tag, value]);
    this.#size += 5 + value.length;
    return this;
  }
  text(tag: number, s: string): this {
    return this.bytes(tag, utf8Of(s));
  }
  /** An unsigned integer below 2^53 in `width` big-endian bytes. */
  num(tag: number, n: number, width: 1 | 8): this {
    const v = new Uint8Array(width);
    for (let i = width - 1, x = n; i >= 0; i--, x = Math.floor(x / 256)) v[i] = x % 256;
    return this.bytes(tag, v);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.#size);
    this.#write(out);
    return out;
  }
  /**
   * The hash of the fields, written into a buffer shared by every call
   * instead of an array of their own: the bytes are hashed at once and never
   * leave. (A fresh typed array per token costs microseconds in Deno, and
   * more as the heap grows; these are the bulk of a handshake's.)
   */
  digest(hash: Hash): Uint8Array {
    if (scratch.length < this.#size) {
      scratch = new Uint8Array(Math.max(this.#size, 2 * scratch.length));
    }
    this.#write(scratch);
    return hash.digest(scratch.subarray(0, this.#size));
  }
  #write(out: Uint8Array): void {
    let at = 0;
    if (this.#label !== undefined) {
      out.set(this.#label);
      out[this.#label.length] = 0;
      at = this.#label.length + 1;
    }
    for (const [tag, value] of this.#parts) {
      const n = value.length;
      out[at] = tag;
      out[at + 1] = n >>> 24;
      out[at + 2] = (n >>> 16) & 0xff;
      out[at + 3] = (n >>> 8) & 0xff;
      out[at + 4] = n & 0xff;
      out.set(value, at + 5);
      at += 5 + n;
    }
  }
}

/** Fields.digest's buffer: grows to the largest token, reused by every call. */
let scratch = new Uint8Array(4096);

// spec: PD-87
const TAG = {
  version: 0x01,
  association: 0x02,
  time: 0x03,
  nonce: 0x04,
  responder: 0x05,
  signatureAlgorithm: 0x06,
  offer: 0x07,
  offerSuite: 0x08,
  offerKey: 0x09,
  mode: 0x0a,
  certificate: 0x0b,
  requestHash: 0x0c,
  echo: 0x0d,
  suite: 0x0e,
  key: 0x0f,
  responseHash: 0x10,
} as const;

// Both roles need a request's signed bytes several times per handshake; tokens are immutable.
const requestTbsMemo = new WeakMap<RequestToken, Uint8Array>();

/** The bytes the initiator signs. */
// spec: PD-87 PAPER-M3
export function requestTbs(t: RequestToken): Uint8Array {
  let tbs = requestTbsMemo.get(t);
  if (!tbs) {
    tbs = buildRequestTbs(t);
    requestTbsMemo.set(t, tbs);
  }
  return tbs;
}

function buildRequestTbs(t: RequestToken): Uint8Array {
  const f = new Fields("derlink a-profile request")
    .num(TAG.version, t.version, 1)
    .bytes(TAG.association, t.association)
    .num(TAG.time, t.time, 8)
    .bytes(TAG.nonce, t.nonce)
    .text(TAG.responder, t.responder)
    .text(TAG.signatureAlgorithm, SIGNATURE_ALGORITHMS[t.signatureSuite]);
  for (const o of t.offers) {
    f.bytes(
      TAG.offer,
      new Fields().text(TAG.offerSuite, o.suite).bytes(TAG.offerKey, o.key).done(),
    );
  }
  for (const m of t.modes) f.text(TAG.mode, m);
  for (const c of t.chain) f.bytes(TAG.certificate, c);
  return f.done();
}

/** The response's own fields (without the request hash), hashed. */
function responseFieldsHash(hash: Hash, t: ResponseToken): Uint8Array {
  const f = new Fields()
    .num(TAG.version, t.version, 1)
    .bytes(TAG.association, t.association)
    .num(TAG.time, t.time, 8)
    .bytes(TAG.nonce, t.nonce)
    .bytes(TAG.echo, t.echo)
    .text(TAG.suite, t.suite)
    .text(TAG.mode, t.mode)
    .bytes(TAG.key, t.key)
    .text(TAG.signatureAlgorithm, SIGNATURE_ALGORITHMS[t.signatureSuite]);
  for (const c of t.chain) f.bytes(TAG.certificate, c);
  return f.digest(hash);
}

// Hashes of the two tokens' signed bytes, per token object (tokens are immutable).
const requestHashes = new WeakMap<RequestToken, Uint8Array>();
const responseHashes = new WeakMap<ResponseToken, Uint8Array>();

function requestHash(hash: Hash, t: RequestToken): Uint8Array {
  let h = requestHashes.get(t);
  if (!h) {
    h = hash.digest(requestTbs(t));
    requestHashes.set(t, h);
  }
  return h;
}

function responseHash(hash: Hash, t: ResponseToken): Uint8Array {
  let h = responseHashes.get(t);
  if (!h) {
    h = responseFieldsHash(hash, t);
    responseHashes.set(t, h);
  }
  return h;
}

/**
 * The bytes the responder signs: a label, the hash of the request's signed
 * bytes and the hash of the response's fields, so the signature covers the
 * whole transcript.
 */
// spec: PD-87 PAPER-R2
export function responseTbs(hash: Hash, request: RequestToken, t: ResponseToken): Uint8Array {
  return new Fields("derlink a-profile response")
    .bytes(TAG.requestHash, requestHash(hash, request))
    .bytes(TAG.responseHash, responseHash(hash, t))
    .done();
}

/**
 * The transcript hash the keys are bound to: a hash over both tokens'
 * hashes. Signatures are left out on purpose: an ECDSA signature can be
 * re-encoded by an attacker without becoming invalid, and must not split the
 * keys.
 */
// spec: PD-88
export function transcriptHash(
  hash: Hash,
  request: RequestToken,
  response: ResponseToken,
): Uint8Array {
  return new Fields("derlink a-profile transcript")
    .bytes(TAG.requestHash, requestHash(hash, request))
    .bytes(TAG.responseHash, responseHash(hash, response))
    .digest(hash);
}
