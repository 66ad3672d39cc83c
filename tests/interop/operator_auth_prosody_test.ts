/**
 * Interop: Option 2 of the paper's §V against a real Prosody. Logins are
 * checked by the grid operator's login service (adapters/
 * operator_auth_service.ts) through prosody-modules' OAUTHBEARER mechanism
 * and derlink's provider module (core/operator-auth/prosody.ts).
 *
 * Must show: a listed DER logs in with its login token; an unlisted one, a
 * token for another account and a token signed by a stranger are refused;
 * the service down or silent makes logins fail (closed) — while a login
 * waits on a silent service, Prosody keeps serving the other sessions (the
 * provider does not block it) — and logins work again once the service is
 * back. Then the Option-1-style must-show: Option 2
 * alone refuses only logins (the unlisted DER never gets in, but a DER
 * still addresses another DER, publishes tariffs, and a listed non-member
 * joins the group room); Option 2 with Option 1's rules compiled from the
 * same ACL file refuses all three and lets the listed traffic through.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import { startOperatorAuthService } from "../../adapters/operator_auth_service.ts";
import { compileProsodyFirewall } from "../../core/acl/mod.ts";
import { joinPresence } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { freeLoopbackPort, startProsody } from "../harness/prosody.ts";
import {
  codeOf,
  connectWithToken,
  delegatingProsody,
  exampleAcl,
  exampleLoginService,
  J,
  KEYS,
  loginToken,
} from "./operator_auth_helpers.ts";
import { loginTokenFor } from "../../core/operator-auth/mod.ts";
import { ISSUER } from "../../core/access/fixtures.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const ROOM = `group1@rooms.derlink.test`;
const opts = { sanitizeOps: false, sanitizeResources: false };

async function refusedWith(p: Promise<XmppClient>): Promise<string> {
  try {
    const c = await p;
    await c.close();
    return "logged in";
  } catch (e) {
    return codeOf(e);
  }
}

Deno.test({
  name:
    "DL-OPT2-1 DL-OPT2-2 DL-OPT2-4 PAPER-OPT2 PD-220: Prosody asks the operator: listed in, unlisted/wrong/forged out, service down fails closed",
  ...opts,
  async fn() {
    // spec: DL-OPT2-1 DL-OPT2-2 DL-OPT2-4 PD-220 PD-223 RFC7628-3.1
    const port = freeLoopbackPort();
    const service = await exampleLoginService();
    const answers: string[] = [];
    const onAnswer = (_: number, b: Readonly<Record<string, unknown>>) =>
      answers.push(b.active === true ? "yes" : String(b.error));
    let running = startOperatorAuthService(service, { port, onAnswer });
    const server = await startProsody(delegatingProsody(running.url));
    try {
      const log = await server.readLog();
      assert.ok(
        !/error/i.test(
          log.split("\n").filter((l) => /derlink_operator|oauthbearer/i.test(l)).join("\n"),
        ),
      );
      const der1 = await connectWithToken(server, "der1", loginToken(J("der1")));
      assert.equal(der1.jid, `${J("der1")}/r1`);
      assert.equal(der1.connection!.driver.state.mechanism, "OAUTHBEARER");
      await der1.close();
      // Both operator key algorithms work.
      const cc = await connectWithToken(server, "cc", loginToken(J("cc"), "ES256"));

      assert.equal(
        await refusedWith(connectWithToken(server, "der3", loginToken(J("der3")))),
        "sasl/not-authorized",
      );
      assert.equal(
        await refusedWith(connectWithToken(server, "der2", loginToken(J("der1")))),
        "sasl/not-authorized",
      );
      const forged = loginTokenFor(
        J("der1"),
        "derlink.test",
        ISSUER,
        KEYS.rogueEd25519.signer,
        Math.floor(Date.now() / 1000),
        "forged-0000000000001",
      );
      assert.equal(
        await refusedWith(connectWithToken(server, "der1", forged)),
        "sasl/not-authorized",
      );
      assert.deepEqual(answers, [
        "yes",
        "yes",
        "operator-auth/not-listed",
        "operator-auth/wrong-account",
        "access/bad-signature",
      ]);

      // The service is down: nobody gets in, and Prosody says why in its log.
      await running.close();
      let t0 = performance.now();
      assert.equal(
        await refusedWith(connectWithToken(server, "der1", loginToken(J("der1")))),
        "sasl/not-authorized",
      );
      console.log(`service down: refused after ${(performance.now() - t0).toFixed(0)} ms`);
      // The service accepts connections but never answers: refused after Prosody's timeout (2 s).
      const silent = Deno.listen({ hostname: "127.0.0.1", port });
      const held: Deno.Conn[] = [];
      (async () => {
        for await (const c of silent) held.push(c);
      })().catch(() => {});
      t0 = performance.now();
      const order: string[] = [];
      const waiting = refusedWith(connectWithToken(server, "der1", loginToken(J("der1"))))
        .then((code) => (order.push("login refused"), code));
      // While that login waits on the silent service, Prosody still serves everyone else.
      await new Promise((r) => setTimeout(r, 300));
      const ping = new Element("iq", { type: "get", to: "derlink.test" })
        .c("ping", { xmlns: "urn:xmpp:ping" }).root() as unknown as Xel;
      const pong = await cc.iq(ping, { timeoutMs: 5000 });
      order.push(`ping ${pong.attrs.type}`);
      assert.equal(await waiting, "sasl/not-authorized");
      assert.deepEqual(order, ["ping result", "login refused"]);
      console.log(`service silent: refused after ${(performance.now() - t0).toFixed(0)} ms`);
      await cc.close();
      silent.close();
      held.forEach((c) => c.close());
      assert.match(await server.readLog(), /login service unavailable \(timeout\)/);

      // Back again: logins work.
      // The silent listener's port may take a moment to be free again.
      for (let i = 0;; i++) {
        try {
          running = startOperatorAuthService(service, { port, onAnswer });
          break;
        } catch (e) {
          if (!(e instanceof Deno.errors.AddrInUse) || i > 50) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const again = await connectWithToken(server, "der1", loginToken(J("der1")));
      await again.close();
    } finally {
      await server.stop();
      await running.close().catch(() => {});
    }
  },
});

interface Peer {
  readonly client: XmppClient;
  readonly got: Xel[];
}

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
  new Element("iq", { type: "set", to: "pubsub.derlink.test", id })
    .c("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" })
    .c("publish", { node: "tariff" }).c("item", { id: "t1" })
    .c("tariff", { xmlns: "urn:derlink:tariff:0" }).root() as unknown as Xel;

/** Runs the must-show traffic; `withRules` adds Option 1's compiled rules of the same ACL. */
async function mustShow(withRules: boolean) {
  const acl = exampleAcl();
  const dir = await Deno.makeTempDir({ prefix: "derlink-opt2-" });
  let extraLua = "";
  if (withRules) {
    const compiled = compileProsodyFirewall(acl, dir);
    await Deno.writeTextFile(`${dir}/acl.pfw`, compiled.script);
    for (const [name, text] of Object.entries(compiled.lists)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    extraLua = `  firewall_scripts = { ${JSON.stringify(`${dir}/acl.pfw`)} }`;
  }
  const running = startOperatorAuthService(await exampleLoginService(acl));
  const server = await startProsody(delegatingProsody(running.url, {
    // der1 may create and publish pubsub nodes as far as Prosody is concerned.
    pubsubAdmins: [J("market"), J("der1")],
    ...(withRules ? { alsoModules: ["firewall"], extraLua } : {}),
  }));
  const peers: Record<string, Peer> = {};
  try {
    assert.ok(!/Error compiling|Compilation error/.test(await server.readLog()));
    for (const n of ["der1", "der2", "cc", "market"]) {
      const client = await connectWithToken(server, n, loginToken(J(n)));
      const got: Xel[] = [];
      client.on("stanza", (s) => got.push(s));
      client.send(new Element("presence") as unknown as Xel);
      peers[n] = { client, got };
    }
    // The unlisted DER never logs in, with or without the rules: it cannot join anything.
    assert.equal(
      await refusedWith(connectWithToken(server, "der3", loginToken(J("der3")))),
      "sasl/not-authorized",
    );
    const { der1, der2, cc, market } = peers;

    der1.client.send(chat(J("der2"), "d2d"));
    der1.client.send(chat(J("cc"), "d2c"));
    cc.client.send(chat(`${J("der2")}/r1`, "c2d"));
    await until("the control centre's message", () => der2.got.some((x) => x.attrs.id === "c2d"));
    await until("the DER's report", () => cc.got.some((x) => x.attrs.id === "d2c"));
    const d2d = withRules
      ? (await until("refusal", () => errorOf(der1, (x) => x.attrs.id === "d2d") !== undefined),
        errorOf(der1, (x) => x.attrs.id === "d2d"))
      : (await until("delivery", () => der2.got.some((x) => x.attrs.id === "d2d")), "delivered");

    const pubDer1 = await der1.client.iq(publish("pub-der1"), { timeoutMs: 5000 }).then(
      (r) => r.attrs.type,
      (e) => String(e).includes("forbidden") ? "forbidden" : String(e),
    );
    const pubMarket = await market.client.iq(publish("pub-market"), { timeoutMs: 5000 });
    assert.equal(pubMarket.attrs.type, "result");

    cc.client.send(joinPresence(`${ROOM}/cc`));
    await until("room created", () => cc.got.some((x) => x.attrs.from === `${ROOM}/cc`));
    der1.client.send(joinPresence(`${ROOM}/der1`));
    market.client.send(joinPresence(`${ROOM}/market`));
    await until("der1 in", () => cc.got.some((x) => x.attrs.from === `${ROOM}/der1`));
    await until(
      "market's outcome",
      () =>
        market.got.some((x) => x.name === "presence" && x.attrs.from === `${ROOM}/market`) ||
        errorOf(market, (x) => x.name === "presence") !== undefined,
    );
    const marketJoin = errorOf(market, (x) => x.name === "presence") ?? "joined";
    return { d2d, pubDer1, marketJoin };
  } finally {
    await Promise.all(Object.values(peers).map((p) => p.client.close().catch(() => {})));
    await server.stop();
    await running.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name:
    "DL-OPT2-5 PD-224 PAPER-OPT2: Option 2 alone refuses logins only; with Option 1's rules from the same ACL it refuses DER->DER, DER tariff publish, non-member join",
  ...opts,
  async fn() {
    // spec: DL-OPT2-5 PD-224 DL-OPT2-2 DL-ACL-2 DL-ACL-4 DL-ACL-6
    const alone = await mustShow(false);
    assert.deepEqual(alone, { d2d: "delivered", pubDer1: "result", marketJoin: "joined" });
    const combined = await mustShow(true);
    assert.deepEqual(combined, {
      d2d: ["forbidden", "acl/address-denied"],
      pubDer1: "forbidden",
      marketJoin: ["forbidden", "acl/room-denied"],
    });
  },
});
