/**
 * Option 2 of the paper's §V in the in-memory router (PD-242): every
 * receiver offers OAUTHBEARER only and asks the grid operator's in-process
 * login decision (core/operator-auth, PD-240), built from the same ACL file
 * Option 1 compiles. The must-show of the Prosody interop test
 * (tests/interop/operator_auth_prosody_test.ts, PD-224), both ways, without
 * a server process: with Option 2 alone the unlisted DER cannot log in (so
 * cannot join the group room) while a DER still addresses another DER,
 * publishes to the tariff node and a listed non-member joins the room; with
 * Option 1's rules from the same ACL as well, those three are refused with
 * their `acl/*` codes and the listed traffic flows. The server's side of a
 * refused login is its typed code (the client sees only the status).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import { gridAclDocument } from "../../core/acl/fixtures.ts";
import { aclStanzaPolicy, parseAcl } from "../../core/acl/mod.ts";
import { fixtureKeys, ISSUER, NOW_MS, NOW_S, operatorKeysOf } from "../../core/access/fixtures.ts";
import { createLoginDecider, loginTokenFor } from "../../core/operator-auth/mod.ts";
import { joinPresence } from "../../state-machines/muc/stanzas.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { testPki } from "../adapter_test_fixtures.ts";
import type { MemoryRouter } from "../memory-router.ts";
import { XmppClient } from "../xmpp_client.ts";
import { DOMAIN, settle, testRouter } from "./testing.ts";

const J = (u: string) => `${u}@${DOMAIN}`;
const ROOM = `group1@rooms.${DOMAIN}`;
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const PUBSUB = "http://jabber.org/protocol/pubsub";
const KEYS = fixtureKeys();
const USERS = ["der1", "der2", "der3", "cc", "market"];

function acl() {
  const r = parseAcl(gridAclDocument(DOMAIN));
  if (!r.ok) throw r.error;
  return r.value;
}

/** A router whose logins the operator decides; with Option 1's rules when `rules`. */
async function delegatingRouter(rules: boolean, refusals: string[]) {
  const a = acl();
  const decider = createLoginDecider({ acl: a, issuer: ISSUER, keys: operatorKeysOf(KEYS) });
  return await testRouter(USERS, {
    rosterGroups: null,
    now: NOW_MS,
    // der1 may create and publish nodes as far as the pubsub service is concerned (as at Prosody).
    pubsubAdmins: [J("market"), J("der1")],
    // spec: PD-242 PD-241
    receiver: {
      scramHashes: [],
      oauthBearer: decider,
      ...(rules ? { stanzaPolicy: aclStanzaPolicy(a) } : {}),
    },
    onError: (s, code) => refusals.push(`${s.id} ${code}`),
  });
}

let jti = 0;
const token = (user: string) =>
  loginTokenFor(
    J(user),
    DOMAIN,
    ISSUER,
    KEYS.ed25519.signer,
    NOW_S - 60,
    `router-login-${String(++jti).padStart(6, "0")}`,
    600,
  );

interface Peer {
  readonly client: XmppClient;
  readonly got: Xel[];
}

async function login(router: MemoryRouter, user: string, bearer = token(user)): Promise<Peer> {
  const p = await testPki();
  const client = await XmppClient.connect({
    jid: J(user),
    resource: "r1",
    entropy: new SeededEntropy(`router-opt2/${user}`),
    server: { host: "memory", port: 5222 },
    tls: { anchors: [p.ca.certPem] },
    connector: router.connector,
    machine: { mechanisms: ["OAUTHBEARER"], bearerToken: bearer },
    checked: true,
    reconnect: false,
  });
  const got: Xel[] = [];
  client.on("stanza", (s) => got.push(s));
  return { client, got };
}

async function refused(router: MemoryRouter, user: string, bearer?: string): Promise<string> {
  try {
    const p = await login(router, user, bearer);
    await p.client.close();
    return "logged in";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

function errorOf(p: Peer, pick: (x: Xel) => boolean): [string, string] | undefined {
  const e = p.got.filter((x) => pick(x) && x.attrs.type === "error").at(-1);
  const err = e?.children.find((k): k is Xel => typeof k === "object" && k.name === "error");
  if (!err) return undefined;
  const kids = err.children.filter((k): k is Xel => typeof k === "object");
  const cond = kids.find((k) => k.attrs.xmlns === STANZAS && k.name !== "text");
  return [cond?.name ?? "?", kids.find((k) => k.name === "text")?.getText() ?? ""];
}

const chat = (to: string, id: string) =>
  new Element("message", { to, type: "chat", id }).c("body").t(id).root() as unknown as Xel;
const pubsubIq = (id: string, action: Element) =>
  new Element("iq", { type: "set", to: `pubsub.${DOMAIN}`, id })
    .c("pubsub", { xmlns: PUBSUB }).cnode(action).root() as unknown as Xel;
const publish = (id: string) =>
  pubsubIq(
    id,
    new Element("publish", { node: "tariff" }).c("item", { id }).c("tariff", {
      xmlns: "urn:derlink:tariff:0",
    }).root(),
  );
const typeOf = (p: Peer, id: string) => p.got.find((x) => x.attrs.id === id)?.attrs.type;

/** The must-show traffic; `rules` adds Option 1's policy from the same ACL. */
async function mustShow(rules: boolean) {
  const codes: string[] = [];
  const router = await delegatingRouter(rules, codes);
  const peers: Record<string, Peer> = {};
  for (const n of ["der1", "der2", "cc", "market"]) {
    peers[n] = await login(router, n);
    peers[n].client.send(new Element("presence") as unknown as Xel);
  }
  const { der1, der2, cc, market } = peers;
  // The unlisted DER never logs in: the client sees the error result's status, the server the code.
  const der3 = await refused(router, "der3");
  const der3Code = codes.find((c) => c.endsWith("operator-auth/not-listed"));

  der1.client.send(chat(J("der2"), "d2d"));
  der1.client.send(chat(J("cc"), "d2c"));
  cc.client.send(chat(`${J("der2")}/r1`, "c2d"));
  market.client.send(pubsubIq("create", new Element("create", { node: "tariff" })));
  await settle();
  der1.client.send(publish("pub-der1"));
  market.client.send(publish("pub-market"));
  cc.client.send(joinPresence(`${ROOM}/cc`));
  await settle();
  // An instant room (XEP-0045 §10.1.2): open to anyone the server lets in, as Prosody's default.
  cc.client.send(
    new Element("iq", { type: "set", to: ROOM, id: "instant" })
      .c("query", { xmlns: "http://jabber.org/protocol/muc#owner" })
      .c("x", { xmlns: "jabber:x:data", type: "submit" }).root() as unknown as Xel,
  );
  await settle();
  der1.client.send(joinPresence(`${ROOM}/der1`));
  market.client.send(joinPresence(`${ROOM}/market`));
  await settle();
  const joined = (p: Peer, nick: string) =>
    errorOf(p, (x) => x.name === "presence") ??
      (p.got.some((x) => x.name === "presence" && x.attrs.from === `${ROOM}/${nick}`)
        ? "joined"
        : "nothing");
  const out = {
    der3,
    der3Code,
    d2d: errorOf(der1, (x) => x.attrs.id === "d2d") ??
      (der2.got.some((x) => x.attrs.id === "d2d") ? "delivered" : "lost"),
    d2c: cc.got.some((x) => x.attrs.id === "d2c"),
    c2d: der2.got.some((x) => x.attrs.id === "c2d"),
    pubDer1: errorOf(der1, (x) => x.attrs.id === "pub-der1") ?? typeOf(der1, "pub-der1"),
    pubMarket: typeOf(market, "pub-market"),
    der1Join: joined(der1, "der1"),
    marketJoin: joined(market, "market"),
  };
  for (const p of Object.values(peers)) await p.client.close();
  return out;
}

Deno.test("DL-OPT2-5 PD-224 PD-242 PAPER-OPT2: router Option 2 alone refuses logins only; with Option 1's rules from the same ACL it refuses DER->DER, DER tariff publish, non-member join", async () => {
  // spec: DL-OPT2-5 PD-224 PD-242 PD-241 DL-OPT2-2 DL-ACL-2 DL-ACL-4 DL-ACL-6 PAPER-OPT2 PAPER-OPT1
  const alone = await mustShow(false);
  assert.deepEqual(alone, {
    der3: "sasl/oauthbearer-error",
    der3Code: "4 operator-auth/not-listed",
    d2d: "delivered",
    d2c: true,
    c2d: true,
    pubDer1: "result",
    pubMarket: "result",
    der1Join: "joined",
    marketJoin: "joined",
  });
  const combined = await mustShow(true);
  assert.deepEqual(combined, {
    der3: "sasl/oauthbearer-error",
    der3Code: "4 operator-auth/not-listed",
    d2d: ["forbidden", "acl/address-denied"],
    d2c: true,
    c2d: true,
    pubDer1: ["forbidden", "acl/publish-denied"],
    pubMarket: "result",
    der1Join: "joined",
    marketJoin: ["forbidden", "acl/room-denied"],
  });
});

Deno.test("PD-242 DL-OPT2-1: router Option 2 refuses a password login, another account's token, an expired and a forged token, each with its code", async () => {
  // spec: PD-242 PD-241 DL-OPT2-1 PD-222 RFC6120-6.5.2
  const codes: string[] = [];
  const router = await delegatingRouter(false, codes);
  const expired = loginTokenFor(
    J("der1"),
    DOMAIN,
    ISSUER,
    KEYS.ed25519.signer,
    NOW_S - 1_200,
    "router-login-expired",
    600,
  );
  const forged = loginTokenFor(
    J("der1"),
    DOMAIN,
    ISSUER,
    KEYS.rogueEd25519.signer,
    NOW_S,
    "router-login-forged0",
    600,
  );
  assert.equal(await refused(router, "der1", token("der2")), "sasl/oauthbearer-error");
  assert.equal(await refused(router, "der1", expired), "sasl/oauthbearer-error");
  assert.equal(await refused(router, "der1", forged), "sasl/oauthbearer-error");
  assert.equal(await refused(router, "der1"), "logged in");
  assert.deepEqual(
    codes.filter((c) => !c.endsWith("xmpp/stream-closed")).map((c) => c.split(" ")[1]),
    [
      "operator-auth/wrong-account",
      "access/expired",
      "access/bad-signature",
    ],
  );
  // No SCRAM is offered: a password, stolen or not, logs nobody in.
  const p = await testPki();
  const byPassword = await XmppClient.connect({
    jid: J("der1"),
    password: "der1-router-fixture",
    resource: "r1",
    entropy: new SeededEntropy("router-opt2/password"),
    server: { host: "memory", port: 5222 },
    tls: { anchors: [p.ca.certPem] },
    connector: router.connector,
    reconnect: false,
  }).then(() => "logged in", (e) => (e as { code?: string }).code);
  assert.equal(byPassword, "sasl/no-acceptable-mechanism");
});
