/**
 * Error codes of the market: the XEP-0060 client machines (`pubsub/*`) and
 * signed tariffs (`tariff/*`).
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const PubsubError = defineErrorCodes("pubsub", {
  "invalid-config": "a pubsub machine's configuration is unusable (bad JID, node or key material)",
  "not-ready":
    "the input needs a created, configured node (publisher) or a subscription (subscriber)",
  "create-refused": "the pubsub service refused to create the node",
  "configure-refused": "the pubsub service refused the node configuration",
  "affiliation-refused": "the pubsub service refused a change of affiliation (whitelist)",
  "publish-refused": "the pubsub service refused to publish an item",
  "retract-refused": "the pubsub service refused to retract an item",
  "subscribe-refused": "the pubsub service refused our subscription",
  "items-refused": "the pubsub service refused to return the node's items",
  spoofed: "a pubsub response or notification came from another address than the pubsub service",
  "unknown-node": "a notification is for another node than ours",
  "not-subscribed": "a notification arrived while we hold no subscription",
  malformed: "a pubsub stanza lacks what XEP-0060 requires",
  "unexpected-input": "the input is not one the pubsub machine knows",
});

export const TariffError = defineErrorCodes("tariff", {
  malformed: "a tariff element or its bytes do not parse, or a field is out of range",
  oversize: "a tariff is larger than the profile allows",
  unsigned: "a tariff carries no signature",
  "untrusted-signer":
    "the signer's certificate chain does not validate (unknown CA, expired, revoked, wrong key type)",
  "wrong-signer": "the tariff is signed by someone other than the configured market operator",
  "bad-signature": "the tariff's signature does not verify: it was forged or altered",
  "wrong-node": "the tariff was signed for another pubsub node",
  "id-mismatch": "the item id the server delivered differs from the tariff id that was signed",
  expired: "the tariff's validity window has ended",
  "from-future": "the tariff claims to be issued later than now plus the allowed clock skew",
  replay: "a tariff with this sequence number was already accepted",
  rollback: "the tariff is older (lower sequence number) than one already accepted",
  "sign-failed": "the publisher's signing key could not sign the tariff",
});

export type PubsubErrorCode = typeof PubsubError[keyof typeof PubsubError];
export type TariffErrorCode = typeof TariffError[keyof typeof TariffError];
