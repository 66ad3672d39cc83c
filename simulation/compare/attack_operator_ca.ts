/**
 * The XMPP server operator uses its own CA (PD-256): it issues itself a
 * certificate for a DER of group 1 — any listed JID will do, and since it
 * runs the server it can open a session as that account without the DER's
 * login credential — and asks the key server for the group's keys with it,
 * as a DER would. If the key server admits it, the operator opens every
 * group command it routes, and protects a command of its own naming the
 * control centre as sender, which it delivers to the group's DERs as if
 * from the room's operator. Whether any of this works depends only on
 * whether the end-to-end anchors include the operator's CA: with end-to-end
 * certificates from the server operator's CA they do (the credential plan's
 * consequence, PD-230); otherwise the key server refuses the certificate.
 *
 * Under the default credential plan the run keeps no CA key of the server
 * operator (its TLS certificate comes from a test CA); the operator then
 * uses a CA of the same standing made for the attack: one that is no
 * end-to-end anchor, as the real one is not.
 *
 * @module
 */
import { Element } from "ltx";
import { type CredentialPlan, issuePlan, mint } from "../../core/pki/credential_plan.ts";
import { initialOperator, planTrafficLight } from "../../apps/control-centre/traffic_light.ts";
import { spduElement } from "../../state-machines/group-keying/xml.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { COMMAND_TTL_MS } from "../cc_groups.ts";
import type { NetworkSetup } from "../network.ts";
import type { Identity, Provisioned } from "../pki.ts";
import type { AttackResult, RunCounts } from "./attacks.ts";
import { keyServerOf, priorityPresence, type RogueMember, rogueOn } from "./rogue_member.ts";
import type { TappedNetwork } from "./tap.ts";

/** What the operator's attack achieved, collected while the run goes on. */
export class MintLog {
  jid = "";
  rogue?: RogueMember;
  /** DERs the forged command was delivered to. */
  delivered = 0;
}

/** The server operator's CA: the plan's, or one made for the attack under the default plan. */
export function operatorPlan(pki: Provisioned, setup: NetworkSetup): CredentialPlan {
  return pki.plan ?? issuePlan({
    suite: pki.grid.suite,
    domain: setup.domain,
    parties: [],
    now: setup.start,
    seed: `${setup.seed}/server-operator`,
  });
}

export interface MintOptions {
  readonly tap: TappedNetwork;
  readonly setup: NetworkSetup;
  readonly pki: Provisioned;
  /** The DER account whose JID the operator's certificate names. */
  readonly victim: string;
  /** The other DER accounts of the group (the forged command goes to them). */
  readonly others: readonly string[];
  readonly group: string;
  readonly room: string;
  readonly registerAt: number;
  readonly commandAt: number;
  readonly log: MintLog;
}

/** Stages the attack in a run (`runOnce`'s install hook). */
// spec: PD-256 PAPER-TA3 PAPER-TA5 DL-CRED-5
export function installMinted(o: MintOptions): void {
  const { tap, setup, log } = o;
  const jid = `${o.victim}@${setup.domain}`;
  const cc = `dno@${setup.domain}`;
  const minted = mint(operatorPlan(o.pki, setup), "xmpp-operator", jid, setup.seed);
  const identity: Identity = {
    jid,
    chain: minted.chain,
    signer: { suite: minted.key.suite, privateKey: minted.key.privateKey },
  };
  const ks = keyServerOf(setup);
  const prev = tap.watch;
  tap.watch = (x) => {
    prev?.(x);
    if (!log.rogue || x.dir !== "down") return;
    // The server sees every group message and rekey it delivers, in the room or to the DER.
    const from = x.stanza.attrs.from ?? "";
    if (o.others.includes(x.account) && from.startsWith(`${o.room}/`)) {
      log.rogue.stanza(x.stanza, x.t, true);
    } else if (x.account === o.victim && from === ks) log.rogue.stanza(x.stanza, x.t, false);
  };
  tap.clock.at(o.registerAt, () => {
    const link = tap.connect(o.victim, "operator", {
      established: () => {
        // Replies to the DER's bare JID come to this session, not to the DER's.
        link.send(priorityPresence());
        log.rogue = rogueOn(link, setup, o.pki, identity, o.group);
        log.jid = jid;
        log.rogue.start(tap.clock.now);
        // Registration takes no virtual time here; then the DER gets its own messages again.
        tap.clock.at(tap.clock.now + 1_000, () => link.send(priorityPresence(-1)));
      },
      stanza: (x) => log.rogue?.stanza(x, tap.clock.now, false),
      closed: () => {},
    });
  });
  tap.clock.at(o.commandAt, () => {
    const rogue = log.rogue;
    if (!rogue?.registered) return;
    const now = tap.clock.now;
    const plan = planTrafficLight({ ...initialOperator(cc), nextId: 900 }, {
      light: "red",
      group: o.group,
      limitPct: 0,
      revertS: 3_600,
      rampS: 0,
      windowS: 0,
    }, now);
    const data = rogue.forgeAs(cc, plan.groupCommands[0].payload, now, COMMAND_TTL_MS);
    if (!data) return;
    for (const account of o.others) {
      const st = new Element("message", { from: `${o.room}/operator`, type: "groupchat" });
      st.cnode(spduElement(data));
      if (tap.inject(account, st as unknown as Xel)) log.delivered++;
    }
  });
}

/** Red-light-phase commands applied, and every code, in the clean and the attacked run. */
export interface MintCounts extends RunCounts {
  /** Commands applied in the phase the forged one is delivered in. */
  readonly appliedInPhase: number;
}

// spec: PD-256 PD-237 DL-CRED-5
export function judgeMinted(clean: MintCounts, attacked: MintCounts, log: MintLog): AttackResult {
  const rogue = log.rogue;
  if (!rogue) return { outcome: "n/a", evidence: "the operator's session did not start" };
  if (!rogue.registered) {
    const codes = [...attacked.errors]
      .filter(([code, n]) => n > (clean.errors.get(code) ?? 0))
      .map(([code]) => code).sort();
    return codes.length > 0
      ? {
        outcome: "detected",
        evidence: `the key server refused its certificate: ${codes.join(", ")}`,
      }
      : { outcome: "blocked", evidence: "no group key for its certificate" };
  }
  const applied = attacked.appliedInPhase - clean.appliedInPhase;
  const did = [`registered as ${log.jid.split("@")[0]} with a certificate from its own CA`];
  did.push(`opened ${rogue.opened} group command(s)`);
  did.push(
    `${Math.max(0, applied)} of ${log.delivered} DERs applied its command as the control centre's`,
  );
  return {
    outcome: applied > 0 || rogue.opened > 0 ? "succeeded" : "blocked",
    evidence: did.join("; "),
  };
}
