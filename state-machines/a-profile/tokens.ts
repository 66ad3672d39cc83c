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
import { concat, uintBE, utf8 } from "../../core/bytes.ts";
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

const field = (tag: number, value: Uint8Array): Uint8Array =>
  concat(new Uint8Array([tag]), uintBE(value.length, 4), value);
const text = (tag: number, s: string) => field(tag, utf8(s));
const num = (tag: number, n: number, width: number) => field(tag, uintBE(n, width));
const label = (s: string) => concat(utf8(s), new Uint8Array([0]));

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
} as const;

/** The bytes the initiator signs. */
// spec: PD-87 PAPER-M3
export function requestTbs(t: RequestToken): Uint8Array {
  return concat(
    label("derlink a-profile request"),
    num(TAG.version, t.version, 1),
    field(TAG.association, t.association),
    num(TAG.time, t.time, 8),
    field(TAG.nonce, t.nonce),
    text(TAG.responder, t.responder),
    text(TAG.signatureAlgorithm, SIGNATURE_ALGORITHMS[t.signatureSuite]),
    ...t.offers.map((o) =>
      field(TAG.offer, concat(text(TAG.offerSuite, o.suite), field(TAG.offerKey, o.key)))
    ),
    ...t.modes.map((m) => text(TAG.mode, m)),
    ...t.chain.map((c) => field(TAG.certificate, c)),
  );
}

/** The response's own fields, without the request hash. */
function responseFields(t: ResponseToken): Uint8Array {
  return concat(
    num(TAG.version, t.version, 1),
    field(TAG.association, t.association),
    num(TAG.time, t.time, 8),
    field(TAG.nonce, t.nonce),
    field(TAG.echo, t.echo),
    text(TAG.suite, t.suite),
    text(TAG.mode, t.mode),
    field(TAG.key, t.key),
    text(TAG.signatureAlgorithm, SIGNATURE_ALGORITHMS[t.signatureSuite]),
    ...t.chain.map((c) => field(TAG.certificate, c)),
  );
}

/**
 * The bytes the responder signs: the hash of the request's signed bytes and
 * the response's fields, so the signature covers the whole transcript.
 */
// spec: PD-87 PAPER-R2
export function responseTbs(hash: Hash, request: RequestToken, t: ResponseToken): Uint8Array {
  return concat(
    label("derlink a-profile response"),
    field(TAG.requestHash, hash.digest(requestTbs(request))),
    responseFields(t),
  );
}

/**
 * The transcript hash the keys are bound to: both tokens' signed fields.
 * Signatures are left out on purpose: an ECDSA signature can be re-encoded
 * by an attacker without becoming invalid, and must not split the keys.
 */
// spec: PD-88
export function transcriptHash(
  hash: Hash,
  request: RequestToken,
  response: ResponseToken,
): Uint8Array {
  const req = requestTbs(request);
  const resp = responseFields(response);
  return hash.digest(
    concat(label("derlink a-profile transcript"), field(0x01, req), field(0x02, resp)),
  );
}
