/**
 * The MUC group scenario of tests/interop/muc_group_test.ts run over the
 * in-memory router instead of Prosody (issue 5 item 3): key server,
 * publisher and 20 members; moderated members-only room; unicast
 * registration; a command to all; an LKH eviction rekey through the room;
 * the next command read by the rest and refused by the evicted member; the
 * room refuses a voiceless groupchat; and nothing the router stored or
 * forwarded contains any traffic key or KEK (PAPER-TA5, PD-139).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { fromBase64, toHex } from "../core/bytes.ts";
import { SeededEntropy } from "../core/entropy.ts";
import { getSuite } from "../core/crypto/suite.ts";
import { createHierarchy, validateChain } from "../core/pki/mod.ts";
import type { XmppClient } from "../adapters/xmpp_client.ts";
import { connectTo, testRouter } from "../adapters/memory-router/testing.ts";
import type { GroupPolicy } from "../state-machines/group-keying/policy.ts";
import { gdoiElement } from "../state-machines/group-keying/xml.ts";
import { groupchat } from "../state-machines/muc/stanzas.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import { within } from "./interop/adapter_helpers.ts";
import { available, keyForms, KeyServerNode, MemberNode } from "./interop/muc_group_nodes.ts";

const N = 20;
const GROUP = "vpp-dispatch";
const STREAM = "dispatch-1";
const names = [
  "kdc",
  "pub",
  ...Array.from({ length: N }, (_, i) => `m${String(i + 1).padStart(2, "0")}`),
];

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

Deno.test({
  name:
    "router MUC group: 20 members in memory; eviction; no voice; the router never sees keys (PAPER-TA5 PAPER-M6 PD-139 DL-ROUTER-7 DL-ROUTER-10)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PAPER-TA5 PAPER-M6 PAPER-M4 PAPER-MAP4 PD-139 DL-ROUTER-7 DL-ROUTER-8 DL-ROUTER-9 DL-ROUTER-10 DL-ROUTER-11
    // spec: XEP0045-5.1.2 XEP0045-7.2.4 XEP0045-10.1.1 XEP0045-10.1.3 XEP0045-9.4 XEP0045-7.4 XEP0045-7.8.2
    const t0 = performance.now();
    const mark = (what: string) =>
      console.log(`  ${what}: ${Math.round(performance.now() - t0)} ms`);
    const router = await testRouter(names, { rosterGroups: null });
    const clients: XmppClient[] = [];
    try {
      const jid = (n: string) => `${n}@${router.domain}`;
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

      const connected: XmppClient[] = [];
      for (const n of names) {
        const { client } = await connectTo(router, n, "r1");
        clients.push(client);
        client.send(available());
        connected.push(client);
      }
      mark(`${names.length} clients connected`);

      const roomJid = `${GROUP}@${router.mucDomain}`;
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

      // The publisher creates, configures, grants and invites.
      pub.roomStep({ type: "join" });
      await within(pub.until(() => readyOf(pub)), 15_000, "publisher room ready");
      assert.deepEqual(pub.roomErrors(), []);
      mark("room configured, members granted and invited");
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
      mark("members joined, voice revoked");

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

      // Command 1 reaches all 50.
      const cmd1 = "operate: setpoint 40 kW";
      pub.gmStep({
        type: "protect",
        streamId: STREAM,
        payload: new TextEncoder().encode(cmd1),
        now: Date.now(),
      });
      await within(
        Promise.all(subs.map((s) => s.until(() => s.delivered().includes(cmd1)))),
        10_000,
        "cmd1",
      );
      mark("command 1 delivered to all");

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
      pub.gmStep({
        type: "protect",
        streamId: STREAM,
        payload: new TextEncoder().encode(cmd2),
        now: Date.now(),
      });
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
      mark("command 2: read by the rest, refused by the evicted member (gdoi/not-member)");

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

      // A member without voice publishes: the router refuses it.
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
      mark("groupchat from a member without voice refused by the router (forbidden)");

      // Nothing the router stored or forwarded holds a key.
      const everything = router.everything();
      const haystack = everything.join("\n") + "\n" + everything.map(decodedRuns).join("\n");
      assert.ok(kdc.secrets.size > 10, `collected ${kdc.secrets.size} keys`);
      const leaks: string[] = [];
      for (const key of kdc.secrets.values()) {
        for (const form of keyForms(key)) if (haystack.includes(form)) leaks.push(form.slice(0, 6));
      }
      assert.deepEqual(leaks, [], "no group key in what the router stored or forwarded");
      // The search does find what is there: the SPDU bytes the room forwarded.
      assert.ok(haystack.includes("urn:derlink:group:0"));
      mark(
        `searched ${router.log.sessions.length} sessions (${haystack.length} chars) for ${kdc.secrets.size} keys: none found`,
      );
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
    }
  },
});
