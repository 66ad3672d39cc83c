/**
 * Compiles an ACL into Prosody's configuration (PD-212): a mod_firewall
 * script for the `preroute` chain — the hook Prosody runs for every stanza a
 * local client sends, after stamping `from` and normalising `to`, before any
 * routing — plus one list file per principal set, so rule count grows with
 * the ACL's rules and not with its members. The rules follow decide.ts step
 * by step in the same order; the first PASS or BOUNCE ends the chain.
 *
 * mod_firewall only logs a script it cannot compile and then filters
 * nothing: whoever loads it must check Prosody's log for "Error compiling"
 * (the interop harness does) — a compiled ACL is fail-open otherwise.
 *
 * @module
 */
import { AclError, type AclErrorCode } from "./errors.ts";
import {
  NS_MUC_ADMIN,
  NS_MUC_OWNER,
  NS_MUC_USER,
  NS_PUBSUB,
  NS_PUBSUB_OWNER,
  PUBLISHER_ACTIONS,
  SUBSCRIBER_ACTIONS,
} from "./decide.ts";
import type { Acl, Principals } from "./types.ts";

/** The script and the list files it reads, by file name inside `dir`. */
export interface FirewallFiles {
  readonly script: string;
  readonly lists: Readonly<Record<string, string>>;
}

/** Owner-namespace actions that name a node (XEP-0060 §8). */
const OWNER_ACTIONS = ["configure", "delete", "purge", "subscriptions", "affiliations"] as const;

type Side = "from" | "to";

class Script {
  readonly lines: string[] = [];
  readonly lists: Record<string, string> = {};
  readonly #names = new Map<Principals, string>();
  constructor(readonly acl: Acl, readonly dir: string) {}

  /** Condition alternatives meaning "side ∈ p": any account of the domain, or the list. */
  alternatives(p: Principals, side: Side): string[][] {
    const alts: string[][] = [];
    if (p.any) alts.push([`${side.toUpperCase()}: <*>@${this.acl.domain}`]);
    if (p.jids.size) alts.push([`CHECK LIST: ${this.list(p)} contains $<@${side}|bare>`]);
    return alts;
  }

  list(p: Principals): string {
    let name = this.#names.get(p);
    if (!name) {
      name = `acl_p${this.#names.size + 1}`;
      this.#names.set(p, name);
      this.lists[`${name}.txt`] = [...p.jids].sort().map((j) => j + "\n").join("");
    }
    return name;
  }

  rule(conditions: string[], action: string, comment?: string): void {
    if (comment) this.lines.push(`# ${comment}`);
    this.lines.push(...conditions, action, "");
  }

  /** One PASS rule per way `side ∈ p` can hold, each with `base` conditions. */
  passIf(base: string[], p: Principals, side: Side, comment?: string): void {
    for (const alt of this.alternatives(p, side)) this.rule([...base, ...alt], "PASS.", comment);
  }
}

const bounce = (condition: "forbidden" | "not-allowed", code: AclErrorCode) =>
  `BOUNCE=${condition} (${code})`;

/** The mod_firewall script and list files for `acl`; lists are read from `dir`. */
// spec: DL-ACL-9 PD-212 PAPER-OPT1
export function compileProsodyFirewall(acl: Acl, dir: string): FirewallFiles {
  const s = new Script(acl, dir);
  const muc = acl.mucService, ps = acl.pubsubService;
  // spec: DL-ACL-10
  s.rule(["TO SELF?"], "PASS.", "1. no 'to' or the sender's own bare JID, and the server itself");
  s.rule([`TO: ${acl.domain}`], "PASS.");
  // spec: DL-ACL-4 DL-ACL-5
  s.rule([`TO: ${muc}`], "PASS.", "2. the MUC service, its replies and leaving");
  s.rule([`TO: <*>@${muc}`, "TYPE: result, error"], "PASS.");
  s.rule([`TO: <*>@${muc}`, "KIND: presence", "TYPE: unavailable"], "PASS.");
  for (const [room, r] of acl.rooms) {
    const to = [`TO: ${room}`];
    s.passIf(to, r.moderators, "from", `room ${room}: moderators`);
    for (const alt of s.alternatives(r.members, "from")) {
      const denied = bounce("forbidden", AclError["moderation-denied"]);
      s.rule([...to, ...alt, "KIND: iq", `PAYLOAD: ${NS_MUC_ADMIN}`], denied);
      s.rule([...to, ...alt, "KIND: iq", `PAYLOAD: ${NS_MUC_OWNER}`], denied);
      s.rule([...to, ...alt, "KIND: message", `INSPECT: {${NS_MUC_USER}}x/invite`], denied);
      s.rule([`TO: ${room}/<*>`, ...alt, "NOT KIND: presence"], denied);
      s.rule([...to, ...alt], "PASS.");
    }
    s.rule(to, bounce("forbidden", AclError["room-denied"]));
  }
  s.rule([`TO: <*>@${muc}`], bounce("not-allowed", AclError["room-unknown"]));
  // spec: DL-ACL-6
  const toPs = [`TO: ${ps}`];
  s.rule([...toPs, "TYPE: result, error"], "PASS.", "3. the pubsub service");
  s.rule([...toPs, "NOT KIND: iq"], "PASS.");
  const publisherPaths = [
    ...PUBLISHER_ACTIONS.map((a) => `{${NS_PUBSUB}}pubsub/${a}`),
    ...OWNER_ACTIONS.map((a) => `{${NS_PUBSUB_OWNER}}pubsub/${a}`),
  ];
  const subscriberPaths = SUBSCRIBER_ACTIONS.map((a) => `{${NS_PUBSUB}}pubsub/${a}`);
  for (const [node, r] of acl.nodes) {
    for (const path of publisherPaths) {
      const at = [...toPs, "KIND: iq", `INSPECT: ${path}@node=${node}`];
      s.passIf(at, r.publishers, "from", `node ${node}: ${path.split("}")[1]}`);
      s.rule(at, bounce("forbidden", AclError["publish-denied"]));
    }
    for (const path of subscriberPaths) {
      const at = [...toPs, "KIND: iq", `INSPECT: ${path}@node=${node}`];
      if (!r.subscribers) {
        s.rule(at, "PASS.");
        continue;
      }
      s.passIf(at, r.subscribers, "from");
      s.passIf(at, r.publishers, "from");
      s.rule(at, bounce("forbidden", AclError["subscribe-denied"]));
    }
  }
  for (const path of [...publisherPaths, ...subscriberPaths, `{${NS_PUBSUB_OWNER}}pubsub`]) {
    s.rule(
      [...toPs, "KIND: iq", `INSPECT: ${path}`],
      bounce("not-allowed", AclError["node-unknown"]),
    );
  }
  s.rule(toPs, "PASS.");
  // spec: DL-ACL-3 DL-ACL-2
  s.lines.push("# 4. accounts and remote JIDs: replies along allowed pairs, then the pairs");
  for (const r of acl.addressing) {
    for (const back of s.alternatives(r.to, "from")) {
      for (const fwd of s.alternatives(r.from, "to")) {
        s.rule(["TYPE: result, error", ...back, ...fwd], "PASS.");
      }
    }
  }
  s.rule(["TYPE: result, error"], "DROP.");
  for (const r of acl.addressing) {
    for (const from of s.alternatives(r.from, "from")) {
      for (const to of s.alternatives(r.to, "to")) s.rule([...from, ...to], "PASS.");
    }
  }
  s.rule([], bounce("forbidden", AclError["address-denied"]));
  const header = [
    "# derlink ACL compiled for mod_firewall (core/acl/prosody.ts); do not edit.",
    ...Object.keys(s.lists).map((f) => `%LIST ${f.slice(0, -4)}: file:${dir}/${f}`),
    "",
    "::preroute",
    "",
  ];
  return { script: [...header, ...s.lines].join("\n"), lists: s.lists };
}

/** Lua for a VirtualHost section that loads mod_firewall with the compiled script. */
export function firewallHostLua(scriptPath: string): string {
  const q = JSON.stringify(scriptPath);
  return `  modules_enabled = { "firewall" }\n  firewall_scripts = { ${q} }`;
}
