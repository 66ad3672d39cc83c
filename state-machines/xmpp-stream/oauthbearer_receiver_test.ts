/**
 * The receiver's OAUTHBEARER path (PD-241) with the grid operator's
 * in-process login decision (PD-240): the vector file through the
 * conformance checker (one code path), its regeneration, what the wire
 * shows for a refusal (error result, then the failure condition), the
 * client's view, and a property: no changed token ever logs in.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { runAreaVectors } from "../../conformance/vector_testing.ts";
import { checkers } from "../../conformance/suites/xmpp-stream.ts";
import { loadVectorFile } from "../../core/vectors.ts";
import { fixtureKeys, ISSUER, NOW_MS, NOW_S } from "../../core/access/fixtures.ts";
import { loginTokenFor } from "../../core/operator-auth/decide.ts";
import { initiatorConfigOf, receiverConfigOf } from "./replay.ts";
import { Pair } from "./pair.ts";
import { baseClient, baseServer } from "./stream_vectors.ts";
import { DOMAIN } from "./testing.ts";
import { oauthBearerReceiverVectorGenerator, OPERATOR } from "./vectors_oauthbearer.ts";

const KEYS = fixtureKeys();
const J = (u: string) => `${u}@${DOMAIN}`;
const token = (account: string, ageS = 60) =>
  loginTokenFor(
    account,
    DOMAIN,
    ISSUER,
    KEYS.ed25519.signer,
    NOW_S - ageS,
    "test-login-00000001",
    600,
  );

/** A client logging in as `user` with `bearer` against a receiver asking the operator. */
function run(user: string, bearer: string, server: Record<string, unknown> = {}) {
  return new Pair({
    client: initiatorConfigOf(baseClient("oauth", { jid: J(user), bearerToken: bearer })),
    server: receiverConfigOf(
      baseServer("oauth", { oauthBearer: OPERATOR, now: NOW_MS, ...server }),
    ),
  }).start();
}

const serverText = (p: Pair) =>
  p.wire.filter((w) => w.dir === "s2c").map((w) => (w as { text: string }).text).join("");

Deno.test("PD-241 RFC7628-3.1: receiver OAUTHBEARER vectors pass the conformance checker (4 valid, 19 refusals)", async () => {
  // spec: PD-241 PD-240 RFC7628-3.1 RFC7628-3.2.2 RFC7628-3.2.3 DL-OPT2-1 DL-OPT2-2
  const run = await runAreaVectors("xmpp-stream/receiver-oauthbearer", checkers);
  assert.deepEqual(run.failures, []);
  assert.equal(run.files.length, 1);
  assert.equal(run.valid, 4);
  assert.equal(run.invalid, 19);
});

Deno.test("PD-241: the receiver OAUTHBEARER vector file regenerates byte for byte", () => {
  const [f] = oauthBearerReceiverVectorGenerator.generate();
  const { path: _p, ...onDisk } = loadVectorFile(f.path);
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(f.content)));
});

Deno.test("PD-241 RFC7628-3 RFC7628-5: OAUTHBEARER is offered over TLS only, and only with a login decision", () => {
  // spec: PD-241 RFC7628-3 RFC7628-5
  const offered = (p: Pair) => serverText(p).includes("<mechanism>OAUTHBEARER</mechanism>");
  assert.equal(offered(run("juliet", token(J("juliet")))), true);
  assert.equal(offered(run("juliet", token(J("juliet")), { oauthBearer: undefined })), false);
  assert.equal(
    offered(run("juliet", token(J("juliet")), { requireChannelBinding: true })),
    false,
  );
  const plain = new Pair({
    client: initiatorConfigOf(
      baseClient("oauth", {
        jid: J("juliet"),
        bearerToken: token(J("juliet")),
        allowPlaintextForTest: true,
      }),
    ),
    server: receiverConfigOf(
      baseServer("oauth", { oauthBearer: OPERATOR, now: NOW_MS, noTlsForTest: true }),
    ),
  }).start();
  assert.equal(offered(plain), false);
});

Deno.test("PD-241 RFC7628-3.2.2 RFC6120-6.5.2: a refused login gets the error result, then the failure; the code stays at the server", () => {
  // spec: PD-241 RFC7628-3.2.2 RFC7628-3.2.3 RFC6120-6.5 RFC6120-6.5.2 PD-221
  const ok = run("juliet", token(J("juliet")));
  assert.equal(ok.server.established, `${J("juliet")}/balcony`);
  assert.equal(ok.client.established?.startsWith(`${J("juliet")}/`), true);

  const cases: [string, string, string, string][] = [
    ["juliet", token(J("juliet"), 1_200), "access/expired", "credentials-expired"],
    ["benvolio", token(J("benvolio")), "operator-auth/not-listed", "not-authorized"],
    ["juliet", token(J("romeo")), "operator-auth/wrong-account", "not-authorized"],
  ];
  for (const [user, bearer, code, condition] of cases) {
    const p = run(user, bearer);
    const text = serverText(p);
    // The error result in a challenge, then the failure with its condition.
    const challenge = /<challenge xmlns=.urn:ietf:params:xml:ns:xmpp-sasl.>([^<]+)<\/challenge>/
      .exec(text);
    assert.equal(challenge && atob(challenge[1]), '{"status":"invalid_token"}', code);
    assert.match(
      text,
      new RegExp(`<failure xmlns=.urn:ietf:params:xml:ns:xmpp-sasl.><${condition}/>`),
    );
    // The client then closes the stream (xmpp/stream-closed at the server).
    assert.equal(p.server.errors[0].code, code);
    assert.equal(p.server.established, undefined);
    // The client learns only the status (no account enumeration).
    assert.deepEqual(p.client.errors.map((e) => e.code), ["sasl/oauthbearer-error"]);
    assert.ok(!text.includes(code));
  }
});

Deno.test("PD-241 PD-240: no one-character change of a valid login token logs in (property)", () => {
  // spec: PD-241 PD-240 DL-OPT2-1
  const valid = token(J("juliet"));
  const alphabet = "ABCDEFabcdef0123456789-_".split("");
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom(...alphabet), (at, ch) => {
      const i = at % valid.length;
      fc.pre(ch !== valid[i] && valid[i] !== ".");
      const p = run("juliet", valid.slice(0, i) + ch + valid.slice(i + 1));
      return p.server.established === undefined && p.server.errors[0].code.startsWith("access/");
    }),
    { numRuns: 60 },
  );
});
