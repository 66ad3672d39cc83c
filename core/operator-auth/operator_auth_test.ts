/**
 * Option 2's pure parts: login tokens (PD-222), the operator's decision from
 * its ACL (PD-223), the HTTP contract, and the Prosody configuration text.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { gridAclDocument } from "../acl/fixtures.ts";
import { parseAcl } from "../acl/mod.ts";
import type { Acl } from "../acl/types.ts";
import {
  baseClaims,
  fixtureKeys,
  ISSUER,
  NOW_MS,
  NOW_S,
  operatorKeysOf,
} from "../access/fixtures.ts";
import { issueAccessToken, signCompact } from "../access/issue.ts";
import {
  answerLoginRequest,
  createLoginService,
  issueLoginToken,
  listedAccounts,
  type LoginClaims,
  loginTokenFor,
  OperatorAuthError,
  operatorAuthHostLua,
} from "./mod.ts";
import { loginClaims } from "./fixtures.ts";

const DOMAIN = "derlink.test";
const SECRET = "caller-secret-0123456789abcdefghijklmnop";
const KEYS = fixtureKeys();
const acl = (): Acl => {
  const r = parseAcl(gridAclDocument(DOMAIN));
  if (!r.ok) throw r.error;
  return r.value;
};
const service = () =>
  createLoginService({
    acl: acl(),
    issuer: ISSUER,
    keys: operatorKeysOf(KEYS),
    callerSecret: SECRET,
  });
const token = (account: string, over: Partial<LoginClaims> = {}, signer = KEYS.es256.signer) =>
  issueLoginToken(loginClaims(account, DOMAIN, over), signer);
const J = (u: string) => `${u}@${DOMAIN}`;

Deno.test("PD-222 DL-OPT2-1: a login token verifies with either operator key; the claims come back", async () => {
  const s = await service();
  for (const signer of [KEYS.es256.signer, KEYS.ed25519.signer]) {
    const v = await s.verifier.verify(token(J("der1"), {}, signer), NOW_MS);
    assert.ok(v.ok, v.ok ? "" : v.error.code);
    assert.equal(v.claims.sub, J("der1"));
  }
  const made = loginTokenFor(
    J("cc"),
    DOMAIN,
    ISSUER,
    KEYS.ed25519.signer,
    NOW_S,
    "login-0000000000cc",
  );
  assert.ok((await s.verifier.verify(made, NOW_MS)).ok);
});

Deno.test("PD-222 RFC7519-4.1.3 RFC7519-4.1.4: login tokens are refused with the shared access/* codes", async () => {
  const s = await service();
  const code = async (t: unknown, now = NOW_MS) => {
    const v = await s.verifier.verify(t, now);
    return v.ok ? "ok" : v.error.code;
  };
  // spec: PD-222
  // An Option 3 access token (audience a DER) logs nobody in.
  assert.equal(
    await code(issueAccessToken(baseClaims(), KEYS.es256.signer)),
    "access/wrong-audience",
  );
  assert.equal(await code(token(J("der1"), { aud: J("der1") })), "access/wrong-audience");
  assert.equal(await code(token(J("der1"), { iss: "https://rogue.test" })), "access/wrong-issuer");
  assert.equal(await code(token(J("der1")), NOW_MS + 700_000), "access/expired");
  assert.equal(await code(token(J("der1"), { nbf: NOW_S + 600 })), "access/not-yet-valid");
  assert.equal(await code(token(J("der1"), { exp: NOW_S + 7200 })), "access/lifetime-too-long");
  assert.equal(await code(token(J("der1"), { iat: NOW_S + 300 })), "access/issued-in-future");
  assert.equal(
    await code(token(J("der1"), { sub: "der1@derlink.test/r1" })),
    "access/invalid-claim",
  );
  assert.equal(await code(token(J("der1"), { jti: "short" })), "access/invalid-claim");
  assert.equal(await code(token(J("der1"), {}, KEYS.rogueEs256.signer)), "access/bad-signature");
  assert.equal(await code("not a token"), "access/malformed");
  assert.equal(await code(42), "access/malformed");
  // A login token carries no grants for DERs.
  const header = { alg: "ES256", typ: "at+jwt", kid: "op-es256" };
  const withDetails = signCompact(header, {
    iss: ISSUER,
    sub: J("der1"),
    aud: `xmpp:${DOMAIN}`,
    exp: NOW_S + 600,
    nbf: NOW_S,
    iat: NOW_S,
    jti: "login-000000000002",
    client_id: J("der1"),
    authorization_details: [],
  }, KEYS.es256.signer);
  assert.equal(await code(withDetails), "access/invalid-claim");
});

Deno.test("PD-222: any one-character change of a login token is refused (property)", async () => {
  const s = await service();
  const good = token(J("der1"));
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  await fc.assert(
    fc.asyncProperty(fc.nat(good.length - 1), fc.nat(alphabet.length - 1), async (i, j) => {
      const changed = good.slice(0, i) + alphabet[j] + good.slice(i + 1);
      fc.pre(changed !== good);
      assert.equal((await s.verifier.verify(changed, NOW_MS)).ok, false);
    }),
    { numRuns: 60 },
  );
});

Deno.test("PD-223 DL-OPT2-2 PAPER-OPT2: listed accounts log in with their groups; others are refused in order", async () => {
  const s = await service();
  const ask = (username: string, t: string, host = DOMAIN) =>
    s.decide({ username, host, token: t }, NOW_MS);
  // spec: PD-223 DL-OPT2-1 DL-OPT2-2
  assert.deepEqual(await ask("der1", token(J("der1"))), {
    allow: true,
    jid: J("der1"),
    groups: ["ders"],
    exp: NOW_S + 600,
  });
  assert.deepEqual((await ask("cc", token(J("cc")))).allow, true);
  const code = async (p: Promise<{ allow: boolean }>) => {
    const d = await p as { allow: boolean; code?: string };
    return d.allow ? "ok" : d.code;
  };
  assert.equal(await code(ask("der3", token(J("der3")))), OperatorAuthError["not-listed"]);
  assert.equal(await code(ask("der2", token(J("der1")))), OperatorAuthError["wrong-account"]);
  assert.equal(
    await code(ask("der1", token(J("der1")), "other.test")),
    OperatorAuthError["wrong-host"],
  );
  assert.equal(await code(ask("der1", "garbage")), "access/malformed");
  // The token is checked before the list: an unlisted account's forged token says bad-signature.
  assert.equal(
    await code(ask("der3", token(J("der3"), {}, KEYS.rogueEd25519.signer))),
    "access/bad-signature",
  );
});

Deno.test("DL-OPT2-2: the ACL lists group members and JIDs named in rules, '*' lists nobody", () => {
  const doc = gridAclDocument(DOMAIN);
  const r = parseAcl({
    ...doc,
    addressing: [...doc.addressing, { from: [J("auditor")], to: ["*"] }],
  });
  assert.ok(r.ok);
  const listed = listedAccounts(r.value);
  assert.deepEqual([...listed.keys()].sort(), [
    J("auditor"),
    J("cc"),
    J("der1"),
    J("der2"),
    J("market"),
  ]);
  assert.deepEqual(listed.get(J("auditor")), []);
  assert.deepEqual(listed.get(J("market")), ["market"]);
});

Deno.test("PD-223 DL-OPT2-3 RFC7662-2.2: the HTTP contract: caller secret, form fields, introspection-like answers", async () => {
  const s = await service();
  const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const req = (over: Partial<Parameters<typeof answerLoginRequest>[1]> = {}) =>
    answerLoginRequest(s, {
      method: "POST",
      authorization: `Bearer ${SECRET}`,
      contentType: "application/x-www-form-urlencoded",
      body: form({ username: "der1", host: DOMAIN, token: token(J("der1")) }),
      ...over,
    }, NOW_MS);
  assert.deepEqual(await req(), {
    status: 200,
    body: { active: true, sub: J("der1"), groups: ["ders"], exp: NOW_S + 600 },
  });
  assert.deepEqual(
    await req({ body: form({ username: "der3", host: DOMAIN, token: token(J("der3")) }) }),
    { status: 200, body: { active: false, error: OperatorAuthError["not-listed"] } },
  );
  const unauthorized = { status: 401, body: { error: OperatorAuthError["unauthorized-caller"] } };
  assert.deepEqual(await req({ authorization: null }), unauthorized);
  assert.deepEqual(await req({ authorization: `Bearer ${SECRET}x` }), unauthorized);
  assert.deepEqual(await req({ authorization: `Basic ${SECRET}` }), unauthorized);
  const bad = { error: OperatorAuthError["bad-request"] };
  assert.deepEqual(await req({ method: "GET" }), { status: 405, body: bad });
  assert.deepEqual(await req({ body: undefined }), { status: 413, body: bad });
  assert.deepEqual(await req({ contentType: "application/json" }), { status: 400, body: bad });
  for (
    const body of [
      "",
      "username=der1&host=derlink.test",
      `username=der1&username=der2&host=${DOMAIN}&token=t`,
      `username=der1&host=${DOMAIN}&token=t&extra=1`,
      `username=&host=${DOMAIN}&token=t`,
    ]
  ) {
    assert.deepEqual(await req({ body }), { status: 400, body: bad }, body);
  }
});

Deno.test("PD-223: a caller secret outside the pattern is refused when the service is built", async () => {
  for (
    const callerSecret of ["short", "x".repeat(31), "has space".padEnd(40, "x"), 'q"'.repeat(20)]
  ) {
    await assert.rejects(
      createLoginService({ acl: acl(), issuer: ISSUER, keys: operatorKeysOf(KEYS), callerSecret }),
      (e: Error) => String(e).includes(OperatorAuthError["invalid-config"]),
    );
  }
});

Deno.test("PD-220 DL-OPT2-4: the VirtualHost lines name the provider and OAUTHBEARER; values cannot break the Lua", () => {
  const lua = operatorAuthHostLua({
    url: "http://127.0.0.1:8080/login",
    callerSecret: SECRET,
    alsoModules: ["firewall"],
  });
  assert.equal(
    lua,
    [
      '  authentication = "derlink_operator"',
      '  modules_enabled = { "sasl_oauthbearer", "firewall" }',
      '  derlink_operator_auth_url = "http://127.0.0.1:8080/login"',
      `  derlink_operator_auth_secret = "${SECRET}"`,
      "  derlink_operator_auth_timeout = 5",
    ].join("\n"),
  );
  const bad = [
    { url: 'http://x/"..os.exit()..', callerSecret: SECRET },
    { url: "file:///etc/passwd", callerSecret: SECRET },
    { url: "http://x/login", callerSecret: `${SECRET}"` },
    { url: "http://x/login", callerSecret: SECRET, timeoutSeconds: 0 },
    { url: "http://x/login", callerSecret: SECRET, alsoModules: ['x" }'] },
  ];
  for (const s of bad) {
    assert.throws(() => operatorAuthHostLua(s), (e: Error) => String(e).includes("invalid-config"));
  }
});
