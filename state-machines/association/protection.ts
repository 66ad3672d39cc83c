/**
 * The end-to-end protection an association runs over, chosen by one plain
 * configuration value (issue 9 item 4, PAPER-OPT7, PD-226):
 *
 * - `"a-profile"` (default): the 62351-4-style session — a signed ECDH
 *   handshake, then symmetric protection of every PDU;
 * - `"per-message"`: RFC 3923-style — every PDU signed on its own by the
 *   sender's certificate key and encrypted to the recipient's certificate
 *   key with a fresh ephemeral key (state-machines/per-message).
 *
 * Both take the same inputs and give outputs of the same shape, so the
 * endpoint (endpoint.ts) drives either through this layer. The per-message
 * channel is configured from the endpoint's A-profile configuration (same
 * identity, chain, trust anchors, CRLs, entropy) plus what only it needs
 * ({@link PerMessageSettings}): the certificate key's ECDH to read
 * encrypted PDUs, and the peer's provisioned chain to encrypt the first.
 *
 * @module
 */
import { bareJid, formatJid, tryParseJid } from "../../core/jid.ts";
import type { Machine } from "../../core/machine.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { aProfileDriveStep, type AProfileSigner } from "../a-profile/mod.ts";
import { initiator, type InitiatorState } from "../a-profile/initiator.ts";
import { responder, type ResponderState } from "../a-profile/responder.ts";
import type {
  AProfileInput,
  AProfileOutput,
  InitiatorConfig,
  LocalSigner,
  ResponderConfig,
} from "../a-profile/types.ts";
import { NS as A_PROFILE_NS, type XmlElement } from "../a-profile/xml.ts";
import { driveSigned } from "../per-message/driver.ts";
import { perMessage, restart as restartChannel } from "../per-message/machine.ts";
import { localAgreement } from "../per-message/seal.ts";
import type {
  KeyAgreementFn,
  PerMessageConfig,
  PerMessageOutput,
  PerMessagePolicy,
  PerMessageState,
  ReceiveState,
} from "../per-message/types.ts";
import { ELEMENT as PER_MESSAGE_ELEMENT, NS as PER_MESSAGE_NS } from "../per-message/wire.ts";
import {
  PLAINTEXT,
  plaintextLayer,
  type PlaintextOutput,
  type PlaintextState,
} from "./plaintext.ts";

/** The switch: which end-to-end protection the association runs over. */
export type Protection = "a-profile" | "per-message";
export const PROTECTIONS: readonly Protection[] = ["a-profile", "per-message"];
/**
 * The switch as tests may set it: also "none", no end-to-end protection at
 * all (plaintext.ts), refused unless `insecurePlaintextForTestOnly` is set.
 */
export type ProtectionForTest = Protection | typeof PLAINTEXT;

/** What per-message protection needs beyond the A-profile configuration. */
export interface PerMessageSettings {
  /** Our certificate key's ECDH (see {@link perMessageSettings}); needed to read encrypted PDUs. */
  readonly agree?: KeyAgreementFn;
  /** The peer's chain, provisioned: needed to encrypt before the peer has spoken. */
  readonly peerChain?: readonly CertificateDer[];
  readonly policy?: Partial<PerMessagePolicy>;
  /** A receive state carried over from an earlier run of the same identity. */
  readonly receive?: ReceiveState;
}

/** Per-message settings from an in-process certificate key (and the peer's chain, if known). */
export const perMessageSettings = (
  key: LocalSigner,
  peerChain?: readonly CertificateDer[],
  policy?: Partial<PerMessagePolicy>,
): PerMessageSettings => ({ agree: localAgreement(key), peerChain, policy });

export type SessionState = InitiatorState | ResponderState | PerMessageState | PlaintextState;
export type SessionOutput = AProfileOutput | PerMessageOutput | PlaintextOutput;

/** The part of an endpoint's configuration the layer reads. */
export interface LayerConfig {
  readonly role: "client" | "server";
  readonly peerJid: string;
  readonly aProfile: InitiatorConfig | ResponderConfig;
  readonly signer: AProfileSigner;
  readonly protection?: ProtectionForTest;
  readonly perMessage?: PerMessageSettings;
  /** TEST ONLY: must be true for protection "none" (PD-247). */
  readonly insecurePlaintextForTestOnly?: boolean;
}

/** One protection, as the endpoint drives it. */
export interface ProtectionLayer {
  readonly protection: ProtectionForTest;
  init(): SessionState;
  /** A new session after `old` ended (state that must outlive a session is kept). */
  restart(old: SessionState): SessionState;
  step(state: SessionState, input: AProfileInput): { state: SessionState; out: SessionOutput[] };
  /** Server side: whether a received element may open a new session. */
  opens(element: XmlElement): boolean;
}

const bare = (jid: string): string => {
  const p = tryParseJid(jid);
  return p.ok ? formatJid(bareJid(p.value)) : jid;
};

/** The per-message channel configuration an endpoint's configuration implies. */
export function perMessageConfig(c: LayerConfig): PerMessageConfig {
  const a = c.aProfile;
  const pm = c.perMessage ?? {};
  return {
    localJid: a.localJid,
    peerJid: bare(c.peerJid),
    chain: a.chain,
    signatureSuite: a.signatureSuite,
    agree: pm.agree,
    peerChain: pm.peerChain,
    anchors: a.anchors,
    crls: a.crls,
    validateChain: a.validateChain,
    entropy: a.entropy,
    provider: a.provider,
    receive: pm.receive,
    policy: defined({
      timestampWindowMs: a.policy?.timestampWindowMs,
      receiveWindow: a.policy?.receiveWindow,
      maxSequenceGap: a.policy?.maxSequenceGap,
      certificateSuites: a.policy?.certificateSuites,
      requiredEku: a.policy?.requiredEku,
      requireCrl: a.policy?.requireCrl,
      ...pm.policy,
    }),
  };
}

/** Leaves out undefined fields so the per-message defaults apply. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

type AnyMachine = Machine<unknown, SessionState, AProfileInput, SessionOutput>;

/** The layer of `c.protection` (default the A-profile). */
// spec: PD-226 PAPER-OPT7
export function protectionLayer(c: LayerConfig): ProtectionLayer {
  // spec: PD-247
  if (c.protection === PLAINTEXT) return plaintextLayer(c.insecurePlaintextForTestOnly);
  if (c.protection === "per-message") {
    const cfg = perMessageConfig(c);
    return {
      protection: "per-message",
      init: () => perMessage.init(cfg),
      restart: (old) => restartChannel(old as PerMessageState),
      step: (s, input) => driveSigned(perMessage as AnyMachine, s, input, c.signer),
      opens: (e) => e.name === PER_MESSAGE_ELEMENT && e.attrs.xmlns === PER_MESSAGE_NS,
    };
  }
  const machine = (c.role === "client" ? initiator : responder) as unknown as Machine<
    unknown,
    SessionState,
    AProfileInput,
    AProfileOutput
  >;
  return {
    protection: "a-profile",
    init: () =>
      c.role === "client"
        ? initiator.init(c.aProfile as InitiatorConfig)
        : responder.init(c.aProfile as ResponderConfig),
    restart: (old) =>
      c.role === "client" ? initiator.init(c.aProfile as InitiatorConfig) : responder.init({
        ...(c.aProfile as ResponderConfig),
        replayCache: (old as ResponderState).cache,
      }),
    step: (s, input) => aProfileDriveStep(machine, s, input, c.signer),
    opens: (e) => e.name === "request" && e.attrs.xmlns === A_PROFILE_NS,
  };
}
