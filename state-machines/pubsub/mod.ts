/**
 * Public API of the market: the XEP-0060 publisher (market operator) and
 * subscriber (DER) machines, signed tariffs (canonical bytes, envelope,
 * verification) and their error codes.
 *
 * @module
 */
export { publisher, PUBLISHER_TRANSITIONS } from "./publisher.ts";
export { subscriber, SUBSCRIBER_TRANSITIONS } from "./subscriber.ts";
export {
  PUBLISHER_PHASES,
  type PublisherConfig,
  type PublisherEvent,
  type PublisherInput,
  type PublisherOutput,
  type PublisherState,
  SUBSCRIBER_PHASES,
  type SubscriberConfig,
  type SubscriberEvent,
  type SubscriberInput,
  type SubscriberOutput,
  type SubscriberState,
  type TariffDraft,
} from "./types.ts";
export {
  checkTariff,
  decodeTariff,
  encodeTariff,
  MAX_SLOTS,
  priceAt,
  type Tariff,
  validUntil,
} from "./tariff.ts";
export {
  decodeEnvelope,
  type Envelope,
  envelopeFromElement,
  signTariff,
  TARIFF_SIGNATURE_LABEL,
  tariffElement,
  type TariffSigner,
} from "./envelope.ts";
export { type TariffCheck, type TariffPolicy, verifyTariff } from "./verify.ts";
export { nodeConfig, PUBSUB, PUBSUB_NS } from "./stanzas.ts";
export { PubsubError, type PubsubErrorCode, TariffError, type TariffErrorCode } from "./errors.ts";
