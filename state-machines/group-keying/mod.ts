/**
 * Public API of group keying: the key server and member machines, their
 * configuration and messages, group policies, group-protected messages, the
 * XML carriage for XMPP, and the LKH tree. See docs/group-keying.md.
 *
 * @module
 */
export { KEY_SERVER_TRANSITIONS, keyServer } from "./key_server.ts";
export {
  KEY_SERVER_PHASES,
  type KeyServerConfig,
  type KeyServerInput,
  type KeyServerOutput,
  type KeyServerPhase,
  type KeyServerState,
  type RekeyStats,
  type Signer as GdoiSigner,
} from "./key_server_types.ts";
export { member, MEMBER_TRANSITIONS } from "./member.ts";
export {
  MEMBER_PHASES,
  type MemberConfig,
  type MemberEvent,
  type MemberInput,
  type MemberOutput,
  type MemberPhase,
  type MemberState,
} from "./member_types.ts";
export { GdoiError, type GdoiErrorCode, GroupError, type GroupErrorCode } from "./errors.ts";
export {
  type GroupInfo,
  type GroupPolicy,
  type ProtectionId,
  PROTECTIONS,
  type StreamPolicy,
} from "./policy.ts";
export type { TekAttributes, TrafficKey } from "./keywrap.ts";
export { decodeSpdu, openSpdu, protectSpdu, type SpduHeader } from "./spdu.ts";
export { currentKey, EMPTY_KEYRING, type Keyring, receiveSpdu, sendSpdu } from "./keyring.ts";
export {
  GDOI_NS,
  gdoiElement,
  gdoiFromElement,
  GROUP_NS,
  spduElement,
  spduFromElement,
} from "./xml.ts";
export { decodeMessage as decodeGdoiMessage, type GdoiMessage } from "./messages.ts";
export { heightFor, LkhTree } from "./lkh.ts";
export { memberFromSnapshot, type MemberSnapshot, memberSnapshot } from "./snapshot.ts";
