/**
 * Registry of the reference implementation's checkers: one import per area.
 * Add an area by importing its `checkers` (and, for a state machine, the
 * machine itself so the report can measure transition coverage).
 *
 * @module
 */
import type { GroupChecker } from "../suite.ts";
import type { MachineDescription } from "../iut.ts";
import { checkers as aProfileCheckers } from "./a-profile.ts";
import { checkers as cryptoCheckers } from "./crypto.ts";
import { checkers as groupKeyingCheckers } from "./group-keying.ts";
import { checkers as jidCheckers } from "./jid.ts";
import { checkers as mucCheckers } from "./muc.ts";
import { checkers as pkiCheckers } from "./pki.ts";
import { checkers as saslCheckers } from "./sasl.ts";
import { checkers as xmlCheckers } from "./xml.ts";
import { checkers as xmppStreamCheckers } from "./xmpp-stream.ts";
import { initiator } from "../../state-machines/xmpp-stream/initiator.ts";
import { receiver } from "../../state-machines/xmpp-stream/receiver.ts";
import { keyServer } from "../../state-machines/group-keying/key_server.ts";
import { member } from "../../state-machines/group-keying/member.ts";
import { room as mucRoom } from "../../state-machines/muc/machine.ts";
import { initiator as aProfileInitiator } from "../../state-machines/a-profile/initiator.ts";
import { responder as aProfileResponder } from "../../state-machines/a-profile/responder.ts";

/** Every checker of the reference implementation. */
export const checkers: readonly GroupChecker[] = [
  ...aProfileCheckers,
  ...cryptoCheckers,
  ...groupKeyingCheckers,
  ...jidCheckers,
  ...mucCheckers,
  ...pkiCheckers,
  ...saslCheckers,
  ...xmlCheckers,
  ...xmppStreamCheckers,
];

/** Every machine of the reference implementation. */
export const machines: readonly MachineDescription[] = [
  initiator,
  receiver,
  keyServer,
  member,
  mucRoom,
  aProfileInitiator,
  aProfileResponder,
];
