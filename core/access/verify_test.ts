/**
 * Access-token verification beyond the vector file: properties (any single
 * change to a valid token is refused; verification never throws), tokens
 * signed by jose itself, and the key-set checks made when a verifier is built.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import { concat } from "../bytes.ts";
import { isDerlinkError } from "../errors.ts";
import { AccessError } from "./errors.ts";
import {
  baseClaims,
  CONTROL,
  DER,
  fixtureKey,
  fixtureKeys,
  ISSUER,
  NOW_MS,
  operatorKeysOf,
} from "./fixtures.ts";
import { createAccessVerifier, EMPTY_REPLAY, issueAccessToken } from "./mod.ts";

const ks = fixtureKeys();
const verifier = () =>
  createAccessVerifier({ issuer: ISSUER, audience: DER, keys: operatorKeysOf(ks) });
const input = { now: NOW_MS, replay: EMPTY_REPLAY, peer: CONTROL };

Deno.test("access token: any single-character change of a valid token is refused (RFC7515-5.2 RFC7515-2 PD-206)", async () => {
  // spec: RFC7515-5.2 RFC7515-2 PD-206
  const v = await verifier();
  const tokens = [
    issueAccessToken(baseClaims(), ks.es256.signer),
    issueAccessToken(baseClaims(), ks.ed25519.signer),
  ];
  for (const t of tokens) assert.equal((await v.verify(t, input)).ok, true);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...tokens),
      fc.nat(),
      fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff),
      async (t, at, code) => {
        const i = at % t.length;
        const ch = String.fromCodePoint(code);
        fc.pre(ch !== t[i]);
        const changed = t.slice(0, i) + ch + t.slice(i + 1);
        const r = await v.verify(changed, input);
        return !r.ok && r.error.code.startsWith("access/");
      },
    ),
    { numRuns: 400 },
  );
});

Deno.test("access token: verification never throws, whatever it is given (PD-206)", async () => {
  // spec: PD-206
  const v = await verifier();
  const valid = issueAccessToken(baseClaims(), ks.es256.signer);
  const parts = valid.split(".");
  const arb = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.array(fc.constantFrom(...parts, "", ".", "eyJ", "e30"), { maxLength: 6 }).map((a) =>
      a.join(".")
    ),
    fc.tuple(fc.json(), fc.json()).map(([h, p]) =>
      `${base64url.encode(h)}.${base64url.encode(p)}.${parts[2]}`
    ),
  );
  await fc.assert(
    fc.asyncProperty(arb, fc.integer(), async (token, now) => {
      const r = await v.verify(token, { now, replay: EMPTY_REPLAY, peer: CONTROL });
      return r.ok === false ? r.error.code.startsWith("access/") : true;
    }),
    { numRuns: 300 },
  );
});

Deno.test("access token: tokens signed by jose's own SignJWT verify (ES256 and Ed25519 through WebCrypto)", async () => {
  // spec: RFC7518-3.4 RFC9864-2.2
  for (const [alg, crv] of [["ES256", "P-256"], ["Ed25519", "Ed25519"]] as const) {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = await exportJWK(publicKey);
    const raw = crv === "P-256"
      ? concat(new Uint8Array([4]), base64url.decode(jwk.x!), base64url.decode(jwk.y!))
      : base64url.decode(jwk.x!);
    const v = await createAccessVerifier({
      issuer: ISSUER,
      audience: DER,
      keys: [{ kid: "jose", suite: crv === "P-256" ? "p256" : "x25519-ed25519", publicKey: raw }],
    });
    const c = baseClaims();
    const token = await new SignJWT({
      client_id: c.client_id,
      authorization_details: c.authorization_details,
    })
      .setProtectedHeader({ alg, typ: "at+jwt", kid: "jose" })
      .setIssuer(c.iss).setSubject(c.sub).setAudience(DER).setJti(c.jti)
      .setIssuedAt(c.iat).setNotBefore(c.nbf).setExpirationTime(c.exp)
      .sign(privateKey);
    const r = await v.verify(token, input);
    assert.equal(r.ok, true, r.ok ? "" : r.error.code);
  }
});

Deno.test("access token: an operator key on brainpoolP256r1 is refused when the verifier is built (PD-202)", async () => {
  // spec: PD-202
  const bp = fixtureKey("bp", "brainpool256", "operator-brainpool");
  await assert.rejects(
    createAccessVerifier({
      issuer: ISSUER,
      audience: DER,
      keys: [{ kid: "bp", suite: "brainpool256", publicKey: bp.publicKey }],
    }),
    (e) => isDerlinkError(e, AccessError["unsupported-key"]),
  );
  assert.throws(
    () => issueAccessToken(baseClaims(), bp.signer),
    (e) => isDerlinkError(e, AccessError["unsupported-key"]),
  );
});

Deno.test("access token: two operator keys with one kid are refused", async () => {
  const k = operatorKeysOf(ks)[0];
  await assert.rejects(createAccessVerifier({ issuer: ISSUER, audience: DER, keys: [k, k] }));
});

Deno.test("access token: issuing is deterministic for both algorithms (vectors regenerate)", () => {
  for (const k of [ks.es256, ks.ed25519]) {
    assert.equal(
      issueAccessToken(baseClaims(), k.signer),
      issueAccessToken(baseClaims(), k.signer),
    );
  }
});
