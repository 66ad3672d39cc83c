/**
 * Shared set-up of the group-keying benchmarks: a key server holding N
 * members (its tree filled in bulk, its registry with synthetic JIDs, no
 * registrations run), a member's state at a given leaf, and the flat
 * per-member rekey used as the baseline — the new group key wrapped under
 * every remaining member's individual key with the same AES-GCM wrap, in one
 * signed message, so both are measured with identical primitives.
 *
 * @module
 */
import { concat } from "../core/bytes.ts";
import { SeededEntropy } from "../core/entropy.ts";
import { keyServer } from "../state-machines/group-keying/key_server.ts";
import type { KeyServerState } from "../state-machines/group-keying/key_server_types.ts";
import { addKeys, EMPTY_KEYRING } from "../state-machines/group-keying/keyring.ts";
import { type NodeWrap, wrapNodeKey } from "../state-machines/group-keying/keywrap.ts";
import { LkhTree } from "../state-machines/group-keying/lkh.ts";
import { memberKeysFrom } from "../state-machines/group-keying/lkh_member.ts";
import type { MemberState } from "../state-machines/group-keying/member_types.ts";
import {
  rekeyBody,
  SIGNATURE_LABEL,
  withSignature,
} from "../state-machines/group-keying/messages.ts";
import { groupInfoOf } from "../state-machines/group-keying/policy.ts";
import { MemberRegistry } from "../state-machines/group-keying/registry.ts";
import { groupFixture, T0 } from "../state-machines/group-keying/testing.ts";

export const fixture = groupFixture({ jids: ["pub@grid.example"], seed: "bench" });

/** The synthetic JID of member number i. */
export const jidOf = (i: number): string => `der${i}@grid.example`;

/** A key server with members der0 … der{n-1} at leaves 0 … n-1. */
export function bulkKeyServer(n: number, seed = "bench"): KeyServerState {
  const ks = keyServer.init(fixture.ksConfig(seed));
  const tree = LkhTree.create(ks.config.policy.kekLength, new SeededEntropy(`tree/${seed}`), n);
  const registry = new MemberRegistry();
  for (let i = 0; i < n; i++) registry.add(jidOf(i), i);
  return { ...ks, tree, registry };
}

/** The state of the member at `leaf`, as if it had registered. */
export function memberAt(ks: KeyServerState, leaf: number): MemberState {
  const config = fixture.memberConfig("pub@grid.example", `bench-member-${leaf}`);
  return {
    phase: "member",
    config: { ...config, jid: jidOf(leaf) },
    suite: ks.suite,
    now: ks.now,
    serverKey: fixture.ks.key.publicKey,
    info: groupInfoOf(ks.config.policy),
    seq: ks.seq,
    keys: memberKeysFrom(leaf, ks.tree.height, ks.tree.pathKeys(leaf)),
    keyring: addKeys(EMPTY_KEYRING, ks.teks),
  };
}

/** The flat baseline: a new group key for each remaining member under its own key. */
export function flatRekey(ks: KeyServerState, evicted: ReadonlySet<number>): {
  data: Uint8Array;
  wraps: number;
} {
  const { suite, tree, config } = ks;
  const groupId = config.policy.groupId;
  const root = { level: tree.height, pos: 0 };
  const version = tree.lastVersion + 1;
  const key = config.entropy.bytes(tree.kekLength);
  const wraps: NodeWrap[] = [];
  for (let leaf = 0; leaf < tree.capacity; leaf++) {
    if (!tree.isOccupied(leaf) || evicted.has(leaf)) continue;
    const k = tree.nodeKey(0, leaf);
    wraps.push(
      wrapNodeKey(suite, groupId, root, version, key, { level: 0, pos: leaf }, k.version, k.key),
    );
  }
  const body = rekeyBody({
    groupId,
    seq: ks.seq + 1,
    issuedAt: T0,
    height: tree.height,
    moves: [],
    wraps,
    teks: [],
    retire: [],
  });
  return {
    data: withSignature(body, config.sign(concat(SIGNATURE_LABEL.rekey, body))),
    wraps: wraps.length,
  };
}
