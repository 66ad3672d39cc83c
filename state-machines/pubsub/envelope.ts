/**
 * The signed tariff as it travels (PD-157): an envelope of the canonical
 * body, the market operator's signature over a label and the body, and the
 * operator's certificate chain; carried in a pubsub item as
 *
 * ```xml
 * <tariff xmlns="urn:derlink:tariff:0" id="t-42" seq="42">BASE64(envelope)</tariff>
 * ```
 * Envelope: `"DLT1" | bytes16 body | bytes16 signature | u8 n | n × bytes16 certificate`.
 * The attributes repeat body fields for readers that do not decode; on
 * reading each must equal the field in the body (`tariff/malformed`).
 * Nothing outside the body is signed, and nothing outside it is trusted:
 * the suite is the signer certificate's, the chain is validated.
 *
 * @module
 */
import { Element } from "ltx";
import { concat, fromBase64, toBase64, utf8 } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { Reader, Writer } from "../group-keying/codec.ts";
import { TARIFF_NS } from "../disco/namespaces.ts";
import { TariffError } from "./errors.ts";
import { decodeTariff, encodeTariff, type Tariff } from "./tariff.ts";

export { TARIFF_NS };

const MAGIC = utf8("DLT1");
/** Domain separation: a tariff signature can never pass for another derlink signature. */
export const TARIFF_SIGNATURE_LABEL = utf8("derlink tariff v1\u0000");
/** Largest envelope accepted (a 1024-slot tariff and a 4-certificate chain fit). */
export const MAX_ENVELOPE = 32 * 1024;
export const MAX_CHAIN = 4;

/** Signs with the market operator's certificate key. */
export type TariffSigner = (message: Uint8Array) => Uint8Array;

export interface Envelope {
  readonly body: Uint8Array;
  readonly signature: Uint8Array;
  readonly chain: readonly CertificateDer[];
}

/** The bytes the signature covers. */
export const signedBytes = (body: Uint8Array): Uint8Array => concat(TARIFF_SIGNATURE_LABEL, body);

export function encodeEnvelope(e: Envelope): Uint8Array {
  const w = new Writer().raw(MAGIC).bytes16(e.body).bytes16(e.signature).u8(e.chain.length);
  for (const c of e.chain) w.bytes16(c);
  return w.finish();
}

// spec: PD-157
export function decodeEnvelope(data: Uint8Array): Envelope {
  if (data.length > MAX_ENVELOPE) {
    throw new DerlinkError(TariffError.oversize, `${data.length} bytes`);
  }
  const r = new Reader(data, TariffError.malformed);
  const magic = r.raw(4, "magic");
  if (magic.some((b, i) => b !== MAGIC[i])) throw new DerlinkError(TariffError.malformed, "magic");
  const body = r.bytes16("body");
  const signature = r.bytes16("signature");
  const n = r.u8("chain length");
  if (n > MAX_CHAIN) throw new DerlinkError(TariffError.malformed, `${n} certificates`);
  const chain: Uint8Array[] = [];
  for (let i = 0; i < n; i++) chain.push(r.bytes16("certificate"));
  r.end("envelope");
  return { body, signature, chain };
}

/** Signs `t` and wraps it with `chain`; throws `tariff/sign-failed` or `tariff/malformed`. */
// spec: PAPER-AS4 PD-157
export function signTariff(
  t: Tariff,
  sign: TariffSigner,
  chain: readonly CertificateDer[],
): Uint8Array {
  const body = encodeTariff(t);
  let signature: Uint8Array;
  try {
    signature = sign(signedBytes(body));
  } catch (e) {
    throw new DerlinkError(TariffError["sign-failed"], e instanceof Error ? e.name : "signer");
  }
  return encodeEnvelope({ body, signature, chain });
}

/** The `<tariff>` element carrying an envelope. */
export function tariffElement(envelope: Uint8Array): Element {
  const t = decodeTariff(decodeEnvelope(envelope).body);
  return new Element("tariff", { xmlns: TARIFF_NS, id: t.id, seq: String(t.seq) })
    .t(toBase64(envelope));
}

/** The part of an element `envelopeFromElement` reads. */
export interface TariffXml {
  readonly name: string;
  readonly attrs: Record<string, string | undefined>;
  getText(): string;
}

/** The envelope inside a `<tariff>` element; throws `tariff/malformed` / `tariff/oversize`. */
// spec: PD-157
export function envelopeFromElement(el: TariffXml): Uint8Array {
  const bad = (d: string) => new DerlinkError(TariffError.malformed, d);
  if (el?.name !== "tariff" || el.attrs?.xmlns !== TARIFF_NS) throw bad("not a tariff element");
  const text = el.getText().replace(/\s+/g, "");
  if (text.length > Math.ceil(MAX_ENVELOPE / 3) * 4) {
    throw new DerlinkError(TariffError.oversize, `${text.length} base64 characters`);
  }
  let data: Uint8Array;
  try {
    data = fromBase64(text);
  } catch {
    throw bad("content is not base64");
  }
  const e = decodeEnvelope(data);
  const t = decodeTariff(e.body);
  if (el.attrs.id !== undefined && el.attrs.id !== t.id) throw bad("id attribute disagrees");
  if (el.attrs.seq !== undefined && el.attrs.seq !== String(t.seq)) {
    throw bad("seq attribute disagrees");
  }
  return data;
}
