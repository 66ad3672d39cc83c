/** PLAIN (RFC 4616): encoding, strict decoding, and checking against SCRAM stored credentials. */
import assert from "node:assert/strict";
import { concat, fromBase64, toBase64, utf8 } from "../../../core/bytes.ts";
import type { Result } from "../../../core/errors.ts";
import {
  plainClientMessage,
  plainServerDecode,
  plainVerifyAgainstScram,
  SaslError,
  scramCredentialsFromPassword,
} from "./mod.ts";

const codeOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.code);
const bytes = (...parts: (string | number)[]) =>
  concat(...parts.map((p) => typeof p === "number" ? new Uint8Array([p]) : utf8(p)));

Deno.test("RFC4616-2: client message is [authzid] NUL authcid NUL password", () => {
  const m = plainClientMessage({ authcid: "juliet", password: "r0m30myr0m30" });
  assert.ok(m.ok);
  assert.equal(toBase64(m.value), "AGp1bGlldAByMG0zMG15cjBtMzA=");
  const z = plainClientMessage({ authzid: "romeo@example.net", authcid: "juliet", password: "x" });
  assert.ok(z.ok);
  assert.deepEqual(z.value, bytes("romeo@example.net", 0, "juliet", 0, "x"));
});

Deno.test("RFC4616-2: client refuses empty, over-long or NUL-carrying fields", () => {
  assert.equal(
    codeOf(plainClientMessage({ authcid: "", password: "x" })),
    SaslError["invalid-username"],
  );
  assert.equal(
    codeOf(plainClientMessage({ authcid: "a", password: "" })),
    SaslError["invalid-password"],
  );
  assert.equal(
    codeOf(plainClientMessage({ authcid: "a", password: "x".repeat(256) })),
    SaslError["invalid-password"],
  );
  assert.equal(codeOf(plainClientMessage({ authcid: "a", password: "x".repeat(255) })), "ok");
  assert.equal(
    codeOf(plainClientMessage({ authcid: "a\0b", password: "x" })),
    SaslError["invalid-username"],
  );
  assert.equal(
    codeOf(plainClientMessage({ authzid: "", authcid: "a", password: "x" })),
    SaslError["invalid-authzid"],
  );
  assert.equal(
    codeOf(plainClientMessage({ authcid: "a\uD800", password: "x" })),
    "core/invalid-argument",
  );
});

Deno.test("RFC4616-2 RFC4616-2.prep: server decodes and prepares authcid and password", () => {
  const d = plainServerDecode(fromBase64("AGp1bGlldAByMG0zMG15cjBtMzA="));
  assert.deepEqual(d, { ok: true, value: { authcid: "juliet", password: "r0m30myr0m30" } });
  const z = plainServerDecode(bytes("admin", 0, "\u2168", 0, "pen\u00ADcil"));
  assert.deepEqual(z, { ok: true, value: { authzid: "admin", authcid: "IX", password: "pencil" } });
});

Deno.test("RFC4616-2: server refuses malformed messages with codes", () => {
  const cases: [Uint8Array, string][] = [
    [bytes("juliet", 0, "secret"), SaslError["malformed-message"]], // one NUL
    [bytes("juliet"), SaslError["malformed-message"]],
    [bytes(0, "", 0, "secret"), SaslError["malformed-message"]], // empty authcid
    [bytes(0, "juliet", 0), SaslError["malformed-message"]], // empty password
    [bytes(0, "juliet", 0, "se", 0, "cret"), SaslError["malformed-message"]], // third NUL
    [bytes(0, "juliet", 0, "x".repeat(256)), SaslError["malformed-message"]],
    [bytes("a".repeat(256), 0, "juliet", 0, "x"), SaslError["invalid-authzid"]],
    [bytes(0, "jul", 0xff, "iet", 0, "x"), SaslError["invalid-encoding"]],
    [bytes(0, "jul\u0007", 0, "x"), SaslError["invalid-username"]],
    [bytes(0, "juliet", 0, "x\uE000"), SaslError["invalid-password"]],
    [new Uint8Array(0), SaslError["malformed-message"]],
  ];
  for (const [m, code] of cases) assert.equal(codeOf(plainServerDecode(m)), code, toBase64(m));
});

Deno.test("RFC4616-2.prep DL-BYTES-1: a PLAIN password is checked against SCRAM stored credentials", () => {
  const creds = scramCredentialsFromPassword("SHA-256", "pencil", utf8("salt"), 4096);
  assert.ok(creds.ok);
  const decoded = plainServerDecode(bytes(0, "user", 0, "pen\u00ADcil"));
  assert.ok(decoded.ok);
  assert.equal(codeOf(plainVerifyAgainstScram(creds.value, decoded.value.password)), "ok");
  assert.equal(
    codeOf(plainVerifyAgainstScram(creds.value, "pencil2")),
    SaslError["not-authorized"],
  );
});
