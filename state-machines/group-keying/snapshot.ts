/**
 * A member's state as JSON (keys in hex), so vectors can start a member in a
 * given state and an implementation in another language can load it. The
 * snapshot holds secrets — it is for test vectors and debugging only.
 *
 * @module
 */
import { fromHex, toHex } from "../../core/bytes.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { fail } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import type { Keyring } from "./keyring.ts";
import type { TrafficKey } from "./keywrap.ts";
import type { PathKey } from "./lkh.ts";
import type { GroupInfo, ProtectionId } from "./policy.ts";
import type { MemberConfig, MemberState } from "./member_types.ts";

export interface TrafficKeyJson {
  readonly keyId: number;
  readonly streamId: string;
  readonly protection: ProtectionId;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly key: string;
}

export interface MemberSnapshot {
  readonly jid: string;
  readonly groupId: string;
  readonly suite: SuiteId;
  readonly keyServerJid: string;
  readonly serverKey: string;
  readonly info: {
    readonly kekLength: 16 | 32;
    readonly streams: GroupInfo["streams"];
  };
  readonly seq: number;
  readonly now: number;
  readonly maxSkewMs?: number;
  readonly keys: {
    readonly leaf: number;
    readonly height: number;
    readonly path: readonly {
      readonly level: number;
      readonly pos: number;
      readonly version: number;
      readonly key: string;
    }[];
  };
  readonly keyring: {
    readonly keys: readonly TrafficKeyJson[];
    readonly retired?: readonly number[];
    readonly lastSeen?: Readonly<Record<string, number>>;
    readonly sent?: Readonly<Record<string, number>>;
  };
}

export const tekToJson = (k: TrafficKey): TrafficKeyJson => ({ ...k, key: toHex(k.key) });
export const tekFromJson = (k: TrafficKeyJson): TrafficKey => ({ ...k, key: fromHex(k.key) });

/** Snapshot of a member in phase `member`. */
export function memberSnapshot(state: MemberState): MemberSnapshot {
  const { config, keys, keyring, info } = state;
  if (state.phase !== "member" || !keys || !info || !state.serverKey) {
    throw new Error(`cannot snapshot a member in phase ${state.phase}`);
  }
  return {
    jid: config.jid,
    groupId: config.groupId,
    suite: config.suite,
    keyServerJid: config.keyServerJid,
    serverKey: toHex(state.serverKey),
    info: { kekLength: info.kekLength, streams: info.streams },
    seq: state.seq,
    now: state.now,
    maxSkewMs: config.maxSkewMs,
    keys: {
      leaf: keys.leaf,
      height: keys.height,
      path: keys.path.filter((k) => k !== undefined).map((k) => ({ ...k!, key: toHex(k!.key) })),
    },
    keyring: {
      keys: keyring.keys.map(tekToJson),
      retired: keyring.retired,
      lastSeen: keyring.lastSeen,
      sent: keyring.sent,
    },
  };
}

/**
 * A member in phase `member` from a snapshot. Its configuration can neither
 * register nor sign (it refuses with `gdoi/invalid-config`): vectors only
 * feed it rekeys and protected messages.
 */
export function memberFromSnapshot(s: MemberSnapshot): MemberState {
  const config: MemberConfig = {
    jid: s.jid,
    groupId: s.groupId,
    suite: s.suite,
    keyServerJid: s.keyServerJid,
    chain: [],
    sign: () => {
      throw new Error("a snapshot member cannot sign");
    },
    anchors: [],
    validateChain: () => fail(GdoiError["invalid-config"], "a snapshot member validates nothing"),
    entropy: new SeededEntropy("snapshot"),
    maxSkewMs: s.maxSkewMs,
  };
  const byLevel: (PathKey | undefined)[] = [];
  for (const k of s.keys.path) byLevel[k.level] = { ...k, key: fromHex(k.key) };
  const lastSeen = s.keyring.lastSeen ?? {};
  const sent: Record<number, number> = {};
  for (const [k, v] of Object.entries(s.keyring.sent ?? {})) sent[Number(k)] = v;
  const keyring: Keyring = {
    keys: s.keyring.keys.map(tekFromJson),
    retired: s.keyring.retired ?? [],
    lastSeen,
    sent,
  };
  return {
    phase: "member",
    config,
    suite: getSuite(s.suite),
    now: s.now,
    serverKey: fromHex(s.serverKey),
    info: { groupId: s.groupId, suite: s.suite, ...s.info },
    seq: s.seq,
    keys: { leaf: s.keys.leaf, height: s.keys.height, path: byLevel },
    keyring,
  };
}
