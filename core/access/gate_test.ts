/**
 * The DER's access gate: a token presented on an association authorizes the
 * requests on that association only, until it expires or the association
 * ends; one-time command tokens are used once; the carrier element reads
 * strictly; IEC 61850 requests map to services and logical devices.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import {
  baseClaims,
  CONTROL,
  DER,
  fixtureKeys,
  ISSUER,
  NOW_MS,
  NOW_S,
  operatorKeysOf,
} from "./fixtures.ts";
import {
  AccessError,
  AUTHORIZATION_TYPE,
  authorizeOnAssociation,
  authorizeWithToken,
  createAccessVerifier,
  EMPTY_GATE,
  endAssociation,
  issueAccessToken,
  needOfRequest,
  presentToken,
  type ServiceNeed,
  tokenElement,
  tokenOfElement,
} from "./mod.ts";
import { EMPTY_REPLAY, remember, replayProblem } from "./replay.ts";

const ks = fixtureKeys();
const v = await createAccessVerifier({ issuer: ISSUER, audience: DER, keys: operatorKeysOf(ks) });
const A = "00112233445566778899aabbccddeeff";
const read = (ld: string): ServiceNeed => ({ service: "read", logicalDevices: [ld] });

Deno.test("gate: a token presented on an association authorizes its requests, only there (PD-208 PAPER-OPT3)", async () => {
  // spec: PD-208 PAPER-OPT3 PD-207
  const token = issueAccessToken(baseClaims(), ks.es256.signer);
  const p = await presentToken(v, EMPTY_GATE, {
    association: A,
    peer: CONTROL,
    token,
    now: NOW_MS,
  });
  assert.equal(p.result.ok, true);
  const on = (association: string, need = read("LD1"), now = NOW_MS) =>
    authorizeOnAssociation(v, p.state, { association, need, now });
  assert.equal(on(A).ok, true);
  const other = on("ff".repeat(16));
  assert.equal(!other.ok && other.error.code, AccessError["no-grant"]);
  const write = on(A, { service: "write", logicalDevices: ["LD1"] });
  assert.equal(!write.ok && write.error.code, AccessError["service-not-allowed"]);
  // The token expires while the association lives on: requests are refused from then on.
  const late = on(A, read("LD1"), (NOW_S + 600 + 60) * 1000);
  assert.equal(!late.ok && late.error.code, AccessError.expired);
  const ended = endAssociation(p.state, A);
  const gone = authorizeOnAssociation(v, ended, { association: A, need: read("LD1"), now: NOW_MS });
  assert.equal(!gone.ok && gone.error.code, AccessError["no-grant"]);
  // The same token cannot be presented again on a new association.
  const again = await presentToken(v, ended, {
    association: "ab".repeat(16),
    peer: CONTROL,
    token,
    now: NOW_MS,
  });
  assert.equal(!again.result.ok && again.result.error.code, AccessError.replayed);
});

Deno.test("gate: a token for another control centre is refused on this association (PD-205)", async () => {
  // spec: PD-205
  const token = issueAccessToken(
    baseClaims({ sub: "cc2@derlink.test", client_id: "cc2" }),
    ks.es256.signer,
  );
  const p = await presentToken(v, EMPTY_GATE, {
    association: A,
    peer: CONTROL,
    token,
    now: NOW_MS,
  });
  assert.equal(!p.result.ok && p.result.error.code, AccessError["subject-mismatch"]);
  assert.equal(p.state, EMPTY_GATE);
});

Deno.test("gate: a one-time command token is used once, even when the command is refused (PD-208)", async () => {
  // spec: PD-208 RFC7519-4.1.7
  const token = issueAccessToken(
    baseClaims({
      jti: "jti-group-command-0001",
      authorization_details: [{
        type: AUTHORIZATION_TYPE,
        actions: ["group-command"],
        identifier: "*",
      }],
    }),
    ks.ed25519.signer,
  );
  const need = { service: "group-command" as const, logicalDevices: [] };
  const first = await authorizeWithToken(v, EMPTY_GATE, {
    peer: CONTROL,
    token,
    need,
    now: NOW_MS,
  });
  assert.equal(first.result.ok, true);
  const second = await authorizeWithToken(v, first.state, {
    peer: CONTROL,
    token,
    need,
    now: NOW_MS,
  });
  assert.equal(!second.result.ok && second.result.error.code, AccessError.replayed);
  const other = issueAccessToken(baseClaims({ jti: "jti-group-command-0002" }), ks.ed25519.signer);
  const refused = await authorizeWithToken(v, EMPTY_GATE, {
    peer: CONTROL,
    token: other,
    need,
    now: NOW_MS,
  });
  assert.equal(!refused.result.ok && refused.result.error.code, AccessError["service-not-allowed"]);
  assert.equal(refused.state.replay.entries.length, 1);
});

Deno.test("replay cache: entries leave once their tokens expired; capacity evicts the earliest and raises the floor (PD-204)", () => {
  // spec: PD-204
  let s = EMPTY_REPLAY;
  for (let i = 0; i < 10; i++) s = remember(s, `i ${i}`, 1000 + i, 900 + i, 60, 100);
  assert.equal(s.entries.length, 10);
  s = remember(s, "late", 5000, 1065, 60, 100);
  assert.deepEqual(s.entries.map((e) => e.id), ["i 6", "i 7", "i 8", "i 9", "late"]);
  const full = remember(remember(EMPTY_REPLAY, "a", 100, 0, 60, 1), "b", 200, 0, 60, 1);
  assert.deepEqual([full.floor, full.entries.map((e) => e.id)], [100, ["b"]]);
  assert.equal(replayProblem(full, "c", 100), "replay-floor");
  assert.equal(replayProblem(full, "b", 300), "replayed");
  assert.equal(replayProblem(full, "c", 101), undefined);
});

Deno.test("carriage: the access-token element round-trips and refuses anything else (PD-208)", () => {
  // spec: PD-208
  const t = issueAccessToken(baseClaims(), ks.es256.signer);
  const r = tokenOfElement(tokenElement(t));
  assert.equal(r.ok && r.value, t);
  const wrongNs = new Element("access-token", { xmlns: "urn:other" }).t(t);
  const child = tokenElement(t).c("x").root();
  const attr = new Element("access-token", { xmlns: "urn:derlink:access:0", id: "1" }).t(t);
  for (const e of [wrongNs, child, attr]) {
    const bad = tokenOfElement(e);
    assert.equal(!bad.ok && bad.error.code, AccessError.malformed);
  }
  const big = tokenOfElement(tokenElement("A".repeat(9000)));
  assert.equal(!big.ok && big.error.code, AccessError.oversize);
});

Deno.test("needs: IEC 61850 requests map to services and logical devices (PD-207)", () => {
  // spec: PD-207
  const origin = { orCat: "remote-control" as const, orIdent: "cc" };
  const params = {
    ctlVal: { type: "boolean" as const, value: true },
    origin,
    ctlNum: 1,
    t: 0,
    test: false,
    check: { synchrocheck: false, interlockCheck: false },
  };
  assert.deepEqual(
    needOfRequest({
      service: "read",
      items: [{ ref: "LD1/MMXU1.TotW.mag.f", fc: "MX" }, { ref: "LD1/LLN0.Mod.stVal", fc: "ST" }],
    }),
    { service: "read", logicalDevices: ["LD1"] },
  );
  assert.deepEqual(
    needOfRequest({
      service: "write",
      items: [{
        ref: { ref: "LD2/DRCC1.OutWSet.setMag.f", fc: "SP" },
        value: { type: "float", value: 1, width: 32 },
      }],
    }),
    { service: "write", logicalDevices: ["LD2"] },
  );
  assert.deepEqual(needOfRequest({ service: "operate", control: "LD3/CSWI1.Pos", params }), {
    service: "operate",
    logicalDevices: ["LD3"],
  });
  assert.deepEqual(
    needOfRequest({ service: "get-name-list", scope: { objectClass: "logical-device" } }),
    {
      service: "read",
      logicalDevices: [],
    },
  );
  assert.deepEqual(
    needOfRequest({
      service: "get-name-list",
      scope: { objectClass: "data", logicalNode: "LD4/MMXU1" },
    }),
    { service: "read", logicalDevices: ["LD4"] },
  );
});
