/**
 * Registry of the checkers: one factory per area, each written against an
 * {@link IutBackend} so the same checkers run the reference implementation
 * in process and any IUT over the stdio protocol. Add an area by importing
 * its factory (and, for a state machine, the machine itself so the report
 * can measure transition coverage).
 *
 * @module
 */
import type { GroupChecker } from "../suite.ts";
import type { MachineDescription } from "../iut.ts";
import type { IutBackend } from "../iut/backend.ts";
import { reference } from "../bindings/reference.ts";
import { accessTokenCheckers } from "./access-token.ts";
import { aProfileCheckers } from "./a-profile.ts";
import { associationCheckers } from "./association.ts";
import { cryptoCheckersFor } from "./crypto.ts";
import { derModelCheckers } from "./der-model.ts";
import { discoCheckers } from "./disco.ts";
import { groupKeyingCheckers } from "./group-keying.ts";
import { jidCheckers } from "./jid.ts";
import { mucCheckers } from "./muc.ts";
import { perMessageCheckers } from "./per-message.ts";
import { pkiCheckers } from "./pki.ts";
import { pubsubCheckers } from "./pubsub.ts";
import { saslCheckers } from "./sasl.ts";
import { saslOAuthBearerCheckers } from "./sasl-oauthbearer.ts";
import { xmlCheckers } from "./xml.ts";
import { xmppStreamCheckers } from "./xmpp-stream.ts";
import { initiator } from "../../state-machines/xmpp-stream/initiator.ts";
import { receiver } from "../../state-machines/xmpp-stream/receiver.ts";
import { keyServer } from "../../state-machines/group-keying/key_server.ts";
import { member } from "../../state-machines/group-keying/member.ts";
import { room as mucRoom } from "../../state-machines/muc/machine.ts";
import { discoRequester } from "../../state-machines/disco/requester.ts";
import { publisher as pubsubPublisher } from "../../state-machines/pubsub/publisher.ts";
import { subscriber as pubsubSubscriber } from "../../state-machines/pubsub/subscriber.ts";
import { initiator as aProfileInitiator } from "../../state-machines/a-profile/initiator.ts";
import { responder as aProfileResponder } from "../../state-machines/a-profile/responder.ts";
import { associationClient } from "../../state-machines/association/client.ts";
import { associationServer } from "../../state-machines/association/server.ts";
import { multicastAssociation } from "../../state-machines/association/multicast.ts";

/** Every checker, run against `iut`. */
export function checkersFor(iut: IutBackend): GroupChecker[] {
  return [
    ...accessTokenCheckers(iut),
    ...aProfileCheckers(iut),
    ...associationCheckers(iut),
    ...cryptoCheckersFor(iut),
    ...derModelCheckers(iut),
    ...discoCheckers(iut),
    ...groupKeyingCheckers(iut),
    ...jidCheckers(iut),
    ...mucCheckers(iut),
    ...perMessageCheckers(iut),
    ...pkiCheckers(iut),
    ...pubsubCheckers(iut),
    ...saslCheckers(iut),
    ...saslOAuthBearerCheckers(iut),
    ...xmlCheckers(iut),
    ...xmppStreamCheckers(iut),
  ];
}

/** Every checker of the reference implementation. */
export const checkers: readonly GroupChecker[] = checkersFor(reference);

/** Every machine of the reference implementation. */
export const machines: readonly MachineDescription[] = [
  initiator,
  receiver,
  keyServer,
  member,
  mucRoom,
  discoRequester,
  pubsubPublisher,
  pubsubSubscriber,
  aProfileInitiator,
  aProfileResponder,
  associationClient,
  associationServer,
  multicastAssociation,
];
