/**
 * A group member in an attacker's hands (PD-256, PD-257): the project's
 * member machine run under an identity the attacker holds — a DER's single
 * certificate stolen with its login, or a certificate the server operator
 * issued itself — fed with whatever key-management and group messages the
 * attacker gets to see. What it can then do is what any member can: open
 * the group's commands, and protect a command naming the control centre as
 * sender (a group key authenticates membership, not a sender, PD-231).
 * Nothing here bypasses a check: if the key server refuses the identity,
 * the member never holds a key.
 *
 * @module
 */
import { Element } from "ltx";
import { getSuite } from "../../core/crypto/suite.ts";
import { toHex } from "../../core/bytes.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import type { CertificateDer } from "../../core/pki/types.ts";
import { validateChain } from "../../core/pki/validate.ts";
import { tryDecodeGroupCommand } from "../../apps/control-centre/group_command.ts";
import { sendSpdu } from "../../state-machines/group-keying/keyring.ts";
import { member } from "../../state-machines/group-keying/member.ts";
import type { MemberInput, MemberState } from "../../state-machines/group-keying/member_types.ts";
import {
  GDOI_NS,
  gdoiFromElement,
  GROUP_NS,
  spduFromElement,
  type XmlLike,
} from "../../state-machines/group-keying/xml.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { directMessage } from "../../state-machines/muc/stanzas.ts";
import { gdoiElement } from "../../state-machines/group-keying/xml.ts";
import type { Identity, Provisioned } from "../pki.ts";
import type { Link, NetworkSetup } from "../network.ts";

export interface RogueMemberConfig {
  /** The identity the attacker holds (its JID is the member's). */
  readonly identity: Identity;
  readonly group: string;
  /** The key server's bare JID (what the group's members name). */
  readonly keyServerJid: string;
  /** The end-to-end trust anchors and CRLs (public: the key server's chain is checked against them). */
  readonly anchors: readonly CertificateDer[];
  readonly crls: readonly Uint8Array[];
  readonly seed: string;
}

/** The child `name` in namespace `ns`, as the group-keying readers take it (found by its xmlns). */
function child(s: Xel, name: string, ns: string): XmlLike | undefined {
  const el = s.children.find((c): c is Xel =>
    typeof c === "object" && c.name === name && c.attrs.xmlns === ns
  );
  return el && { name, attrs: el.attrs, getNS: () => ns, getText: () => el.getText() };
}

export class RogueMember {
  state: MemberState;
  /** Group commands it opened with the group key. */
  opened = 0;
  /** Codes its member machine reported (registration refused, replays...). */
  readonly codes: string[] = [];
  readonly #send: (to: string, data: Uint8Array) => void;
  readonly #seen = new Set<string>();
  /** SPDUs it protected itself (seen again on their way to the DERs: not counted as opened). */
  readonly #own = new Set<string>();

  constructor(c: RogueMemberConfig, send: (to: string, data: Uint8Array) => void) {
    this.#send = send;
    const sig = getSuite(c.identity.signer.suite).sig;
    this.state = member.init({
      jid: c.identity.jid,
      groupId: c.group,
      suite: c.identity.signer.suite,
      keyServerJid: c.keyServerJid,
      chain: c.identity.chain,
      sign: (m) => sig.sign(c.identity.signer.privateKey, m),
      anchors: c.anchors,
      crls: c.crls,
      validateChain,
      entropy: new SeededEntropy(`${c.seed}/rogue-member/${c.identity.jid}`),
    });
  }

  get registered(): boolean {
    return this.state.phase === "member";
  }

  /** Asks the key server for the group's keys. */
  start(now: number): void {
    this.#step({ type: "start", now });
  }

  /**
   * A stanza the attacker received or saw: a `<gdoi>` sent to it directly
   * (challenge, keys, unicast rekey) or published in the room (rekey), or a
   * group message in the room (opened when it holds the key).
   */
  stanza(s: Xel, now: number, fromRoom: boolean): void {
    if (s.name !== "message" || s.attrs.type === "error") return;
    const text = s.toString();
    if (this.#seen.has(text)) return;
    this.#seen.add(text);
    const g = child(s, "gdoi", GDOI_NS);
    const p = fromRoom ? child(s, "spdu", GROUP_NS) : undefined;
    try {
      if (g) {
        const { data } = gdoiFromElement(g);
        this.#step({ type: "message", data, from: fromRoom ? undefined : s.attrs.from, now });
      } else if (p && this.registered) {
        const data = spduFromElement(p);
        if (!this.#own.has(toHex(data))) this.#step({ type: "spdu", data, now });
      }
    } catch (e) {
      this.codes.push((e as { code?: string }).code ?? "gdoi/malformed");
    }
  }

  /** Protects `payload` on the command stream naming `sender` (a member's misuse of the key). */
  forgeAs(sender: string, payload: Uint8Array, now: number, ttlMs: number): Uint8Array | undefined {
    const s = this.state;
    if (s.phase !== "member" || !s.info) return undefined;
    try {
      const r = sendSpdu(s.suite, s.info, s.keyring, sender, "commands", payload, now, ttlMs);
      this.state = { ...s, keyring: r.keyring };
      this.#own.add(toHex(r.data));
      return r.data;
    } catch (e) {
      this.codes.push((e as { code?: string }).code ?? "group/forge-failed");
      return undefined;
    }
  }

  #step(input: MemberInput): void {
    const r = member.step(this.state, input);
    this.state = r.state;
    for (const o of r.out) {
      if (o.type === "send") this.#send(o.to, o.data);
      else if (o.type === "error") this.codes.push(o.code);
      else if (o.type === "deliver" && tryDecodeGroupCommand(o.payload).ok) this.opened++;
    }
  }
}

/**
 * Available presence with a priority: at 1, messages to the account's bare
 * JID (the key server answers a registration there) reach the attacker's
 * session instead of the DER's; at -1, none do (RFC 6121 §8.5.2.1.1).
 */
export const priorityPresence = (priority = 1): Xel =>
  new Element("presence").c("priority").t(String(priority)).root() as unknown as Xel;

/** The key server's full JID, as service discovery names it. */
export const keyServerOf = (setup: NetworkSetup): string =>
  setup.discoItems.find((i) => i.name === "derlink key server")?.jid ?? "";

/** A rogue member that registers through `link` (direct messages to the key server). */
export function rogueOn(
  link: Link,
  setup: NetworkSetup,
  pki: Provisioned,
  identity: Identity,
  group: string,
): RogueMember {
  const ks = keyServerOf(setup);
  let n = 0;
  return new RogueMember(
    {
      identity,
      group,
      keyServerJid: ks.split("/")[0],
      anchors: pki.grid.anchors,
      crls: pki.grid.crls,
      seed: setup.seed,
    },
    (_to, data) => link.send(directMessage(ks, `rogue${++n}`, gdoiElement(data) as unknown as Xel)),
  );
}

/**
 * The thief's end-to-end identity (PD-257): under a plan whose one
 * certificate is both the login and the end-to-end credential, stealing the
 * DER's login hands over its end-to-end key too; under the others, nothing.
 */
// spec: PD-257 DL-CRED-6
export function stolenEndToEnd(pki: Provisioned, jid: string): Identity | undefined {
  if (pki.plan?.options.sharing !== "shared") return undefined;
  return pki.grid.ders.find((d) => d.jid === jid);
}
