/**
 * Admissions: members whose registration proof the key server accepted,
 * and the rekey that joins them (PD-267).
 *
 * With no batch window (the default) an admitted member joins the tree at
 * once, in a rekey of its own. With a window, it waits: every member
 * admitted within `joinBatchMs` of the first waiting one joins in one rekey
 * (the LKH update takes several joins at once, PD-114), and any rekey the
 * server issues earlier — an eviction, a rotation — takes the waiting ones
 * along. Each joiner then gets its key download, sealed under the key of its
 * own registration: the path keys after that rekey and the traffic keys it
 * introduced, nothing that protected earlier traffic (backward access
 * control holds as with one rekey per join: until its rekey, a waiting
 * member holds no group key at all). Waiting costs the joiner at most the
 * window; it saves every present member one signature check and its unwraps
 * per join folded in.
 *
 * @module
 */
import { issueRekey } from "./key_server_rekey.ts";
import { encodeKeyDownload, sealKeyDownload } from "./key_download.ts";
import { encodeKeys, keysHeader } from "./messages.ts";
import {
  type Admission,
  type KeyServerOutput,
  type KeyServerState,
  KS_DEFAULTS,
} from "./key_server_types.ts";

type Step = { state: KeyServerState; out: KeyServerOutput[] };

export const joinBatchMsOf = (s: KeyServerState): number =>
  s.config.joinBatchMs ?? KS_DEFAULTS.joinBatchMs;

/** When the waiting admissions must be joined; Infinity when none waits. */
export function admissionsDue(s: KeyServerState): number {
  return s.admitting.length === 0 ? Infinity : s.admitting[0].at + joinBatchMsOf(s);
}

/**
 * Admits a member whose proof was accepted (replacing an earlier admission
 * of the same JID, whose member has registered again since). Without a batch
 * window its rekey and key download follow at once.
 */
// spec: PD-267 RFC6407-4.bwd
export function admit(state: KeyServerState, a: Admission, now: number): Step {
  const admitting = [...state.admitting.filter((x) => x.jid !== a.jid), a];
  const next: KeyServerState = { ...state, now, admitting };
  if (joinBatchMsOf(state) === 0) return issueJoining(next, { evict: [], retireOld: false, now });
  return { state: next, out: [] };
}

/**
 * Issues one rekey for `plan` that also joins every waiting admission, and
 * each joiner's key download. A member registering again leaves its old leaf
 * in the same rekey and the old traffic keys are retired (PD-123).
 */
// spec: PD-267 PD-123 RFC6407-3.kd RFC6407-4.bwd RFC2627-join
export function issueJoining(
  state: KeyServerState,
  plan: { readonly evict: readonly string[]; readonly retireOld: boolean; readonly now: number },
): Step {
  const { config, registry } = state;
  const joins = state.admitting;
  const again = joins.map((a) => a.jid).filter((j) =>
    registry.leafOf(j) !== undefined && !plan.evict.includes(j)
  );
  const rekeyed = issueRekey({ ...state, admitting: [] }, {
    evict: [...plan.evict, ...again],
    joins: joins.map((a) => a.jid),
    retireOld: plan.retireOld || again.length > 0,
    now: plan.now,
  });
  const tree = rekeyed.state.tree;
  const keys: KeyServerOutput[] = joins.map((a, i) => {
    // Only the traffic keys this rekey introduced: nothing that protected earlier traffic.
    // spec: RFC6407-3.kd RFC6407-4.seq RFC6407-4.bwd
    const leaf = rekeyed.joinedLeaves[i];
    const plain = encodeKeyDownload({
      seq: rekeyed.state.seq,
      leaf,
      height: tree.height,
      path: tree.pathKeys(leaf),
      teks: rekeyed.newTeks,
    }, tree.kekLength);
    const aad = keysHeader(config.policy.groupId, a.ni, a.nr);
    const sealed = sealKeyDownload(a.sessionKey, plain, aad, state.suite);
    plain.fill(0);
    const data = encodeKeys({ groupId: config.policy.groupId, ni: a.ni, nr: a.nr, sealed });
    return { type: "send", to: a.jid, message: "keys", data };
  });
  const added: KeyServerOutput[] = joins.map((a, i) => ({
    type: "member-added",
    jid: a.jid,
    leaf: rekeyed.joinedLeaves[i],
  }));
  return { state: rekeyed.state, out: [...keys, ...rekeyed.out, ...added] };
}
