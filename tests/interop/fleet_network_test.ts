/**
 * Interop: the simulation's `Network` over a real Prosody (simulation/real/
 * mod.ts, what `deno task simulate --server` runs on): the private server is
 * provisioned from a scenario setup (accounts, roster groups, disco items),
 * logins are real, the clock runs from the scenario's start, iq ids stay
 * the node's own while the stream sees unique ones (PD-215), a cut reaches
 * a roster contact as presence unavailable, and close stops the server.
 * Also the `--server` values, valid and refused.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Network, NetworkSetup } from "../../simulation/network.ts";
import { openNetwork, parseServerSpec } from "../../simulation/real/mod.ts";
import type { RealNetwork } from "../../simulation/real/real_network.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { within } from "./adapter_helpers.ts";

Deno.test("fleet network: --server values (private Prosody, running server with its CA, refusals)", () => {
  assert.deepEqual(parseServerSpec("xmpp://127.0.0.1:5299"), {
    kind: "prosody",
    port: 5299,
    scale: 1,
  });
  assert.deepEqual(parseServerSpec("prosody?scale=4"), { kind: "prosody", scale: 4 });
  assert.deepEqual(parseServerSpec("xmpp://10.0.0.7:5222?ca=/tmp/ca.pem&tls=direct"), {
    kind: "external",
    host: "10.0.0.7",
    port: 5222,
    caFile: "/tmp/ca.pem",
    directTls: true,
    scale: 1,
  });
  for (
    const [text, why] of [
      ["xmpp://10.0.0.7:5222", /\?ca=FILE/],
      ["xmpp://127.0.0.1", /needs the port/],
      ["prosody://10.0.0.7:5222", /127\.0\.0\.1 only/],
      ["prosody?scale=0", /scale/],
      ["http://127.0.0.1:80", /expected/],
      ["xmpp://127.0.0.1:5222?ca=x&tls=udp", /tls must be/],
    ] as const
  ) assert.throws(() => parseServerSpec(text), why, text);
});

const SETUP: NetworkSetup = {
  domain: "grid.example",
  accounts: ["dno", "der1", "der2"],
  pubsubAdmins: ["dno"],
  rosterGroups: { der1: ["dno", "der1"] },
  discoItems: [{ jid: "kdc@grid.example/ks", name: "derlink key server" }],
  start: Date.UTC(2025, 5, 21, 10, 30),
  seed: "fleet-network",
  scramIterations: 4096,
};

/** A node that records what it hears. */
function node(net: Network, account: string) {
  const heard: Xel[] = [];
  const waiters: { match: (s: Xel) => boolean; resolve: (s: Xel) => void }[] = [];
  let closed: (r: string) => void;
  const ended = new Promise<string>((r) => closed = r);
  let bound: (jid: string) => void;
  const up = new Promise<string>((r) => bound = r);
  const link = net.connect(account, "sim", {
    established: (jid) => {
      link.send(new Element("presence"));
      bound(jid);
    },
    stanza: (s) => {
      heard.push(s);
      for (const w of waiters.splice(0)) {
        if (w.match(s)) w.resolve(s);
        else waiters.push(w);
      }
    },
    closed: (r) => closed(r),
  });
  const next = (match: (s: Xel) => boolean): Promise<Xel> => {
    const seen = heard.find(match);
    return seen
      ? Promise.resolve(seen)
      : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  return { link, up, ended, heard, next };
}

Deno.test({
  name: "fleet network: the simulation's Network over a private Prosody (PD-215 PD-216 DL-FLEET-1)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // spec: PD-215 PD-216 DL-FLEET-1 DL-FLEET-2 PAPER-MAP3
    const net: Network = openNetwork({ kind: "prosody", scale: 1 }, SETUP);
    const pid = (await (net as RealNetwork).server).pid!;
    try {
      const [dno, der1, der2] = SETUP.accounts.map((a) => node(net, a));
      const jids = await within(Promise.all([dno.up, der1.up, der2.up]), 20_000, "logins");
      assert.deepEqual(jids, [
        "dno@grid.example/sim",
        "der1@grid.example/sim",
        "der2@grid.example/sim",
      ]);
      // The scenario's clock, not the date: certificates issued for `start` stay valid.
      assert.ok(net.clock.now >= SETUP.start && net.clock.now < SETUP.start + 60_000);
      // Roster groups: dno sees der1 (same group), der2 sees nobody.
      await within(
        dno.next((s) => s.name === "presence" && s.attrs.from === jids[1]),
        5_000,
        "der1 at dno",
      );
      // Two requests with the same id in flight: the stream sees unique ids, each answer gets ours back.
      const disco = () =>
        new Element("iq", { type: "get", to: SETUP.domain, id: "same" })
          .c("query", { xmlns: "http://jabber.org/protocol/disco#items" }).root();
      dno.link.send(disco());
      dno.link.send(disco());
      const isAnswer = (s: Xel) =>
        s.name === "iq" && s.attrs.id === "same" && s.attrs.type === "result";
      await within(
        dno.next((s) => isAnswer(s) && dno.heard.filter(isAnswer).length === 2),
        5_000,
        "disco",
      );
      const items = dno.heard.find(isAnswer)!.toString();
      assert.match(items, /jid=["']kdc@grid\.example\/ks["']/);
      assert.match(items, /derlink key server/);
      // A cut reaches the roster contact as presence unavailable from the full JID.
      der1.link.cut();
      const gone = await within(
        dno.next((s) => s.attrs.from === jids[1] && s.attrs.type === "unavailable"),
        5_000,
        "unavailable at dno",
      );
      assert.equal(gone.name, "presence");
      assert.notEqual(await within(der1.ended, 5_000, "der1 closed"), "closed");
      assert.equal(
        der2.heard.filter((s) => s.name === "presence" && s.attrs.from !== jids[2]).length,
        0,
      );
      assert.equal(net.traffic.logins, 3);
      assert.ok(
        net.traffic.stanzasSent >= 5 && net.traffic.bytesUp > 0 && net.traffic.bytesDown > 0,
      );
    } finally {
      await net.close();
    }
    // close() stopped the private server (by its PID, through the harness).
    assert.equal(await Deno.stat(`/proc/${pid}`).then(() => true, () => false), false);
  },
});
