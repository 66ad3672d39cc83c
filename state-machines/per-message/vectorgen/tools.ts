/**
 * Tools of the per-message vector generator: an honest sender (the real
 * machine), and mutations of its messages — with or without signing again
 * with a real key of the fixture PKI, or as raw XML text edits.
 *
 * @module
 */
import { parseElement } from "../../../core/xml.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import type { CertificateDer } from "../../../core/pki/types.ts";
import type { XmlElement } from "../../a-profile/xml.ts";
import { driveSigned } from "../driver.ts";
import { channelConfig, type Credential, type PerMessagePki, signerOf } from "../fixtures.ts";
import { perMessage } from "../machine.ts";
import { certificateDigest } from "../seal.ts";
import type { PerMessagePolicy, PerMessageState } from "../types.ts";
import { decode, encode, signedBytes, type SignedMessage, type Unsigned } from "../wire.ts";

/** One delivery to the receiver under test: the element's XML, the stamped sender, local time. */
export interface Delivery {
  readonly xml: string;
  readonly from: string;
  readonly now: number;
}

/** A sender channel driven honestly through the reference machine. */
export class Sender {
  state: PerMessageState;
  readonly #who: Credential;

  constructor(
    pki: PerMessagePki,
    who: Credential,
    peerJid: string,
    seed: string,
    o: { policy?: Partial<PerMessagePolicy>; peerChain?: readonly CertificateDer[] } = {},
  ) {
    this.#who = who;
    this.state = perMessage.init(channelConfig(pki, who, peerJid, seed, o));
  }

  #run(input: Parameters<typeof perMessage.step>[1]) {
    const r = driveSigned(perMessage, this.state, input, signerOf(this.#who));
    this.state = r.state;
    return r.out;
  }

  /** Protects one payload of `kind` ("data", or "release"/"abort" inputs) at `now`. */
  send(payload: string, now: number, kind: "send" | "release" | "abort" = "send"): XmlElement {
    if (this.state.phase === "idle") this.#run({ type: "start", now });
    const out = kind === "send"
      ? this.#run({ type: "send", payload: new TextEncoder().encode(payload), now })
      : this.#run({ type: kind, now });
    const sent = out.find((o) => o.type === "send");
    if (!sent || sent.type !== "send") throw new Error(`sender: ${JSON.stringify(out)}`);
    return sent.element;
  }

  /** The peer showed it holds our certificate: the next messages carry references only. */
  acknowledged(): void {
    this.state = { ...this.state, peerHasOurCert: true };
  }
}

export const xmlOf = (e: XmlElement): string => e.toString();
export const elementOf = (xml: string): XmlElement => parseElement(xml) as unknown as XmlElement;

export function decoded(e: XmlElement): SignedMessage {
  const d = decode(e);
  if (!d.ok) throw d.error;
  return d.value;
}

/** The message changed by `f`, signature kept (so it no longer verifies, unless `f` left it alone). */
export const mutate = (e: XmlElement, f: (m: SignedMessage) => SignedMessage): XmlElement =>
  encode(f(decoded(e)));

/** The message changed by `f` and signed again with `by`'s key. */
export function resign(e: XmlElement, by: Credential, f: (m: Unsigned) => Unsigned): XmlElement {
  const m = f(decoded(e));
  const signature = getSuite(by.key.suite).sig.sign(by.key.privateKey, signedBytes(m));
  return encode({ ...m, signature });
}

/** The digest by which messages name a certificate. */
export const digestOf = (c: Credential): Uint8Array =>
  certificateDigest(getSuite(c.key.suite), c.chain[0]);

/** A copy of `b` with bit 0 of byte `i` (from the end when negative) flipped. */
export function flip(b: Uint8Array, i: number): Uint8Array {
  const out = b.slice();
  out[i < 0 ? out.length + i : i] ^= 1;
  return out;
}
