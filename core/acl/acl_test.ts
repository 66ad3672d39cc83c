/**
 * The ACL: strict parsing with typed codes, the decision table for the
 * grid example (DER to DER refused, DER publishing tariffs refused, an
 * unlisted DER joining the group room refused, the listed traffic let
 * through), and the compiled mod_firewall script.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { AclError } from "./errors.ts";
import { gridAclDocument } from "./fixtures.ts";
import { type Acl, compileProsodyFirewall, decide, parseAcl, stanzaFacts } from "./mod.ts";

const D = "derlink.test";
const doc = () => gridAclDocument(D);
const acl = (() => {
  const r = parseAcl(JSON.stringify(doc()));
  if (!r.ok) throw r.error;
  return r.value;
})();

const codeOf = (input: unknown) => {
  const r = parseAcl(input);
  return r.ok ? "ok" : r.error.code;
};

Deno.test("acl parse: the example reads; every fault has its code (DL-ACL-1 PD-209)", () => {
  // spec: DL-ACL-1 PD-209
  assert.equal(codeOf(JSON.stringify(doc())), "ok");
  assert.deepEqual(acl.groups.get("ders"), [`der1@${D}`, `der2@${D}`]);
  const cases: [string, unknown][] = [
    [AclError["not-json"], "{version: 1"],
    [AclError.schema, { ...doc(), version: 2 }],
    [AclError.schema, { ...doc(), extra: true }],
    [AclError.schema, { ...doc(), rooms: { [`g@rooms.${D}`]: { members: ["@ders"] } } }],
    [AclError.schema, { ...doc(), groups: { "Bad Name": [] } }],
    [AclError.schema, { ...doc(), addressing: [{ from: [], to: ["*"] }] }],
    [AclError["invalid-jid"], { ...doc(), groups: { ders: [`DER1@${D}`] } }],
    [AclError.schema, { ...doc(), groups: { ders: [`der1@${D}/r`] } }],
    [AclError["invalid-jid"], { ...doc(), groups: { ders: ["der1@bad..example"] } }],
    [AclError["unknown-group"], { ...doc(), addressing: [{ from: ["@nobody"], to: ["*"] }] }],
    [AclError["wrong-service"], {
      ...doc(),
      rooms: { [`g@${D}`]: { moderators: ["*"], members: ["*"] } },
    }],
    [AclError["wrong-service"], { ...doc(), groups: { ders: [`x@pubsub.${D}`] } }],
    [AclError.duplicate, { ...doc(), groups: { ders: [`der1@${D}`, `der1@${D}`] } }],
    [AclError.duplicate, { ...doc(), addressing: [{ from: ["*", "*"], to: ["*"] }] }],
  ];
  for (const [code, input] of cases) {
    assert.equal(codeOf(input), code, JSON.stringify(input).slice(0, 120));
  }
});

const st = (name: string, attrs: Record<string, string>, ...kids: Element[]): Xel => {
  const e = new Element(name, attrs);
  for (const k of kids) e.cnode(k);
  return e as unknown as Xel;
};
const el = (name: string, attrs: Record<string, string> = {}, ...kids: Element[]) => {
  const e = new Element(name, attrs);
  for (const k of kids) e.cnode(k);
  return e;
};
const PUBSUB = "http://jabber.org/protocol/pubsub";
const publish = (from: string, node: string) =>
  st(
    "iq",
    { from: `${from}/r`, to: `pubsub.${D}`, type: "set", id: "p" },
    el("pubsub", { xmlns: PUBSUB }, el("publish", { node }, el("item"))),
  );
const join = (from: string, room = `group1@rooms.${D}`) =>
  st(
    "presence",
    { from: `${from}/r`, to: `${room}/${from.split("@")[0]}` },
    el("x", { xmlns: "http://jabber.org/protocol/muc" }),
  );
const chat = (from: string, to: string, type = "chat") =>
  st("message", { from: `${from}/r`, to, type }, el("body"));

function verdict(a: Acl, s: Xel): string {
  const d = decide(a, stanzaFacts(s)!);
  return d.allow ? "pass" : `${d.condition} ${d.code}`;
}

Deno.test("acl decide: the grid example (DL-ACL-2..6 DL-ACL-10 PAPER-OPT1)", () => {
  // spec: PD-210 DL-ACL-2 DL-ACL-3 DL-ACL-4 DL-ACL-5 DL-ACL-6 DL-ACL-10 PAPER-OPT1 RFC6120-8.3.3.6 RFC6120-8.3.3.12
  const [der1, der2, der3, cc, market] = ["der1", "der2", "der3", "cc", "market"].map((u) =>
    `${u}@${D}`
  );
  const table: [Xel, string][] = [
    [chat(der1, der2), "forbidden acl/address-denied"],
    [chat(der1, `${der2}/r`), "forbidden acl/address-denied"],
    [chat(der3, cc), "forbidden acl/address-denied"],
    [chat(der1, cc), "pass"],
    [chat(cc, `${der1}/r`), "pass"],
    [chat(der1, "x@elsewhere.example"), "forbidden acl/address-denied"],
    [
      st("iq", { from: `${der1}/r`, to: `${der2}/r`, type: "result", id: "1" }),
      "forbidden acl/reply-denied",
    ],
    [st("iq", { from: `${der1}/r`, to: `${cc}/r`, type: "result", id: "1" }), "pass"],
    [st("message", { from: `${der1}/r`, to: der2, type: "error" }), "forbidden acl/reply-denied"],
    [publish(der1, "tariff"), "forbidden acl/publish-denied"],
    [publish(market, "tariff"), "pass"],
    [publish(market, "other"), "not-allowed acl/node-unknown"],
    [
      st(
        "iq",
        { from: `${der1}/r`, to: `pubsub.${D}`, type: "set", id: "s" },
        el("pubsub", { xmlns: PUBSUB }, el("subscribe", { node: "tariff", jid: der1 })),
      ),
      "pass",
    ],
    [
      st(
        "iq",
        { from: `${der3}/r`, to: `pubsub.${D}`, type: "set", id: "s" },
        el("pubsub", { xmlns: PUBSUB }, el("subscribe", { node: "tariff", jid: der3 })),
      ),
      "forbidden acl/subscribe-denied",
    ],
    [
      st(
        "iq",
        { from: `${cc}/r`, to: `pubsub.${D}`, type: "set", id: "d" },
        el("pubsub", { xmlns: `${PUBSUB}#owner` }, el("delete", { node: "tariff" })),
      ),
      "forbidden acl/publish-denied",
    ],
    [
      st(
        "iq",
        { from: `${der1}/r`, to: `pubsub.${D}`, type: "get", id: "i" },
        el("query", { xmlns: "http://jabber.org/protocol/disco#info" }),
      ),
      "pass",
    ],
    [join(der3), "forbidden acl/room-denied"],
    [join(der1), "pass"],
    [join(cc), "pass"],
    [join(der1, `other@rooms.${D}`), "not-allowed acl/room-unknown"],
    [st("presence", { from: `${der3}/r`, to: `group1@rooms.${D}/x`, type: "unavailable" }), "pass"],
    [chat(der1, `group1@rooms.${D}`, "groupchat"), "pass"],
    [chat(der3, `group1@rooms.${D}`, "groupchat"), "forbidden acl/room-denied"],
    [chat(der1, `group1@rooms.${D}/der2`), "forbidden acl/moderation-denied"],
    [chat(cc, `group1@rooms.${D}/der2`), "pass"],
    [
      st(
        "iq",
        { from: `${der1}/r`, to: `group1@rooms.${D}`, type: "set", id: "a" },
        el("query", { xmlns: "http://jabber.org/protocol/muc#admin" }),
      ),
      "forbidden acl/moderation-denied",
    ],
    [
      st(
        "iq",
        { from: `${cc}/r`, to: `group1@rooms.${D}`, type: "set", id: "a" },
        el("query", { xmlns: "http://jabber.org/protocol/muc#admin" }),
      ),
      "pass",
    ],
    [
      st(
        "message",
        { from: `${der1}/r`, to: `group1@rooms.${D}` },
        el("x", { xmlns: "http://jabber.org/protocol/muc#user" }, el("invite", { to: der3 })),
      ),
      "forbidden acl/moderation-denied",
    ],
    [
      st(
        "iq",
        { from: `${der1}/r`, type: "get", id: "r" },
        el("query", { xmlns: "jabber:iq:roster" }),
      ),
      "pass",
    ],
    [
      st(
        "iq",
        { from: `${der1}/r`, to: D, type: "get", id: "p" },
        el("ping", { xmlns: "urn:xmpp:ping" }),
      ),
      "pass",
    ],
    [st("message", { from: `${der1}/r`, to: der1 }), "pass"],
    [st("presence", { from: `${der1}/r` }), "pass"],
  ];
  const got = table.map(([s]) => verdict(acl, s));
  assert.deepEqual(got, table.map(([, v]) => v));
});

Deno.test("acl compile: a mod_firewall preroute script with one list per principal set (DL-ACL-9 PD-212)", () => {
  // spec: DL-ACL-9 PD-212
  const f = compileProsodyFirewall(acl, "/tmp/acl-dir");
  assert.match(f.script, /^::preroute$/m);
  assert.match(f.script, /^%LIST acl_p1: file:\/tmp\/acl-dir\/acl_p1\.txt$/m);
  assert.match(f.script, /BOUNCE=forbidden \(acl\/address-denied\)\n$/);
  assert.match(
    f.script,
    /INSPECT: \{http:\/\/jabber\.org\/protocol\/pubsub\}pubsub\/publish@node=tariff/,
  );
  const lists = Object.values(f.lists);
  assert.ok(lists.includes(`der1@${D}\nder2@${D}\n`));
  assert.ok(lists.includes(`market@${D}\n`));
  // Every rule block ends in exactly one action and blocks are separated by blank lines.
  for (const block of f.script.split("\n\n").slice(1)) {
    const lines = block.split("\n").filter((l) => l && !l.startsWith("#"));
    if (lines.length === 0 || lines[0] === "::preroute") continue;
    assert.match(lines.at(-1)!, /^(PASS\.|DROP\.|BOUNCE=)/, block);
  }
});
