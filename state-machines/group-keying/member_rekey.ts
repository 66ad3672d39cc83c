/**
 * How a member takes a rekey (GROUPKEY-PUSH style, RFC 6407 §4), in this
 * order: the sequence number must be above the last one accepted
 * (`gdoi/rekey-replayed`, `gdoi/rekey-stale`); the key server's signature
 * must verify (`gdoi/bad-signature`); then the tree change is applied, new
 * traffic keys are unwrapped with the new root, retired keys are withdrawn.
 * Nothing changes unless all of it succeeds.
 *
 * A member left without the new root — evicted, or too far behind to follow
 * — is `excluded`: it forgets its keys and reports it, and may register again
 * (RFC 6407 §4: a member that misses rekeys re-registers).
 *
 * @module
 */
import { concat } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { addKeys, EMPTY_KEYRING, expireKeys, retireKeys } from "./keyring.ts";
import { type TrafficKey, unwrapTeks } from "./keywrap.ts";
import { applyTreeUpdate, isComplete, rootOf } from "./lkh_member.ts";
import { type Rekey, SIGNATURE_LABEL } from "./messages.ts";
import { checkTeks } from "./member_registration.ts";
import type { MemberOutput, MemberState } from "./member_types.ts";

type Step = { state: MemberState; out: MemberOutput[] };

// spec: RFC6407-4 RFC6407-4.seq RFC6407-4.sig RFC2627-leave PAPER-R4b PAPER-R6b
export function onRekey(state: MemberState, m: Rekey, signed: Uint8Array, now: number): Step {
  const { suite } = state;
  // spec: RFC6407-4.seq
  if (m.seq === state.seq) throw new DerlinkError(GdoiError["rekey-replayed"], `seq ${m.seq}`);
  if (m.seq < state.seq) {
    throw new DerlinkError(GdoiError["rekey-stale"], `seq ${m.seq} below ${state.seq}`);
  }
  // spec: RFC6407-4.sig
  if (!suite.sig.verify(state.serverKey!, concat(SIGNATURE_LABEL.rekey, signed), m.signature)) {
    throw new DerlinkError(GdoiError["bad-signature"], "rekey");
  }
  const info = state.info!;
  const keys = applyTreeUpdate(suite, info.groupId, state.keys!, m);
  const root = rootOf(keys);
  const rootRenewed = m.wraps.find((w) => w.target.level === m.height && w.target.pos === 0);
  let excluded = !isComplete(keys) || !root ||
    (rootRenewed !== undefined && root.version !== rootRenewed.targetVersion);
  let teks: TrafficKey[] = [];
  if (!excluded && m.tekBundle) {
    if (root!.version !== m.tekBundle.rootVersion) excluded = true;
    else {
      try {
        teks = unwrapTeks(suite, info.groupId, m.teks, m.tekBundle, root!.key);
      } catch {
        throw new DerlinkError(GdoiError["unwrap-failed"], "traffic keys");
      }
    }
  }
  // spec: PD-123
  if (excluded) {
    return {
      state: {
        ...state,
        phase: "excluded",
        now,
        seq: m.seq,
        keys: undefined,
        keyring: EMPTY_KEYRING,
      },
      out: [{ type: "event", event: { type: "excluded", seq: m.seq } }],
    };
  }
  checkTeks(info, teks);
  const keyring = expireKeys(addKeys(retireKeys(state.keyring, m.retire), teks), now);
  return {
    state: { ...state, now, seq: m.seq, keys, keyring },
    out: [{
      type: "event",
      event: { type: "rekeyed", seq: m.seq, keyIds: teks.map((t) => t.keyId) },
    }],
  };
}
