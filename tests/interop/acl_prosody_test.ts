/**
 * Interop: the grid operator's ACL (paper §V option 1) compiled into a real
 * Prosody's configuration (mod_firewall preroute rules and list files,
 * core/acl/prosody.ts). Must show: a DER addressing another DER, a DER
 * publishing to the tariff node, and an unlisted DER joining the group room
 * are refused with `forbidden` and the `acl/*` code as text, exactly as
 * derlink's receiver refuses them (adapters/memory-router/acl_test.ts),
 * while the listed traffic — DER ↔ control centre, the market operator's
 * tariff publication, listed DERs in the room — goes through. Prosody's log
 * must show the script compiled (mod_firewall is fail-open otherwise).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import { gridAclDocument } from "../../core/acl/fixtures.ts";
import { compileProsodyFirewall, firewallHostLua, parseAcl } from "../../core/acl/mod.ts";
import { joinPresence } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { startProsody } from "../harness/prosody.ts";

const DOMAIN = "derlink.test";
const NAMES = ["der1", "der2", "der3", "cc", "market"] as const;
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const J = (u: string) => `${u}@${DOMAIN}`;
const ROOM = `group1@rooms.${DOMAIN}`;

interface Peer {
  readonly client: XmppClient;
  readonly got: Xel[];
}

/** [condition, text] of the last error stanza matching `pick`. */
function errorOf(p: Peer, pick: (x: Xel) => boolean): [string, string] | undefined {
  const e = p.got.filter((x) => pick(x) && x.attrs.type === "error").at(-1);
  const err = e?.children.find((k): k is Xel => typeof k === "object" && k.name === "error");
  if (!err) return undefined;
  const kids = err.children.filter((k): k is Xel => typeof k === "object");
  const cond = kids.find((k) => k.attrs.xmlns === STANZAS && k.name !== "text");
  return [cond?.name ?? "?", kids.find((k) => k.name === "text")?.getText() ?? ""];
}

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const chat = (to: string, id: string) =>
  new Element("message", { to, type: "chat", id }).c("body").t(id).root() as unknown as Xel;
const publish = (id: string) =>
  new Element("iq", { type: "set", to: `pubsub.${DOMAIN}`, id })
    .c("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" })
    .c("publish", { node: "tariff" }).c("item", { id: "t1" })
    .c("tariff", { xmlns: "urn:derlink:tariff:0" }).root() as unknown as Xel;

Deno.test({
  name:
    "ACL on Prosody: DER->DER, DER tariff publish, unlisted join refused; listed traffic flows (DL-ACL-9 PAPER-OPT1 PD-212)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: DL-ACL-9 PAPER-OPT1 PD-212 DL-ACL-2 DL-ACL-4 DL-ACL-6 RFC6120-8.3.3.6
    const parsed = parseAcl(gridAclDocument(DOMAIN));
    if (!parsed.ok) throw parsed.error;
    const dir = await Deno.makeTempDir({ prefix: "derlink-acl-" });
    const compiled = compileProsodyFirewall(parsed.value, dir);
    const scriptPath = `${dir}/acl.pfw`;
    await Deno.writeTextFile(scriptPath, compiled.script);
    for (const [name, text] of Object.entries(compiled.lists)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    const users = NAMES.map((n) => ({ username: n, password: `${n}-acl-interop-secret` }));
    const server = await startProsody({
      domain: DOMAIN,
      users,
      sharedRosterGroup: null,
      // der1 is a pubsub admin too: Prosody alone would let it create and publish the node,
      // so its refusal below can only come from the ACL.
      pubsubAdmins: [J("market"), J("der1")],
      extraHostLua: firewallHostLua(scriptPath),
    });
    const peers: Record<string, Peer> = {};
    try {
      for (const n of NAMES) {
        const client = await XmppClient.connect({
          jid: J(n),
          password: `${n}-acl-interop-secret`,
          resource: "r1",
          entropy: new SeededEntropy(`acl-interop/${n}/${Date.now()}`),
          server: { host: server.host, port: server.port },
          tls: { anchors: [server.caPem] },
          reconnect: false,
        });
        const got: Xel[] = [];
        client.on("stanza", (s) => got.push(s));
        client.send(new Element("presence") as unknown as Xel);
        peers[n] = { client, got };
      }
      const { der1, der2, der3, cc, market } = peers;
      const log = await server.readLog();
      assert.ok(!/Error compiling|Compilation error/.test(log), "the ACL script compiled");

      // Who may address whom.
      der1.client.send(chat(J("der2"), "d2d"));
      der1.client.send(chat(J("cc"), "d2c"));
      cc.client.send(chat(`${J("der2")}/r1`, "c2d"));
      await until(
        "the DER-to-DER refusal",
        () => errorOf(der1, (x) => x.attrs.id === "d2d") !== undefined,
      );
      await until("the control centre's message", () => der2.got.some((x) => x.attrs.id === "c2d"));
      await until("the DER's report", () => cc.got.some((x) => x.attrs.id === "d2c"));
      assert.deepEqual(errorOf(der1, (x) => x.attrs.id === "d2d"), [
        "forbidden",
        "acl/address-denied",
      ]);
      assert.ok(!der2.got.some((x) => x.attrs.id === "d2d"), "der2 never saw der1's message");

      // Who may publish tariffs.
      await assert.rejects(
        der1.client.iq(publish("pub-der1"), { timeoutMs: 5000 }),
        (e: Error) => String(e).includes("forbidden"),
      );
      const ok = await market.client.iq(publish("pub-market"), { timeoutMs: 5000 });
      assert.equal(ok.attrs.type, "result");

      // Who may join the group room.
      cc.client.send(joinPresence(`${ROOM}/cc`));
      await until(
        "the room is created",
        () => cc.got.some((x) => x.name === "presence" && x.attrs.from === `${ROOM}/cc`),
      );
      der3.client.send(joinPresence(`${ROOM}/der3`));
      der1.client.send(joinPresence(`${ROOM}/der1`));
      await until("der3 refused", () => errorOf(der3, (x) => x.name === "presence") !== undefined);
      await until(
        "der1 in",
        () =>
          der1.got.some((x) =>
            x.name === "presence" && x.attrs.from === `${ROOM}/der1` && x.attrs.type !== "error"
          ),
      );
      assert.deepEqual(errorOf(der3, (x) => x.name === "presence"), [
        "forbidden",
        "acl/room-denied",
      ]);
      assert.ok(
        !cc.got.some((x) => x.attrs.from === `${ROOM}/der3`),
        "nobody saw der3 in the room",
      );
      assert.ok(
        cc.got.some((x) => x.attrs.from === `${ROOM}/der1`),
        "the control centre saw der1 join",
      );
    } finally {
      await Promise.all(Object.values(peers).map((p) => p.client.close().catch(() => {})));
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
