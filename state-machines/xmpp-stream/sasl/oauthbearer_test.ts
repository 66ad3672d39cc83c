/**
 * OAUTHBEARER (RFC 7628) on the client: the initial response's bytes, the
 * error sequence, negotiation, and the initiator machine driven through a
 * scripted server over direct TLS (success, error result then failure, and
 * a server that fails at once as Prosody's module does).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fromBase64, fromUtf8, toBase64, utf8 } from "../../../core/bytes.ts";
import type { Result } from "../../../core/errors.ts";
import { StreamDriver } from "../driver.ts";
import { initiator } from "../initiator.ts";
import { clientConfig } from "../testing.ts";
import type { StreamOutput } from "../types.ts";
import {
  chooseMechanism,
  DEFAULT_CLIENT_PREFERENCE,
  oauthBearerClientMessage,
  oauthBearerClientOnChallenge,
  SaslError,
} from "./mod.ts";

const codeOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.code);
const text = (r: Result<Uint8Array>) => (r.ok ? fromUtf8(r.value) : r.error.code);
const TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";

Deno.test("RFC7628-3.1 RFC7628-3.1.auth RFC5801-4 PD-221: header, auth first, host and port, final %x01", () => {
  // spec: RFC7628-3.1 PD-221
  assert.equal(
    text(oauthBearerClientMessage({ token: TOKEN, authzid: "user@example.com" })),
    `n,a=user@example.com,\x01auth=Bearer ${TOKEN}\x01\x01`,
  );
  assert.equal(
    text(oauthBearerClientMessage({ token: TOKEN })),
    `n,,\x01auth=Bearer ${TOKEN}\x01\x01`,
  );
  // RFC 7628 §4.1's values, with auth moved first (PD-221).
  assert.equal(
    text(oauthBearerClientMessage({
      token: TOKEN,
      authzid: "user@example.com",
      host: "server.example.com",
      port: 143,
    })),
    `n,a=user@example.com,\x01auth=Bearer ${TOKEN}\x01host=server.example.com\x01port=143\x01\x01`,
  );
  // SASLname escaping of the authzid (RFC 5801 §4).
  assert.equal(
    text(oauthBearerClientMessage({ token: "t", authzid: "a,b=c@d" })),
    "n,a=a=2Cb=3Dc@d,\x01auth=Bearer t\x01\x01",
  );
});

Deno.test("RFC6750-2.1 RFC7628-3.1.port: tokens, authzids, hosts and ports outside the grammar are refused", () => {
  // spec: RFC6750-2.1 RFC7628-3.1.port
  for (const token of ["", "a b", "a\x01b", "=abc", "ab=c", "tök", "a,b"]) {
    assert.equal(codeOf(oauthBearerClientMessage({ token })), SaslError["invalid-token"], token);
  }
  for (const authzid of ["", "a\x01b", "a\0b", "\uD800"]) {
    assert.equal(
      codeOf(oauthBearerClientMessage({ token: "t", authzid })),
      SaslError["invalid-authzid"],
    );
  }
  for (const port of [0, 65536, 1.5, -1]) {
    assert.equal(
      codeOf(oauthBearerClientMessage({ token: "t", port })),
      SaslError["malformed-message"],
    );
  }
  assert.equal(
    codeOf(oauthBearerClientMessage({ token: "t", host: "a\x01b" })),
    SaslError["malformed-message"],
  );
  // The token never shows in a refusal's detail.
  const r = oauthBearerClientMessage({ token: "secret token" });
  assert.ok(!r.ok && !r.error.detail.includes("secret"));
});

Deno.test("RFC7628-3.1: every b64token gives one auth pair, framed by %x01 (property)", () => {
  const token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,80}={0,2}$/);
  fc.assert(fc.property(token, (t) => {
    const r = oauthBearerClientMessage({ token: t, authzid: "der1@derlink.test" });
    assert.ok(r.ok);
    const parts = fromUtf8(r.value).split("\x01");
    assert.deepEqual(parts, ["n,a=der1@derlink.test,", `auth=Bearer ${t}`, "", ""]);
  }));
});

Deno.test("RFC7628-3.2.2 RFC7628-3.2.3: the RFC 7628 §4.3 error result is read and answered with %x01", () => {
  // spec: RFC7628-3.2.2 RFC7628-3.2.3
  const challenge = fromBase64(
    "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=",
  );
  const r = oauthBearerClientOnChallenge(challenge);
  assert.ok(r.ok);
  assert.deepEqual(r.value.error, {
    status: "invalid_token",
    scope: "example_scope",
    openidConfiguration: "https://example.com/.well-known/openid-configuration",
  });
  assert.equal(toBase64(r.value.response), "AQ==");
  for (
    const bad of ["", "not json", "[]", "null", '{"scope":"x"}', '{"status":7}', '{"status":""}']
  ) {
    assert.equal(
      codeOf(oauthBearerClientOnChallenge(utf8(bad))),
      SaslError["malformed-message"],
      bad,
    );
  }
  assert.equal(
    codeOf(oauthBearerClientOnChallenge(new Uint8Array([0x7b, 0xff, 0x7d]))),
    SaslError["malformed-message"],
  );
});

Deno.test("RFC7628-3 RFC7628-5: OAUTHBEARER is chosen only with a token and only over TLS", () => {
  // spec: RFC7628-3 RFC7628-5
  const caps = {
    tls: true,
    hasPassword: true,
    clientCertificate: false,
    channelBindings: [],
    plainEnabled: false,
  };
  const pick = (r: ReturnType<typeof chooseMechanism>) => (r.ok ? r.value.mechanism : r.error.code);
  const offered = ["SCRAM-SHA-256", "OAUTHBEARER"];
  assert.equal(pick(chooseMechanism(offered, DEFAULT_CLIENT_PREFERENCE, caps)), "SCRAM-SHA-256");
  assert.equal(
    pick(chooseMechanism(offered, DEFAULT_CLIENT_PREFERENCE, { ...caps, bearerToken: true })),
    "OAUTHBEARER",
  );
  assert.equal(
    pick(chooseMechanism(["OAUTHBEARER"], DEFAULT_CLIENT_PREFERENCE, {
      ...caps,
      tls: false,
      bearerToken: true,
    })),
    SaslError["mechanism-too-weak"],
  );
  assert.equal(
    pick(chooseMechanism(["OAUTHBEARER"], DEFAULT_CLIENT_PREFERENCE, {
      ...caps,
      bearerToken: true,
      requireChannelBinding: true,
    })),
    SaslError["mechanism-too-weak"],
  );
});

const HEADER =
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.net' id='o1' version='1.0'>";
const FEATURES =
  "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256</mechanism><mechanism>OAUTHBEARER</mechanism></mechanisms></stream:features>";
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const written = (out: readonly StreamOutput[]) =>
  out.flatMap((o) => o.type === "send-bytes" ? [fromUtf8(o.data)] : []).join("");
const codes = (out: readonly StreamOutput[]) =>
  out.flatMap((o) => o.type === "error" ? [o.code] : []);

/** An initiator over direct TLS holding a bearer token, after it sent its <auth/>. */
function started(seed: string) {
  const d = new StreamDriver(
    initiator,
    clientConfig(seed, "juliet", { password: undefined, bearerToken: TOKEN }),
    { checked: true },
  );
  d.input({ type: "tls-established" });
  d.input({ type: "start" });
  const out = d.receive(utf8(HEADER + FEATURES));
  const auth = /<auth xmlns="[^"]+" mechanism="OAUTHBEARER">([^<]*)<\/auth>/.exec(written(out));
  assert.ok(auth, written(out));
  return { d, initial: fromUtf8(fromBase64(auth[1])) };
}

Deno.test("RFC7628-3.1 PD-221: the initiator sends the token with its bare JID as authzid and goes on after success", () => {
  const { d, initial } = started("oauth-1");
  assert.equal(initial, `n,a=juliet@example.net,\x01auth=Bearer ${TOKEN}\x01\x01`);
  assert.equal(d.state.phase, "authenticating");
  const out = d.receive(utf8(`<success xmlns='${SASL}'/>`));
  assert.deepEqual(codes(out), []);
  assert.equal(d.state.stage, "authenticated");
});

Deno.test("RFC7628-3.2.3: an error result is answered with %x01; the failure keeps its status", () => {
  // spec: RFC7628-3.2.3
  const { d } = started("oauth-2");
  const json = toBase64(utf8('{"status":"invalid_token"}'));
  const answer = d.receive(utf8(`<challenge xmlns='${SASL}'>${json}</challenge>`));
  assert.equal(written(answer), `<response xmlns="${SASL}">AQ==</response>`);
  const out = d.receive(utf8(`<failure xmlns='${SASL}'><not-authorized/></failure>`));
  assert.deepEqual(codes(out), [SaslError["oauthbearer-error"]]);
  assert.equal(d.state.phase, "failed");
  // A success after an error result is a protocol violation.
  const { d: d2 } = started("oauth-3");
  d2.receive(utf8(`<challenge xmlns='${SASL}'>${json}</challenge>`));
  const bad = d2.receive(utf8(`<success xmlns='${SASL}'/>`));
  assert.deepEqual(codes(bad), [SaslError["oauthbearer-error"]]);
  assert.equal(d2.state.phase, "failed");
});

Deno.test("RFC6120-6.5: a server that fails OAUTHBEARER at once gives not-authorized; a garbage challenge is bad-format", () => {
  const { d } = started("oauth-4");
  const out = d.receive(utf8(`<failure xmlns='${SASL}'><not-authorized/></failure>`));
  assert.deepEqual(codes(out), [SaslError["not-authorized"]]);
  const { d: d2 } = started("oauth-5");
  const garbage = toBase64(utf8("no json here"));
  const out2 = d2.receive(utf8(`<challenge xmlns='${SASL}'>${garbage}</challenge>`));
  assert.deepEqual(codes(out2), [SaslError["malformed-message"]]);
  assert.match(written(out2), /<bad-format /);
});
