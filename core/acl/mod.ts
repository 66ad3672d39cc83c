/**
 * Option 1 of the paper's §V: the XMPP server enforces the grid operator's
 * access-control list. Parse the file (parse.ts), decide stanzas
 * (decide.ts), enforce in derlink's receiver and in-memory router
 * (policy.ts), or compile for Prosody's mod_firewall (prosody.ts). See
 * docs/access-control.md.
 *
 * @module
 */
export { AclError, type AclErrorCode } from "./errors.ts";
export type { Acl, AddressRule, NodeRule, Principals, RoomRule } from "./types.ts";
export { parseAcl } from "./parse.ts";
export { decide, type Decision, type StanzaFacts } from "./decide.ts";
export { stanzaFacts } from "./stanza.ts";
export { aclStanzaPolicy } from "./policy.ts";
export { compileProsodyFirewall, type FirewallFiles, firewallHostLua } from "./prosody.ts";
