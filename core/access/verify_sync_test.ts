/**
 * The synchronous verification path (PD-240) against the asynchronous one:
 * every access-token vector gets the same verdict from both (token, replay
 * and authorization), the gate's synchronous functions behave as the
 * asynchronous ones, and login tokens get the same codes from the
 * synchronous login verifier and decider as from the login service.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fromHex } from "../bytes.ts";
import { loadVectorFile } from "../vectors.ts";
import { gridAclDocument } from "../acl/fixtures.ts";
import { parseAcl } from "../acl/mod.ts";
import {
  createLoginDecider,
  createLoginService,
  type LoginClaims,
  loginTokenFor,
} from "../operator-auth/mod.ts";
import { issueLoginToken } from "../operator-auth/login_token.ts";
import { loginClaims } from "../operator-auth/fixtures.ts";
import { authorize, type ServiceNeed } from "./grant.ts";
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
  authorizeWithToken,
  authorizeWithTokenSync,
  createAccessVerifier,
  createSyncAccessVerifier,
  EMPTY_GATE,
  EMPTY_REPLAY,
  issueAccessToken,
  type OperatorKey,
  presentToken,
  presentTokenSync,
  type ReplayState,
  type VerifierConfig,
} from "./mod.ts";

type Verdict = string;

Deno.test("PD-240 PD-206: the synchronous verifier gives every access-token vector the asynchronous verdict", async () => {
  // spec: PD-240 PD-206 RFC7515-5.2 RFC7519-7.2
  const file = loadVectorFile("access-token/tokens.json");
  let compared = 0;
  for (const group of file.testGroups) {
    const keys = (group.keys as { kid: string; suite: string; publicKey: string }[]).map((
      k,
    ): OperatorKey => ({
      kid: k.kid,
      suite: k.suite as OperatorKey["suite"],
      publicKey: fromHex(k.publicKey),
    }));
    const config = { ...group, keys } as unknown as VerifierConfig;
    const asyncV = await createAccessVerifier(config);
    const syncV = createSyncAccessVerifier(config);
    for (const t of group.tests) {
      const now = t.now as number;
      const peer = t.peer as string | undefined;
      const run = async (sync: boolean): Promise<Verdict[]> => {
        let replay: ReplayState = EMPTY_REPLAY;
        const out: Verdict[] = [];
        for (const token of [...((t.before ?? []) as string[]), t.token]) {
          const r = sync
            ? syncV.verify(token, { now, replay, peer })
            : await asyncV.verify(token, { now, replay, peer });
          replay = r.replay;
          out.push(r.ok ? "accepted" : r.error.code);
          const request = t.request as (ServiceNeed & { now?: number }) | undefined;
          if (r.ok && request && token === t.token) {
            const a = authorize(
              r.token,
              request,
              request.now ?? now,
              syncV.config.leewaySeconds,
            );
            out.push(a.ok ? "authorized" : a.error.code);
          }
        }
        return out;
      };
      const [a, s] = [await run(false), await run(true)];
      assert.deepEqual(s, a, `tcId ${t.tcId} ${t.comment}`);
      const expected = t.result === "invalid" ? t.error : undefined;
      if (expected !== undefined) assert.equal(s.at(-1), expected, `tcId ${t.tcId}`);
      compared++;
    }
  }
  assert.ok(compared >= 100, `${compared} vectors compared`);
});

const ks = fixtureKeys();
const derConfig = { issuer: ISSUER, audience: DER, keys: operatorKeysOf(ks) };

Deno.test("PD-240 PD-208: the synchronous gate presents and uses tokens as the asynchronous one", async () => {
  // spec: PD-240 PD-208 PD-204
  const asyncV = await createAccessVerifier(derConfig);
  const syncV = createSyncAccessVerifier(derConfig);
  const token = issueAccessToken(baseClaims(), ks.ed25519.signer);
  const p = { association: "a1", peer: CONTROL, token, now: NOW_MS };
  const a = await presentToken(asyncV, EMPTY_GATE, p);
  const s = presentTokenSync(syncV, EMPTY_GATE, p);
  assert.deepEqual(s, a);
  const need: ServiceNeed = { service: "operate", logicalDevices: ["LD1"] };
  const once = { peer: CONTROL, token, need, now: NOW_MS };
  const a1 = await authorizeWithToken(asyncV, EMPTY_GATE, once);
  const s1 = authorizeWithTokenSync(syncV, EMPTY_GATE, once);
  assert.deepEqual(s1, a1);
  assert.equal(s1.result.ok, true);
  // Used once: the second use is a replay, in both.
  const s2 = authorizeWithTokenSync(syncV, s1.state, once);
  const a2 = await authorizeWithToken(asyncV, a1.state, once);
  assert.deepEqual(s2, a2);
  assert.equal(!s2.result.ok && s2.result.error.code, "access/replayed");
});

Deno.test("PD-240: any one-character change gives the same refusal code on both paths (property)", async () => {
  // spec: PD-240 PD-206
  const asyncV = await createAccessVerifier(derConfig);
  const syncV = createSyncAccessVerifier(derConfig);
  const tokens = [
    issueAccessToken(baseClaims(), ks.es256.signer),
    issueAccessToken(baseClaims(), ks.ed25519.signer),
  ];
  const input = { now: NOW_MS, replay: EMPTY_REPLAY, peer: CONTROL };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...tokens),
      fc.nat(),
      fc.constantFrom(..."ABCDEFabcdef0123456789-_.=+/ ".split("")),
      async (t, at, ch) => {
        const i = at % t.length;
        fc.pre(ch !== t[i]);
        const changed = t.slice(0, i) + ch + t.slice(i + 1);
        const a = await asyncV.verify(changed, input);
        const s = syncV.verify(changed, input);
        return !a.ok && !s.ok && a.error.code === s.error.code;
      },
    ),
    { numRuns: 300 },
  );
});

const DOMAIN = "derlink.test";
const J = (u: string) => `${u}@${DOMAIN}`;

Deno.test("PD-240 PD-223: the in-process login decision answers as the login service, code for code", async () => {
  // spec: PD-240 PD-223 PD-222 DL-OPT2-1 DL-OPT2-2
  const acl = parseAcl(gridAclDocument(DOMAIN));
  if (!acl.ok) throw acl.error;
  const config = { acl: acl.value, issuer: ISSUER, keys: operatorKeysOf(ks) };
  const service = await createLoginService({
    ...config,
    callerSecret: "caller-secret-0123456789abcdefghijklmnop",
  });
  const decider = createLoginDecider(config);
  const login = (account: string, over: Partial<LoginClaims> = {}, signer = ks.es256.signer) =>
    issueLoginToken(loginClaims(account, DOMAIN, over), signer);
  const cases: [string, string, string, number][] = [
    ["der1", DOMAIN, login(J("der1")), NOW_MS],
    ["der1", DOMAIN, login(J("der1"), {}, ks.ed25519.signer), NOW_MS],
    ["der3", DOMAIN, login(J("der3")), NOW_MS],
    ["der2", DOMAIN, login(J("der1")), NOW_MS],
    ["der1", "other.test", login(J("der1")), NOW_MS],
    ["der1", DOMAIN, login(J("der1")), NOW_MS + 700_000],
    ["der1", DOMAIN, login(J("der1"), {}, ks.rogueEd25519.signer), NOW_MS],
    ["der1", DOMAIN, login(J("der1"), { aud: J("der1") }), NOW_MS],
    ["der1", DOMAIN, login(J("der1"), { nbf: NOW_S + 600 }), NOW_MS],
    ["der1", DOMAIN, issueAccessToken(baseClaims(), ks.es256.signer), NOW_MS],
    [
      "cc",
      DOMAIN,
      loginTokenFor(J("cc"), DOMAIN, ISSUER, ks.ed25519.signer, NOW_S, "l".repeat(16)),
      NOW_MS,
    ],
    ["der1", DOMAIN, "not a token", NOW_MS],
  ];
  const seen: string[] = [];
  for (const [username, host, token, now] of cases) {
    const a = await service.decide({ username, host, token }, now);
    const s = decider.decide({ username, host, token }, now);
    assert.deepEqual(s, a, `${username}@${host}`);
    seen.push(s.allow ? "allow" : s.code);
  }
  assert.deepEqual(seen, [
    "allow",
    "allow",
    "operator-auth/not-listed",
    "operator-auth/wrong-account",
    "operator-auth/wrong-host",
    "access/expired",
    "access/bad-signature",
    "access/wrong-audience",
    "access/not-yet-valid",
    "access/wrong-audience",
    "allow",
    "access/malformed",
  ]);
});
