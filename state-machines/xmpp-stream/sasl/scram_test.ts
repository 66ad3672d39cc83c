/**
 * Unit tests of the SCRAM client and server functions, stored credentials
 * and error mappings. The RFC examples and the negative catalogue live in
 * vectors/sasl/scram.json (vectors_test.ts); these tests cover the API
 * behaviour around them.
 */
import assert from "node:assert/strict";
import { fromBase64, fromUtf8, toBase64, utf8 } from "../../../core/bytes.ts";
import { SeededEntropy } from "../../../core/entropy.ts";
import { isRegisteredCode, type Result } from "../../../core/errors.ts";
import {
  codeForServerErrorValue,
  formatScramStoredCredentials,
  parseScramStoredCredentials,
  SaslError,
  SCRAM_SERVER_ERROR_VALUES,
  scramClientOnServerFinal,
  scramClientOnServerFirst,
  scramClientStart,
  scramCredentialsFromPassword,
  scramCredentialsFromSaltedPassword,
  scramNonce,
  scramServerErrorValue,
  scramServerOnClientFinal,
  scramServerOnClientFirst,
  scramServerReadClientFirst,
  xmppFailureCondition,
} from "./mod.ts";
import { deriveScramKeys, saltedPassword } from "./scram_crypto.ts";

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`unexpected refusal ${r.error.code}: ${r.error.detail}`);
  return r.value;
};
const codeOf = <T>(r: Result<T>): string => {
  assert.equal(r.ok, false, "expected a refusal");
  return (r as { error: { code: string } }).error.code;
};

const SALT = fromBase64("QSXCR+Q6sek8bf92");
const creds = value(scramCredentialsFromPassword("SHA-1", "pencil", SALT, 4096));

Deno.test("RFC5802-5.example: client and server functions reproduce the SCRAM-SHA-1 exchange", () => {
  const c1 = value(scramClientStart({
    mechanism: "SCRAM-SHA-1",
    username: "user",
    password: "pencil",
    clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
  }));
  assert.equal(fromUtf8(c1.message), "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
  const s1 = value(
    scramServerReadClientFirst({
      mechanism: "SCRAM-SHA-1",
      advertisedPlus: false,
      channelBindings: {},
    }, c1.message),
  );
  assert.equal(s1.username, "user");
  const s2 = value(
    scramServerOnClientFirst(s1, { kind: "found", credentials: creds }, "3rfcNHYJY1ZVvWVs7j"),
  );
  const c2 = value(scramClientOnServerFirst(c1.state, s2.message));
  assert.equal(
    fromUtf8(c2.message),
    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  );
  const s3 = value(scramServerOnClientFinal(s2.state, c2.message));
  assert.equal(fromUtf8(s3.message), "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
  assert.equal(s3.channelBound, false);
  assert.deepEqual(value(scramClientOnServerFinal(c2.state, s3.message)), {
    phase: "scram-client/succeeded",
  });
});

Deno.test("RFC5802-3 RFC5803-3: stored credentials keep StoredKey and ServerKey, round-trip as text", () => {
  const keys = deriveScramKeys("SHA-1", saltedPassword("SHA-1", "pencil", SALT, 4096));
  assert.deepEqual(creds.storedKey, keys.storedKey);
  assert.deepEqual(creds.serverKey, keys.serverKey);
  const text = formatScramStoredCredentials(creds);
  assert.match(
    text,
    /^SCRAM-SHA-1\$4096:QSXCR\+Q6sek8bf92\$[A-Za-z0-9+/=]{28}:[A-Za-z0-9+/=]{28}$/,
  );
  assert.deepEqual(value(parseScramStoredCredentials(text)), creds);
  for (
    const broken of [
      "SCRAM-SHA-1$4096:QSXCR+Q6sek8bf92$AAAA:AAAA", // keys too short
      "SCRAM-MD5$4096:QSXCR+Q6sek8bf92$AAAA:AAAA",
      text.replace("$4096:", "$04096:"),
      text.replace("QSXCR+Q6sek8bf92", "QSXCR*Q6sek8bf92"),
      "",
    ]
  ) {
    assert.equal(parseScramStoredCredentials(broken).ok, false, broken);
  }
  assert.equal(
    codeOf(scramCredentialsFromPassword("SHA-1", "pencil", new Uint8Array(0), 4096)),
    "core/invalid-argument",
  );
  const salted = saltedPassword("SHA-1", "pencil", SALT, 4096);
  assert.deepEqual(value(scramCredentialsFromSaltedPassword("SHA-1", salted, SALT, 4096)), creds);
  assert.equal(
    codeOf(scramCredentialsFromSaltedPassword("SHA-1", new Uint8Array(32), SALT, 4096)),
    "core/invalid-argument",
  );
  assert.equal(
    codeOf(scramCredentialsFromPassword("SHA-1", "pen\u0007", SALT, 4096)),
    SaslError["invalid-password"],
  );
});

Deno.test("RFC5802-6.plus RFC5802-6.server-c: a bound exchange completes and reports channelBound", () => {
  const data = new Uint8Array(32).fill(7);
  const c1 = value(scramClientStart({
    mechanism: "SCRAM-SHA-256-PLUS",
    username: "juliet",
    password: "r0m30",
    clientNonce: "abc",
    channelBinding: { type: "tls-server-end-point", data },
  }));
  assert.match(fromUtf8(c1.message), /^p=tls-server-end-point,,n=juliet,r=abc$/);
  const config = {
    mechanism: "SCRAM-SHA-256-PLUS" as const,
    advertisedPlus: true,
    channelBindings: { "tls-server-end-point": data },
  };
  const s1 = value(scramServerReadClientFirst(config, c1.message));
  const stored = value(scramCredentialsFromPassword("SHA-256", "r0m30", utf8("salt"), 4096));
  const s2 = value(scramServerOnClientFirst(s1, { kind: "found", credentials: stored }, "def"));
  const c2 = value(scramClientOnServerFirst(c1.state, s2.message));
  const s3 = value(scramServerOnClientFinal(s2.state, c2.message));
  assert.equal(s3.channelBound, true);
  value(scramClientOnServerFinal(c2.state, s3.message));
  // The same client-final on a connection with other binding data is refused.
  const other = value(
    scramServerReadClientFirst({
      ...config,
      channelBindings: { "tls-server-end-point": new Uint8Array(32) },
    }, c1.message),
  );
  const o2 = value(scramServerOnClientFirst(other, { kind: "found", credentials: stored }, "def"));
  assert.equal(
    codeOf(scramServerOnClientFinal(o2.state, c2.message)),
    SaslError["channel-binding-mismatch"],
  );
});

Deno.test("RFC5802-9.enum PD-44: a decoy exchange looks like a real one and ends in not-authorized", () => {
  const c1 = value(
    scramClientStart({
      mechanism: "SCRAM-SHA-1",
      username: "ghost",
      password: "x",
      clientNonce: "n1",
    }),
  );
  const s1 = value(
    scramServerReadClientFirst({
      mechanism: "SCRAM-SHA-1",
      advertisedPlus: false,
      channelBindings: {},
    }, c1.message),
  );
  const s2 = value(
    scramServerOnClientFirst(s1, {
      kind: "unknown",
      decoy: { salt: utf8("decoy"), iterations: 4096 },
    }, "n2"),
  );
  assert.equal(fromUtf8(s2.message), `r=n1n2,s=${toBase64(utf8("decoy"))},i=4096`);
  const c2 = value(scramClientOnServerFirst(c1.state, s2.message));
  const refusal = scramServerOnClientFinal(s2.state, c2.message);
  assert.equal(codeOf(refusal), SaslError["not-authorized"]);
  assert.equal(scramServerErrorValue(SaslError["not-authorized"]), "invalid-proof");
  // Without a decoy the lookup refuses at once.
  assert.equal(
    codeOf(scramServerOnClientFirst(s1, { kind: "unknown" }, "n2")),
    SaslError["unknown-user"],
  );
});

Deno.test("server refuses credentials of another hash and a bad server nonce", () => {
  const c1 = value(
    scramClientStart({
      mechanism: "SCRAM-SHA-256",
      username: "user",
      password: "pencil",
      clientNonce: "n",
    }),
  );
  const s1 = value(
    scramServerReadClientFirst({
      mechanism: "SCRAM-SHA-256",
      advertisedPlus: false,
      channelBindings: {},
    }, c1.message),
  );
  assert.equal(
    codeOf(scramServerOnClientFirst(s1, { kind: "found", credentials: creds }, "x")),
    "core/invalid-argument",
  );
  assert.equal(
    codeOf(scramServerOnClientFirst(s1, { kind: "found", credentials: creds }, "a,b")),
    SaslError["invalid-nonce"],
  );
  assert.equal(
    codeOf(
      scramServerReadClientFirst({
        mechanism: "DIGEST-MD5" as never,
        advertisedPlus: false,
        channelBindings: {},
      }, c1.message),
    ),
    SaslError["unknown-mechanism"],
  );
});

Deno.test("RFC5802-5.1.r: scramNonce turns entropy into a printable nonce without comma", () => {
  const entropy = new SeededEntropy("sasl-nonce");
  for (let i = 0; i < 50; i++) {
    const n = scramNonce(entropy.bytes(18));
    assert.match(n, /^[\x21-\x2B\x2D-\x7E]{24}$/);
  }
  assert.throws(() => scramNonce(new Uint8Array(0)));
});

Deno.test("RFC5802-7.e: every e= value maps to a registered code, unknown ones to other-error", () => {
  for (const v of SCRAM_SERVER_ERROR_VALUES) {
    const code = codeForServerErrorValue(v);
    assert.ok(isRegisteredCode(code), code);
    assert.ok(
      code.startsWith("sasl/server-") || code === "sasl/server-does-support-channel-binding",
    );
  }
  assert.equal(
    new Set(SCRAM_SERVER_ERROR_VALUES.map(codeForServerErrorValue)).size,
    SCRAM_SERVER_ERROR_VALUES.length,
  );
  assert.equal(codeForServerErrorValue("made-up"), SaslError["server-other-error"]);
  assert.equal(codeForServerErrorValue("__proto__"), SaslError["server-other-error"]);
  assert.equal(codeForServerErrorValue("toString"), SaslError["server-other-error"]);
  assert.equal(scramServerErrorValue("toString" as never), "other-error");
});

Deno.test("RFC6120-6.5: refusals map to SASL failure conditions and e= values", () => {
  assert.equal(xmppFailureCondition(SaslError["malformed-message"]), "malformed-request");
  assert.equal(xmppFailureCondition(SaslError["not-authorized"]), "not-authorized");
  assert.equal(xmppFailureCondition(SaslError["unknown-user"]), "not-authorized");
  assert.equal(xmppFailureCondition(SaslError["channel-binding-downgrade"]), "not-authorized");
  assert.equal(xmppFailureCondition(SaslError["invalid-authzid"]), "invalid-authzid");
  assert.equal(xmppFailureCondition(SaslError["mechanism-too-weak"]), "mechanism-too-weak");
  assert.equal(xmppFailureCondition(SaslError["unknown-mechanism"]), "invalid-mechanism");
  assert.equal(
    scramServerErrorValue(SaslError["channel-binding-downgrade"]),
    "server-does-support-channel-binding",
  );
  assert.equal(
    scramServerErrorValue(SaslError["channel-binding-mismatch"]),
    "channel-bindings-dont-match",
  );
  assert.equal(scramServerErrorValue(SaslError["unknown-extension"]), "extensions-not-supported");
  assert.equal(scramServerErrorValue(SaslError["invalid-username"]), "invalid-username-encoding");
  assert.equal(scramServerErrorValue("core/internal"), "other-error");
});
