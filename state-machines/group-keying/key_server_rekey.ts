/**
 * How the key server builds one rekey (GROUPKEY-PUSH style, RFC 6407 §4):
 * update the key tree for the evictions and the join, draw new traffic keys
 * with fresh key IDs for every stream, wrap them under the new root, name the
 * retired keys, take the next sequence number and sign.
 *
 * Counters are checked before anything changes, so a refused rekey leaves
 * the key server as it was.
 *
 * @module
 */
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { type TrafficKey, wrapTeks } from "./keywrap.ts";
import type { TreeUpdate } from "./lkh.ts";
import { rekeyBody, SIGNATURE_LABEL, withSignature } from "./messages.ts";
import { TEK_LENGTH } from "./policy.ts";
import { concat } from "../../core/bytes.ts";
import type { KeyServerOutput, KeyServerState } from "./key_server_types.ts";

const MAX_U32 = 0xffffffff;

export interface RekeyPlan {
  /** Members to remove (bare JIDs, all registered). */
  readonly evict: readonly string[];
  /** Members to add (bare JIDs, none registered), in the order their leaves are given. */
  readonly joins: readonly string[];
  /** Withdraw the traffic keys in force at once (evictions do; joins and rotations do not). */
  readonly retireOld: boolean;
  readonly now: number;
}

export interface RekeyResult {
  readonly state: KeyServerState;
  readonly out: KeyServerOutput[];
  /** The leaves given to the plan's joins, in their order. */
  readonly joinedLeaves: readonly number[];
  /** The traffic keys this rekey introduced. */
  readonly newTeks: readonly TrafficKey[];
}

/** Builds, signs and emits one rekey; throws `gdoi/exhausted` before changing anything. */
// spec: RFC6407-4 RFC6407-4.seq RFC8052-stream PAPER-M5 PAPER-R4b PAPER-R6b
export function issueRekey(state: KeyServerState, plan: RekeyPlan): RekeyResult {
  const { config, suite, tree, registry } = state;
  const policy = config.policy;
  if (state.seq >= MAX_U32) throw new DerlinkError(GdoiError.exhausted, "rekey sequence");
  if (state.nextKeyId + policy.streams.length > MAX_U32) {
    throw new DerlinkError(GdoiError.exhausted, "key IDs");
  }
  const leaves = plan.evict.map((jid) => registry.leafOf(jid)!);
  const joins = plan.joins.length;
  const update: TreeUpdate = leaves.length + joins > 0
    ? tree.update({
      evict: leaves,
      joins,
      suite,
      groupId: policy.groupId,
      entropy: config.entropy,
    })
    : { height: tree.height, moves: [], joined: [], wraps: [] };
  for (const jid of plan.evict) registry.remove(jid);
  registry.applyMoves(update.moves);
  plan.joins.forEach((jid, i) => registry.add(jid, update.joined[i]));

  // spec: RFC8052-keyid RFC8052-lifetime PD-117
  let nextKeyId = state.nextKeyId;
  const newTeks: TrafficKey[] = policy.streams.map((s) => ({
    keyId: nextKeyId++,
    streamId: s.streamId,
    protection: s.protection,
    notBefore: plan.now,
    notAfter: plan.now + policy.tekLifetimeMs,
    key: config.entropy.bytes(TEK_LENGTH[s.protection]),
  }));
  const root = tree.root();
  const tekBundle = wrapTeks(suite, policy.groupId, newTeks, root.version, root.key);
  // spec: RFC6407-5.delete PAPER-R4b
  const retire = plan.retireOld ? state.teks.map((t) => t.keyId) : [];
  const kept = plan.retireOld ? [] : state.teks.filter((t) => t.notAfter > plan.now);
  const seq = state.seq + 1;
  const body = rekeyBody({
    groupId: policy.groupId,
    seq,
    issuedAt: plan.now,
    height: update.height,
    moves: update.moves,
    wraps: update.wraps,
    teks: newTeks.map(({ key: _k, ...attributes }) => attributes),
    tekBundle,
    retire,
  });
  // spec: RFC6407-4.sig
  const data = withSignature(body, signWith(state, concat(SIGNATURE_LABEL.rekey, body)));
  const out: KeyServerOutput[] = [{
    type: "rekey",
    seq,
    data,
    stats: {
      wraps: update.wraps.length + 1,
      moves: update.moves.length,
      bytes: data.length,
    },
  }];
  for (const jid of plan.evict) out.push({ type: "member-removed", jid });
  const next: KeyServerState = {
    ...state,
    now: plan.now,
    seq,
    nextKeyId,
    teks: [...kept, ...newTeks],
  };
  return { state: next, out, joinedLeaves: update.joined, newTeks };
}

/** Signs with the injected signer; a throwing signer is `gdoi/signer-failed` (the server halts). */
export function signWith(state: KeyServerState, data: Uint8Array): Uint8Array {
  try {
    return state.config.sign(data);
  } catch (e) {
    throw new DerlinkError(GdoiError["signer-failed"], e instanceof Error ? e.message : "");
  }
}

/** When the next rotation is due: the earliest newest-key expiry minus the lead time. */
export function nextRotation(state: KeyServerState): number {
  const { streams, tekLeadMs } = state.config.policy;
  let at = Infinity;
  for (const s of streams) {
    const newest = state.teks.filter((t) => t.streamId === s.streamId)
      .reduce((a, t) => Math.max(a, t.notAfter), -Infinity);
    at = Math.min(at, newest - tekLeadMs);
  }
  return at;
}
