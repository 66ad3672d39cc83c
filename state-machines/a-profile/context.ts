/**
 * The resolved configuration both machines carry in their state: policy with
 * defaults filled in, the modes local policy really allows, and helpers that
 * every handshake check shares (suites by id, JID comparison, chain
 * validation).
 *
 * @module
 */
import {
  getSuite,
  type Hash,
  isSuiteId,
  type ProviderChoice,
  type Suite,
  type SuiteId,
} from "../../core/crypto/suite.ts";
import { DerlinkError, fail, type Result } from "../../core/errors.ts";
import { bareJid, formatJid, tryParseJid } from "../../core/jid.ts";
import type { CertificateDer, PeerIdentity, ValidateChain } from "../../core/pki/types.ts";
import { AProfileError } from "./errors.ts";
import {
  type AProfilePolicy,
  type CommonConfig,
  DEFAULT_POLICY,
  isConfidential,
  isModeId,
  type ModeId,
} from "./types.ts";

export type Role = "initiator" | "responder";

export interface Context {
  readonly role: Role;
  readonly localJid: string;
  /** Initiator: the responder it means to reach. */
  readonly peerJid?: string;
  /** Responder: the only peers it accepts, if restricted. */
  readonly acceptPeers?: readonly string[];
  readonly chain: readonly CertificateDer[];
  /** Suite of our certificate key. */
  readonly signatureSuite: SuiteId;
  readonly anchors: readonly CertificateDer[];
  readonly crls?: readonly Uint8Array[];
  readonly validateChain: ValidateChain;
  readonly provider: ProviderChoice;
  readonly policy: AProfilePolicy;
  /** Modes policy allows once the confidentiality requirement is applied. */
  readonly modes: readonly ModeId[];
}

const invalid = (detail: string) => new DerlinkError(AProfileError["invalid-config"], detail);

/** Fills in defaults and refuses configurations that cannot work (`aprofile/invalid-config`). */
// spec: PD-94
export function resolveContext(
  role: Role,
  config: CommonConfig,
  extra: { peerJid?: string; acceptPeers?: readonly string[] },
): Context {
  const policy: AProfilePolicy = { ...DEFAULT_POLICY, ...config.policy };
  if (policy.suites.length === 0 || !policy.suites.every(isSuiteId)) throw invalid("suites");
  if (new Set(policy.suites).size !== policy.suites.length) throw invalid("suite listed twice");
  if (!policy.modes.every(isModeId) || new Set(policy.modes).size !== policy.modes.length) {
    throw invalid("modes");
  }
  // spec: PAPER-R6a
  const modes = policy.modes.filter((m) => !policy.requireConfidentiality || isConfidential(m));
  if (modes.length === 0) throw invalid("no protection mode left after the confidentiality rule");
  for (
    const k of [
      "timestampWindowMs",
      "replayCacheSize",
      "receiveWindow",
      "maxSequenceGap",
      "keyLifetimePdus",
      "keyLifetimeMs",
      "associationLifetimeMs",
      "handshakeTimeoutMs",
    ] as const
  ) {
    if (!Number.isSafeInteger(policy[k]) || policy[k] < 1) throw invalid(k);
  }
  if (policy.keyLifetimePdus < 2) throw invalid("keyLifetimePdus below 2");
  if (policy.receiveWindow > 4096) throw invalid("receiveWindow above 4096");
  if (!isSuiteId(config.signatureSuite)) throw invalid("signatureSuite");
  if (config.chain.length === 0) throw invalid("empty certificate chain");
  if (bareForm(config.localJid) === null) throw invalid("localJid");
  if (extra.peerJid !== undefined && bareForm(extra.peerJid) === null) throw invalid("peerJid");
  return {
    role,
    localJid: config.localJid,
    peerJid: extra.peerJid,
    acceptPeers: extra.acceptPeers,
    chain: config.chain,
    signatureSuite: config.signatureSuite,
    anchors: config.anchors,
    crls: config.crls,
    validateChain: config.validateChain,
    provider: config.provider ?? "default",
    policy,
    modes,
  };
}

export const suiteOf = (ctx: Context, id: SuiteId): Suite => getSuite(id, ctx.provider);

/** SHA-256, which every suite shares, for transcripts. */
export const hashOf = (ctx: Context): Hash => suiteOf(ctx, ctx.policy.suites[0]).hash;

// Preparing a JID (PRECIS, IDNA) is costly and the same few addresses recur: a bounded memo.
const bareForms = new Map<string, string | null>();
const BARE_FORMS = 256;

/** The canonical bare form of JID text, or null when it does not parse. */
function bareForm(text: string): string | null {
  let form = bareForms.get(text);
  if (form === undefined) {
    const parsed = tryParseJid(text);
    form = parsed.ok ? formatJid(bareJid(parsed.value)) : null;
    if (bareForms.size >= BARE_FORMS) bareForms.delete(bareForms.keys().next().value!);
    bareForms.set(text, form);
  }
  return form;
}

/** Bare-JID equality; anything that does not parse equals nothing. */
export function sameBareJid(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = bareForm(a);
  return x !== null && x === bareForm(b);
}

/** Validates the peer's chain at `now`; pki/* codes pass through unchanged. */
// spec: PAPER-M2 PAPER-M7 PAPER-TA2
export function validatePeer(
  ctx: Context,
  chain: readonly CertificateDer[],
  now: number,
): Result<PeerIdentity> {
  const result = ctx.validateChain(chain, {
    anchors: ctx.anchors,
    now,
    crls: ctx.crls,
    requiredEku: ctx.policy.requiredEku,
    allowedSuites: ctx.policy.certificateSuites,
    requireCrl: ctx.policy.requireCrl,
  });
  if (!result.ok) return result;
  if (result.value.jid === undefined) {
    return fail(AProfileError["wrong-peer"], "the peer certificate carries no JID");
  }
  return result;
}
