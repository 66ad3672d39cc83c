/**
 * The ACL as the receiving role's stanza policy (PD-211): plug it into any
 * receiver configuration — the in-memory router takes it through its
 * `receiver` option:
 *
 * ```ts
 * const router = new MemoryRouter({ ..., receiver: { stanzaPolicy: aclStanzaPolicy(acl) } });
 * ```
 *
 * @module
 */
import type { StanzaPolicy } from "../../state-machines/xmpp-stream/policy.ts";
import { decide } from "./decide.ts";
import { stanzaFacts } from "./stanza.ts";
import type { Acl } from "./types.ts";

/** A receiver policy enforcing `acl` on every stamped client stanza. */
// spec: DL-ACL-7 DL-ACL-8 PD-211
export function aclStanzaPolicy(acl: Acl): StanzaPolicy {
  return (stanza) => {
    const facts = stanzaFacts(stanza);
    if (!facts) return undefined;
    const d = decide(acl, facts);
    return d.allow ? undefined : { condition: d.condition, code: d.code };
  };
}
