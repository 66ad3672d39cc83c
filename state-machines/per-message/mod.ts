/**
 * Public API of per-message protection (RFC 3923-style end-to-end signing
 * and encryption with the EC suites, PD-225..PD-229, PD-232, PD-233): the
 * channel machine, its configuration and outputs, the wire form, the
 * in-process key agreement, and the driver. See docs/options-design.md.
 *
 * @module
 */
export { PerMessageError, type PerMessageErrorCode } from "./errors.ts";
export { perMessage as perMessageChannel, restart, TRANSITIONS } from "./machine.ts";
export {
  type ChainCarriage,
  DEFAULT_POLICY,
  type KeyAgreementFn,
  type PerMessageConfig,
  type PerMessageInput,
  type PerMessageOutput,
  type PerMessagePolicy,
  type PerMessageState,
  PHASES,
  type ReceiveState,
} from "./types.ts";
export { decode, encode, type Header, NS, signedBytes, type SignedMessage } from "./wire.ts";
export { localAgreement } from "./seal.ts";
export { ChannelPair, driveSigned } from "./driver.ts";
