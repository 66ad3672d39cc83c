/**
 * Public API of the A-profile (62351-4-style end-to-end association): the
 * initiator and responder machines, their configuration, inputs and outputs,
 * the default in-process signer, and the wire form. See docs/a-profile.md.
 *
 * @module
 */
export { AProfileError, type AProfileErrorCode } from "./errors.ts";
export {
  initiator as aProfileInitiator,
  INITIATOR_PHASES as A_PROFILE_INITIATOR_PHASES,
  INITIATOR_TRANSITIONS as A_PROFILE_INITIATOR_TRANSITIONS,
  type InitiatorPhase as AProfileInitiatorPhase,
  type InitiatorState as AProfileInitiatorState,
} from "./initiator.ts";
export {
  responder as aProfileResponder,
  RESPONDER_PHASES as A_PROFILE_RESPONDER_PHASES,
  RESPONDER_TRANSITIONS as A_PROFILE_RESPONDER_TRANSITIONS,
  type ResponderPhase as AProfileResponderPhase,
  type ResponderState as AProfileResponderState,
} from "./responder.ts";
export {
  type AProfileInput,
  type AProfileOutput,
  type AProfilePolicy,
  type CommonConfig as AProfileCommonConfig,
  DEFAULT_POLICY as A_PROFILE_DEFAULT_POLICY,
  type InitiatorConfig as AProfileInitiatorConfig,
  isConfidential,
  type LocalSigner,
  type MessageKind as AProfileMessageKind,
  type ModeId,
  MODES as A_PROFILE_MODES,
  type ReplayCacheState,
  type ResponderConfig as AProfileResponderConfig,
} from "./types.ts";
export {
  driveStep as aProfileDriveStep,
  localSigner,
  type Signer as AProfileSigner,
} from "./driver.ts";
export {
  decodeMessage as decodeAProfileMessage,
  encodePdu,
  encodeRequest,
  encodeResponse,
  type Message as AProfileMessage,
  type Pdu,
  type PduKind,
} from "./messages.ts";
export { NS as A_PROFILE_NS, type XmlElement } from "./xml.ts";
export type { RequestToken, ResponseToken, SignedRequest, SignedResponse } from "./tokens.ts";
