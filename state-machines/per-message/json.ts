/**
 * The JSON form of a per-message channel, as vectors and the conformance
 * binding write it: certificates base64, the IUT's certificate key hex
 * (`signingKey`, which also performs its ECDH), the entropy `seed`, the
 * policy as given. Outputs in canonical form: an error keeps only its code,
 * data its payload as hex, sends the element as XML text.
 *
 * @module
 */
import { fromBase64, fromHex, toBase64, toHex } from "../../core/bytes.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { tryParseElement } from "../../core/xml.ts";
import { localSigner } from "../a-profile/driver.ts";
import type { AProfileInput } from "../a-profile/types.ts";
import type { XmlElement } from "../a-profile/xml.ts";
import { driveSigned } from "./driver.ts";
import { perMessage } from "./machine.ts";
import { localAgreement } from "./seal.ts";
import type { PerMessageConfig, PerMessageOutput, PerMessagePolicy } from "./types.ts";

export interface JsonChannelConfig {
  readonly localJid: string;
  readonly peerJid: string;
  readonly signatureSuite: SuiteId;
  /** Base64 DER, end entity first. */
  readonly chain: readonly string[];
  /** Hex: the IUT's certificate private key (test material only). */
  readonly signingKey: string;
  readonly anchors: readonly string[];
  readonly crls: readonly string[];
  readonly peerChain?: readonly string[];
  readonly seed: string;
  readonly policy?: Partial<PerMessagePolicy>;
}

const b64 = (list: readonly CertificateDer[]) => list.map((c) => toBase64(c));
const der = (list: readonly string[]) => list.map((c) => fromBase64(c));

/** The JSON form of a channel (the inverse of {@link channelOfJson}). */
export function jsonOfChannel(o: {
  localJid: string;
  peerJid: string;
  suite: SuiteId;
  chain: readonly CertificateDer[];
  privateKey: Uint8Array;
  anchors: readonly CertificateDer[];
  crls: readonly Uint8Array[];
  peerChain?: readonly CertificateDer[];
  seed: string;
  policy?: Partial<PerMessagePolicy>;
}): JsonChannelConfig {
  return {
    localJid: o.localJid,
    peerJid: o.peerJid,
    signatureSuite: o.suite,
    chain: b64(o.chain),
    signingKey: toHex(o.privateKey),
    anchors: b64(o.anchors),
    crls: b64(o.crls),
    ...(o.peerChain ? { peerChain: b64(o.peerChain) } : {}),
    seed: o.seed,
    ...(o.policy ? { policy: o.policy } : {}),
  };
}

/** The machine configuration of a JSON channel (reference validation, in-process ECDH). */
export function channelOfJson(j: JsonChannelConfig): PerMessageConfig {
  const key = { suite: j.signatureSuite, privateKey: fromHex(j.signingKey) };
  return {
    localJid: j.localJid,
    peerJid: j.peerJid,
    chain: der(j.chain),
    signatureSuite: j.signatureSuite,
    agree: localAgreement(key),
    peerChain: j.peerChain ? der(j.peerChain) : undefined,
    anchors: der(j.anchors),
    crls: der(j.crls),
    validateChain,
    entropy: new SeededEntropy(j.seed),
    policy: j.policy,
  };
}

/** An output in canonical JSON form. */
export function jsonOfOutput(o: PerMessageOutput): Record<string, unknown> {
  switch (o.type) {
    case "error":
      return { type: "error", code: o.code };
    case "data":
      return { type: "data", seq: o.seq, payload: toHex(o.payload) };
    case "send":
      return { type: "send", xml: o.element.toString() };
    case "sign-request":
      return { type: "sign-request", id: o.id, suite: o.suite, data: toHex(o.data) };
    case "established":
      return { type: "established", mode: o.mode };
    default:
      return { ...o };
  }
}

/** One input in JSON form: a received element as XML text, or a local input. */
export type JsonInput =
  | { readonly type: "receive"; readonly xml: string; readonly from?: string; readonly now: number }
  | { readonly type: "start" | "release" | "abort" | "tick"; readonly now: number }
  | { readonly type: "send"; readonly payload: string; readonly now: number };

/** A channel driven by JSON inputs, signing in process with the configured key. */
export function startJsonChannel(config: JsonChannelConfig) {
  const signer = localSigner({
    suite: config.signatureSuite,
    privateKey: fromHex(config.signingKey),
  });
  let state = perMessage.init(channelOfJson(config));
  return {
    get phase() {
      return state.phase;
    },
    step(input: JsonInput): { out: Record<string, unknown>[]; phase: string } {
      let inp: AProfileInput;
      if (input.type === "receive") {
        const parsed = tryParseElement(input.xml);
        if (!parsed.ok) {
          return { out: [{ type: "error", code: parsed.error.code }], phase: state.phase };
        }
        inp = { ...input, element: parsed.value as unknown as XmlElement };
      } else if (input.type === "send") {
        inp = { type: "send", payload: fromHex(input.payload), now: input.now };
      } else inp = input;
      const r = driveSigned(perMessage, state, inp, signer);
      state = r.state;
      return { out: r.out.map(jsonOfOutput), phase: state.phase };
    },
  };
}
