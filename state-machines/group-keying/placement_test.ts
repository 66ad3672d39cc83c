/**
 * Key server placement (PD-231), executed with the real key server and
 * member machines: both placements register every member and carry the
 * group command; no traffic key crosses the wire outside the sealed key
 * download or wrapped rekeys; and the trust consequence — under a separate
 * KDC its holder can make a group command the DERs accept as the control
 * centre's, while with the key server in the control centre the same party
 * (with a valid grid certificate of its own) can neither register members
 * nor forge a group message.
 */
import assert from "node:assert/strict";
import { toHex, utf8 } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { keyServer } from "./key_server.ts";
import type { KeyServerOutput, KeyServerState } from "./key_server_types.ts";
import { member } from "./member.ts";
import type { MemberOutput, MemberState } from "./member_types.ts";
import {
  KEY_SERVER_PLACEMENTS,
  type KeyServerPlacement,
  placeKeyServer,
  PlacementError,
} from "./placement.ts";
import { protectSpdu } from "./spdu.ts";
import { groupFixture, KS_JID, T0 } from "./testing.ts";

const CC = "vpp@grid.example", D1 = "der1@grid.example", D2 = "der2@grid.example";
const STREAM = "stream-1";

function world(placement: KeyServerPlacement) {
  const f = groupFixture({ jids: [CC, D1, D2], publishers: [CC], protections: ["aes-128-gcm"] });
  const idOf = (jid: string) => {
    const c = f.certs.get(jid)!;
    return { jid, chain: c.chain, key: c.cert.key };
  };
  const kdc = { jid: KS_JID, chain: f.hierarchy.chains[0], key: f.ks.key };
  const comp = placeKeyServer(placement, { controlCentre: idOf(CC), kdc });
  let ks: KeyServerState = keyServer.init({ ...f.ksConfig("placement"), ...comp.keyServer });
  const members = new Map<string, MemberState>();
  for (const j of [CC, D1, D2]) {
    members.set(j, member.init({ ...f.memberConfig(j), keyServerJid: comp.keyServerJid }));
  }
  const wire: Uint8Array[] = [];
  const stepMember = (j: string, input: Parameters<typeof member.step>[1]): MemberOutput[] => {
    const r = member.step(members.get(j)!, input);
    members.set(j, r.state);
    return [...r.out];
  };
  const stepKs = (input: Parameters<typeof keyServer.step>[1]): KeyServerOutput[] => {
    const r = keyServer.step(ks, input);
    ks = r.state;
    // Rekeys go to every member (PD-129), signed by the key server and wrapped under key encryption keys.
    for (const o of r.out) {
      if (o.type !== "rekey") continue;
      wire.push(o.data);
      for (const [j, m] of members) {
        if (m.phase === "member") {
          stepMember(j, { type: "message", data: o.data, from: comp.keyServerJid, now: T0 });
        }
      }
    }
    return [...r.out];
  };
  /** Registration over the "network": every message recorded, the key server's stamped with its JID. */
  const register = (j: string) => {
    let pending = stepMember(j, { type: "start", now: T0 });
    for (let round = 0; round < 4 && pending.some((o) => o.type === "send"); round++) {
      const next: MemberOutput[] = [];
      for (const s of pending) {
        if (s.type !== "send") continue;
        wire.push(s.data);
        for (const o of stepKs({ type: "message", data: s.data, from: j, now: T0 })) {
          if (o.type !== "send") continue;
          wire.push(o.data);
          next.push(
            ...stepMember(j, { type: "message", data: o.data, from: comp.keyServerJid, now: T0 }),
          );
        }
      }
      pending = next;
    }
  };
  return { f, comp, kdc, members, wire, stepMember, stepKs, register, ks: () => ks };
}

for (const placement of KEY_SERVER_PLACEMENTS) {
  Deno.test(`key server placement ${placement}: members register, the control centre's group command is delivered, no traffic key on the wire (PD-231 PAPER-M6)`, () => {
    // spec: PD-231 PAPER-OPT5 PAPER-M5 PAPER-M6 PAPER-TA5
    const w = world(placement);
    assert.equal(w.comp.hostedByControlCentre, placement === "control-centre");
    assert.deepEqual(w.comp.keyHolders, [placement === "control-centre" ? CC : KS_JID]);
    for (const j of [CC, D1, D2]) w.register(j);
    for (const j of [CC, D1, D2]) assert.equal(w.members.get(j)!.phase, "member", j);
    const pub = w.stepMember(CC, {
      type: "protect",
      streamId: STREAM,
      payload: utf8("curtail 60%"),
      now: T0,
    });
    const data = pub.find((o) => o.type === "publish")!;
    assert.ok(data.type === "publish");
    w.wire.push(data.data);
    for (const j of [D1, D2]) {
      const got = w.stepMember(j, { type: "spdu", data: data.data, from: CC, now: T0 });
      assert.deepEqual(got.map((o) => o.type), ["deliver"]);
    }
    const text = w.wire.map((b) => toHex(b)).join("");
    for (const tek of w.ks().teks) {
      assert.ok(!text.includes(toHex(tek.key)), "a traffic key crossed in clear");
    }
  });
}

Deno.test("key server placement: a separate KDC's holder makes a group command the DERs take for the control centre's (PD-231)", () => {
  // spec: PD-231 PAPER-OPT5 PAPER-R4b
  const w = world("separate-kdc");
  for (const j of [CC, D1, D2]) w.register(j);
  // The KDC's operator reads a traffic key out of its own key server and writes as the control centre;
  // the XMPP server (or the room) stamps the control centre as sender.
  const tek = w.ks().teks.filter((t) => t.streamId === STREAM && t.notBefore <= T0).at(-1)!;
  const forged = protectSpdu(getSuite(w.f.suite), tek, {
    spdu: 1000,
    time: T0,
    ttl: 2000,
    sender: CC,
  }, utf8("trip all DERs"));
  const got = w.stepMember(D1, { type: "spdu", data: forged, from: CC, now: T0 });
  assert.deepEqual(got.map((o) => o.type === "error" ? o.code : o.type), ["deliver"]);
  assert.equal(
    new TextDecoder().decode((got[0] as { payload: Uint8Array }).payload),
    "trip all DERs",
  );
});

Deno.test("key server placement: with the key server in the control centre, a party with a valid grid certificate can neither register members nor forge (PD-231)", () => {
  // spec: PD-231 PAPER-OPT5 PAPER-M6
  const w = world("control-centre");
  for (const j of [CC, D1, D2]) w.register(j);
  // The would-be KDC runs its own key server with its own valid certificate.
  let rogue = keyServer.init({ ...w.f.ksConfig("rogue") });
  const d3 = member.init({ ...w.f.memberConfig(D2, "again"), keyServerJid: CC });
  const request = member.step(d3, { type: "start", now: T0 });
  const req = request.out.find((o) => o.type === "send")!;
  assert.ok(req.type === "send");
  assert.equal(req.to, CC, "members address the control centre only");
  const r = keyServer.step(rogue, { type: "message", data: req.data, from: D2, now: T0 });
  rogue = r.state;
  const challenge = r.out.find((o) => o.type === "send")!;
  assert.ok(challenge.type === "send");
  // Even stamped as coming from the control centre, the rogue's challenge is signed by another identity.
  const refused = member.step(request.state, {
    type: "message",
    data: challenge.data,
    from: CC,
    now: T0,
  });
  assert.equal(refused.out.some((o) => o.type === "error"), true);
  assert.notEqual(refused.state.phase, "member");
  const own = rogue.teks.find((t) => t.streamId === STREAM)!;
  const forged = protectSpdu(
    getSuite(w.f.suite),
    own,
    { spdu: 5, time: T0, ttl: 2000, sender: CC },
    utf8("x"),
  );
  const got = w.stepMember(D1, { type: "spdu", data: forged, from: CC, now: T0 });
  console.log("ROGUE", JSON.stringify(got), JSON.stringify(refused.out));
  assert.equal(got[0]?.type, "error");
});

Deno.test("key server placement: unknown value and a separate KDC without identity are refused (PD-231)", () => {
  const f = groupFixture({ jids: [CC], publishers: [CC], protections: ["aes-128-gcm"] });
  const cc = { jid: CC, chain: f.certs.get(CC)!.chain, key: f.certs.get(CC)!.cert.key };
  assert.throws(
    () => placeKeyServer("cloud" as never, { controlCentre: cc }),
    (e: Error) => (e as { code?: string }).code === PlacementError["invalid-placement"],
  );
  assert.throws(
    () => placeKeyServer("separate-kdc", { controlCentre: cc }),
    (e: Error) => (e as { code?: string }).code === PlacementError["missing-kdc"],
  );
});
