/**
 * The group policy the grid operator provisions on the key server, and the
 * part of it members receive: which JIDs may join the group, which streams
 * (Stream-IDs) it protects, how, and who publishes on each.
 *
 * Authorisation is per group (PD-113): every member of a group receives the
 * traffic keys of all its streams; audiences that must differ get separate
 * groups, as RFC 8052 binds one GDOI group to a set of IEC 61850 streams.
 *
 * @module
 */
import { bareJid } from "./jid.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { isSuiteId } from "../../core/crypto/suite.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";

/**
 * Protection of group-protected messages (PD-118): integrity only with
 * HMAC-SHA-256 truncated to 128 bits or AES-GMAC, or AES-GCM for
 * confidentiality and integrity. Wire codes in {@link PROTECTION_CODES}.
 */
export type ProtectionId = "hmac-sha256-128" | "aes-gmac-128" | "aes-128-gcm" | "aes-256-gcm";

export const PROTECTIONS: readonly ProtectionId[] = [
  "hmac-sha256-128",
  "aes-gmac-128",
  "aes-128-gcm",
  "aes-256-gcm",
];

export const PROTECTION_CODES: Readonly<Record<ProtectionId, number>> = {
  "hmac-sha256-128": 1,
  "aes-gmac-128": 2,
  "aes-128-gcm": 3,
  "aes-256-gcm": 4,
};

/** Traffic key length of each protection, bytes. */
export const TEK_LENGTH: Readonly<Record<ProtectionId, number>> = {
  "hmac-sha256-128": 32,
  "aes-gmac-128": 16,
  "aes-128-gcm": 16,
  "aes-256-gcm": 32,
};

export const isProtectionId = (p: unknown): p is ProtectionId =>
  typeof p === "string" && (PROTECTIONS as readonly string[]).includes(p);

/** The protection with this wire code, if any. */
export function protectionOfCode(code: number): ProtectionId | undefined {
  return PROTECTIONS.find((p) => PROTECTION_CODES[p] === code);
}

/** True when the protection encrypts the payload. */
export const isConfidential = (p: ProtectionId): boolean =>
  p === "aes-128-gcm" || p === "aes-256-gcm";

/** One protected stream of a group (an IEC 61850 multicast data flow, RFC 8052 style). */
export interface StreamPolicy {
  readonly streamId: string;
  readonly protection: ProtectionId;
  /** Bare JIDs that may send on this stream (the MUC moderator / publisher). */
  readonly publishers: readonly string[];
}

/** What members learn about their group at registration. */
export interface GroupInfo {
  readonly groupId: string;
  readonly suite: SuiteId;
  /** Length of key-encryption keys (LKH node keys), bytes. */
  readonly kekLength: 16 | 32;
  readonly streams: readonly StreamPolicy[];
}

/** The full policy, held by the key server only. */
export interface GroupPolicy extends GroupInfo {
  /** Bare JIDs allowed to join (publishers included), provisioned by the grid operator. */
  readonly members: readonly string[];
  /** Lifetime of each traffic key, ms. */
  readonly tekLifetimeMs: number;
  /** How long before a traffic key expires its successor is pushed, ms. */
  readonly tekLeadMs: number;
}

const MAX_NAME = 255;

/** Checks a policy once, when a machine is configured. */
// spec: RFC8052-stream PD-113
export function checkGroupInfo(info: GroupInfo): void {
  const bad = (detail: string) => new DerlinkError(GdoiError["invalid-config"], detail);
  if (typeof info.groupId !== "string" || info.groupId.length === 0) throw bad("empty group id");
  if (new TextEncoder().encode(info.groupId).length > MAX_NAME) throw bad("group id too long");
  if (!isSuiteId(info.suite)) throw bad(`unknown suite ${info.suite}`);
  if (info.kekLength !== 16 && info.kekLength !== 32) throw bad("kekLength must be 16 or 32");
  if (!Array.isArray(info.streams) || info.streams.length === 0) throw bad("no streams");
  if (info.streams.length > 255) throw bad("more than 255 streams");
  const seen = new Set<string>();
  for (const s of info.streams) {
    if (typeof s.streamId !== "string" || s.streamId.length === 0) throw bad("empty stream id");
    if (new TextEncoder().encode(s.streamId).length > MAX_NAME) throw bad("stream id too long");
    if (seen.has(s.streamId)) throw bad(`stream ${s.streamId} listed twice`);
    seen.add(s.streamId);
    if (!isProtectionId(s.protection)) throw bad(`unknown protection ${s.protection}`);
    if (!Array.isArray(s.publishers) || s.publishers.length > 255) throw bad("bad publishers");
  }
}

export function checkGroupPolicy(policy: GroupPolicy): void {
  checkGroupInfo(policy);
  const bad = (detail: string) => new DerlinkError(GdoiError["invalid-config"], detail);
  if (!Array.isArray(policy.members)) throw bad("members must be a list");
  if (!(policy.tekLifetimeMs > 0) || !Number.isSafeInteger(policy.tekLifetimeMs)) {
    throw bad("tekLifetimeMs must be a positive integer");
  }
  if (!(policy.tekLeadMs >= 0) || policy.tekLeadMs >= policy.tekLifetimeMs) {
    throw bad("tekLeadMs must be in [0, tekLifetimeMs)");
  }
}

/** The member-visible part of a policy. */
export const groupInfoOf = (p: GroupPolicy): GroupInfo => ({
  groupId: p.groupId,
  suite: p.suite,
  kekLength: p.kekLength,
  streams: p.streams,
});

/** True when the policy lets `jid` (compared as a bare JID) join. */
// spec: RFC6407-3.authz PAPER-M5 PAPER-TA4
export function mayJoin(policy: GroupPolicy, jid: string): boolean {
  const bare = bareJid(jid);
  return policy.members.some((m) => bareJid(m) === bare);
}

/** True when `jid` may publish on `streamId`. */
export function mayPublish(info: GroupInfo, streamId: string, jid: string): boolean {
  const stream = info.streams.find((s) => s.streamId === streamId);
  const bare = bareJid(jid);
  return stream !== undefined && stream.publishers.some((p) => bareJid(p) === bare);
}
