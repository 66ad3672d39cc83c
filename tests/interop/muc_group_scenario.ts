/**
 * The MUC group scenario shared by tests/interop/muc_group_test.ts (real
 * Prosody) and tests/router_muc_group_test.ts (in-memory router): a key
 * server, a publisher and `n` members; the publisher creates a moderated,
 * members-only room, grants and invites; everyone registers with the key
 * server (unicast); a command reaches every subscriber; the last member is
 * evicted by an LKH rekey published through the room; the next command is
 * read by the rest and refused by the evicted one, whom the room then
 * removes; and the room refuses a groupchat from a member without voice.
 * The key-leak search over what the server stored or forwarded is
 * `assertNoKeyIn`; each test chooses what to search. The callers carry the
 * spec tags, since this file only runs the steps they check.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { fromBase64, toHex } from "../../core/bytes.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { createHierarchy, validateChain } from "../../core/pki/mod.ts";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import type { GroupPolicy } from "../../state-machines/group-keying/policy.ts";
import { gdoiElement } from "../../state-machines/group-keying/xml.ts";
import { groupchat } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { within } from "./adapter_helpers.ts";
import { keyForms, KeyServerNode, MemberNode } from "./muc_group_nodes.ts";

const GROUP = "vpp-dispatch";
const STREAM = "dispatch-1";

/** The accounts of the scenario: key server, publisher, then members m01..m`n`. */
export function groupNames(n: number): string[] {
  return [
    "kdc",
    "pub",
    ...Array.from({ length: n }, (_, i) => `m${String(i + 1).padStart(2, "0")}`),
  ];
}

/** A progress logger: each line carries the milliseconds since this call. */
export function stopwatch(): (what: string) => void {
  const t0 = performance.now();
  return (what) => console.log(`  ${what}: ${Math.round(performance.now() - t0)} ms`);
}

/** What differs between the servers the scenario runs on. */
export interface GroupScenarioOptions {
  /** Number of members besides the publisher; the last one is evicted. */
  n: number;
  /** Domain of the accounts and of the MUC service. */
  domain: string;
  mucDomain: string;
  /** The server as named in log lines, e.g. "Prosody" or "the router". */
  serverName: string;
  /** Connects every name (in `groupNames(n)` order) and sends initial presence. */
  connect: (names: readonly string[], now: number) => Promise<XmppClient[]>;
  /** Logs a progress line. */
  mark: (what: string) => void;
}

/** Runs the scenario up to the voice refusal; returns the nodes for the key-leak search. */
export async function runGroupScenario(
  o: GroupScenarioOptions,
): Promise<{ kdc: KeyServerNode; nodes: MemberNode[] }> {
  const { n: N, mark } = o;
  const names = groupNames(N);
  const jid = (n: string) => `${n}@${o.domain}`;
  const now = Date.now();
  const suite = "x25519-ed25519" as const;
  const pki = createHierarchy({
    suite,
    now,
    peers: names.map((n) => ({ commonName: n, jid: jid(n) })),
  }, new SeededEntropy("muc-interop/pki"));
  const policy: GroupPolicy = {
    groupId: GROUP,
    suite,
    kekLength: 16,
    streams: [{ streamId: STREAM, protection: "aes-128-gcm", publishers: [jid("pub")] }],
    members: names.slice(1).map(jid),
    tekLifetimeMs: 3_600_000,
    tekLeadMs: 60_000,
  };
  const sig = getSuite(suite).sig;
  const signer = (i: number) => (m: Uint8Array) => sig.sign(pki.peers[i].key.privateKey, m);
  const common = { anchors: pki.policy.anchors, crls: pki.crls, validateChain };
  mark("certificates");

  const connected = await o.connect(names, now);
  mark(`${names.length} clients connected`);

  const roomJid = `${GROUP}@${o.mucDomain}`;
  const kdc = new KeyServerNode(connected[0], {
    ...common,
    jid: jid("kdc"),
    policy,
    chain: pki.chains[0],
    sign: signer(0),
    entropy: new SeededEntropy(`muc-interop/ks/${now}`),
    now,
  });
  const nodes = names.slice(1).map((n, k) => {
    const i = k + 1;
    return new MemberNode(connected[i], {
      room: roomJid,
      nick: n,
      jid: jid(n),
      role: n === "pub" ? "publisher" : "subscriber",
      members: n === "pub" ? policy.members : undefined,
      keyServerJid: jid("kdc"),
    }, {
      ...common,
      jid: jid(n),
      groupId: GROUP,
      suite,
      keyServerJid: jid("kdc"),
      chain: pki.chains[i],
      sign: signer(i),
      entropy: new SeededEntropy(`muc-interop/gm/${n}/${now}`),
    });
  });
  const [pub, ...subs] = nodes;
  const evicted = subs[N - 1];
  const readyOf = (x: MemberNode) => x.roomEvents("ready").length > 0;
  const publish = (cmd: string) =>
    pub.gmStep({
      type: "protect",
      streamId: STREAM,
      payload: new TextEncoder().encode(cmd),
      now: Date.now(),
    });

  // The publisher creates, configures, grants and invites.
  pub.roomStep({ type: "join" });
  await within(pub.until(() => readyOf(pub)), 15_000, "publisher room ready");
  assert.deepEqual(pub.roomErrors(), []);
  mark(`room configured, ${N} members granted and invited`);
  await within(
    Promise.all(subs.map((s) => s.until(() => s.roomEvents("invited").length > 0))),
    10_000,
    "invitations",
  );
  for (const s of subs) s.roomStep({ type: "join" });
  await within(Promise.all(subs.map((s) => s.until(() => readyOf(s)))), 20_000, "joins");
  // Every subscriber ends up a visitor (PD-127).
  await within(
    Promise.all(subs.map((s) => s.until(() => s.room.self?.role === "visitor"))),
    10_000,
    "voice revoked",
  );
  mark(`${N} members joined, voice revoked`);

  // Registration with the key server, unicast (PD-129 path a).
  for (const x of nodes) x.gmStep({ type: "start", now: Date.now() });
  await within(
    Promise.all(nodes.map((x) => x.until(() => x.gm.phase === "member"))),
    30_000,
    "registrations",
  );
  mark(`${nodes.length} registrations`);
  await within(
    Promise.all(nodes.map((x) => x.until(() => x.gm.seq === kdc.ks.seq))),
    10_000,
    "unicast join rekeys",
  );

  // Command 1 reaches every subscriber.
  const cmd1 = "operate: setpoint 40 kW";
  publish(cmd1);
  await within(
    Promise.all(subs.map((s) => s.until(() => s.delivered().includes(cmd1)))),
    10_000,
    "cmd1",
  );
  mark(`command 1 delivered to ${N}`);

  // Evict one member; the rekey goes through the room (PD-129 path b).
  kdc.path = "room";
  kdc.publishThroughRoom = (data) =>
    pub.roomStep({ type: "publish", payload: gdoiElement(data) as unknown as Xel });
  kdc.step({ type: "evict", jids: [jid(`m${N}`)], now: Date.now() });
  const seq = kdc.ks.seq;
  await within(
    Promise.all([
      ...nodes.filter((x) => x !== evicted).map((x) => x.until(() => x.gm.seq === seq)),
      evicted.until(() => evicted.gm.phase === "excluded"),
    ]),
    10_000,
    "eviction rekey",
  );
  mark("eviction rekey through the room");

  const cmd2 = "operate: setpoint 10 kW";
  const errorsBefore = evicted.gmErrors().length;
  publish(cmd2);
  await within(
    Promise.all([
      ...subs.slice(0, N - 1).map((s) => s.until(() => s.delivered().includes(cmd2))),
      evicted.until(() => evicted.gmErrors().length > errorsBefore),
    ]),
    10_000,
    "cmd2",
  );
  assert.ok(!evicted.delivered().includes(cmd2));
  assert.deepEqual(evicted.gmErrors().slice(errorsBefore), ["gdoi/not-member"]);
  mark(`command 2: read by ${N - 1}, refused by the evicted member (gdoi/not-member)`);

  // The room removes the evicted member once its membership is withdrawn.
  pub.roomStep({ type: "revoke", jid: jid(`m${N}`) });
  await within(evicted.until(() => evicted.roomEvents("left").length > 0), 10_000, "removal");
  const left = evicted.roomEvents("left")[0];
  assert.deepEqual(left.type === "event" && left.event, {
    type: "left",
    reason: "affiliation-changed",
  });
  await within(
    subs[0].until(() => subs[0].roomEvents("occupant-left").length > 0),
    10_000,
    "others see the removal",
  );

  // A member without voice publishes: the server refuses it.
  const m1 = subs[0];
  const probe = new Element("spdu", { xmlns: "urn:derlink:group:0" }).t(
    "AAAA",
  ) as unknown as Xel;
  m1.client.send(groupchat(roomJid, "no-voice-1", probe));
  await within(
    m1.until(() => m1.roomErrors().some((e) => e.startsWith("muc/publish-refused"))),
    10_000,
    "voice refusal",
  );
  const refusal = m1.roomErrors().find((e) => e.startsWith("muc/publish-refused"));
  assert.equal(refusal, "muc/publish-refused forbidden");
  assert.ok(
    subs.slice(1).every((s) =>
      !s.received.some((r) => r.includes("no-voice-1") && !r.includes('type="error"'))
    ),
  );
  mark(`groupchat from a member without voice refused by ${o.serverName} (forbidden)`);
  return { kdc, nodes };
}

/** Hex of every base64 run in `text`, so a key at any byte offset inside a blob is found too. */
function decodedRuns(text: string): string {
  const runs = text.match(/[A-Za-z0-9+/]{20,}={0,2}/g) ?? [];
  return runs.map((r) => {
    try {
      return toHex(fromBase64(r.length % 4 === 0 ? r : r + "=".repeat((4 - r.length % 4) % 4)));
    } catch {
      return "";
    }
  }).join(" ");
}

/**
 * Asserts that more than `minKeys` keys were collected and that none of them,
 * in any text form, occurs in `texts` or in the base64 runs inside them.
 * Returns the searched haystack for the caller's check that the search finds
 * what is there.
 */
export function assertNoKeyIn(
  texts: readonly string[],
  secrets: ReadonlyMap<string, Uint8Array>,
  minKeys: number,
  serverName: string,
): string {
  const haystack = texts.join("\n") + "\n" + texts.map(decodedRuns).join("\n");
  assert.ok(secrets.size > minKeys, `collected ${secrets.size} keys`);
  const leaks: string[] = [];
  for (const key of secrets.values()) {
    for (const form of keyForms(key)) if (haystack.includes(form)) leaks.push(form.slice(0, 6));
  }
  assert.deepEqual(leaks, [], `no group key in what ${serverName} stored or forwarded`);
  return haystack;
}
