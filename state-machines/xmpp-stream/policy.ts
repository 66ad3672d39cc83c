/**
 * The receiving role's stanza policy hook (PD-211): after the server has
 * stamped `from` on a stanza a bound client sent, an optional policy from the
 * configuration (e.g. the grid operator's ACL, core/acl/) may refuse it. A
 * refused stanza is not passed on; the client gets a stanza error with the
 * policy's condition (forbidden: type auth; not-allowed: type cancel) and the
 * policy's code as `<text/>`, unless the stanza was itself an error or an iq
 * result, which is never answered with an error. Either way the code comes
 * out as an error output for the application (router, logs).
 *
 * @module
 */
import type { Element } from "ltx";
import { errorOutput } from "../../core/machine.ts";
import type { ErrorCode } from "../../core/errors.ts";
import { NS, stanzaError, type Xel } from "./messages.ts";
import { applyReceiverSession, receiverSessionCtx } from "./receiver_state.ts";
import type { ReceiverState, ReceiverStep } from "./receiver_state.ts";
import { sessionCountInbound, sessionSend } from "./session.ts";
import type { SessionState } from "./session_types.ts";

/** Why a policy refuses a stanza. `detail` is for logs; never a secret. */
export interface StanzaRefusal {
  readonly condition: "forbidden" | "not-allowed";
  readonly code: ErrorCode;
  readonly detail?: string;
}

/** A server-side policy over stamped client stanzas; undefined lets the stanza through. */
export type StanzaPolicy = (stanza: Xel) => StanzaRefusal | undefined;

/** The step when `policy` refuses the stamped stanza, or undefined when it passes. */
// spec: DL-ACL-7 PD-211
export function refuseByPolicy(
  s: ReceiverState,
  session: SessionState,
  stamped: Xel,
  policy: StanzaPolicy,
): ReceiverStep | undefined {
  const refusal = policy(stamped);
  if (!refusal) return undefined;
  const out = [errorOutput(refusal.code, refusal.detail ?? refusal.condition)];
  const type = stamped.attrs.type;
  // spec: RFC6120-8.3.1
  if (type === "error" || (stamped.name === "iq" && type === "result")) {
    return applyReceiverSession(
      s,
      { session: sessionCountInbound(session), send: [], out: [] },
      out,
    );
  }
  // spec: RFC6120-8.3.2 RFC6120-8.3.3.6 RFC6120-8.3.3.12
  const reply = stanzaError(
    stamped,
    refusal.condition === "forbidden" ? "auth" : "cancel",
    refusal.condition,
  );
  (reply as unknown as Element).getChild("error")?.c("text", { xmlns: NS.stanzas }).t(refusal.code);
  return applyReceiverSession(
    s,
    sessionSend(sessionCountInbound(session), reply, receiverSessionCtx(s)),
    out,
  );
}
