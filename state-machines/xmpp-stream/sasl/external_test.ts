/** EXTERNAL (RFC 4422 App. A) with certificate identities, after XEP-0178. */
import assert from "node:assert/strict";
import type { Result } from "../../../core/errors.ts";
import { utf8 } from "../../../core/bytes.ts";
import { externalClientMessage, externalServerCheck, SaslError } from "./mod.ts";

const codeOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.code);
const peer = (...certificateJids: string[]) => ({ certificateJids });

Deno.test("XEP0178-3: no verified certificate, no EXTERNAL", () => {
  assert.equal(
    codeOf(externalServerCheck(externalClientMessage(), peer())),
    SaslError["no-client-certificate"],
  );
  assert.equal(
    codeOf(externalServerCheck(utf8("der1@grid.example"), peer())),
    SaslError["no-client-certificate"],
  );
});

Deno.test("XEP0178-3.authzid: an empty authzid takes the certificate's only JID", () => {
  assert.deepEqual(externalServerCheck(externalClientMessage(), peer("der1@grid.example")), {
    ok: true,
    value: { jid: "der1@grid.example" },
  });
  assert.equal(
    codeOf(externalServerCheck(new Uint8Array(0), peer("a@grid.example", "b@grid.example"))),
    SaslError["invalid-authzid"],
  );
  // The same JID twice is still one identity.
  assert.equal(
    codeOf(externalServerCheck(new Uint8Array(0), peer("a@grid.example", "a@grid.example"))),
    "ok",
  );
});

Deno.test("XEP0178-3.authzid RFC6120-6.3.8: a given authzid must be one of the certificate's JIDs", () => {
  const two = peer("a@grid.example", "b@grid.example");
  assert.deepEqual(externalServerCheck(externalClientMessage("b@grid.example"), two), {
    ok: true,
    value: { jid: "b@grid.example" },
  });
  assert.equal(
    codeOf(externalServerCheck(utf8("c@grid.example"), two)),
    SaslError["invalid-authzid"],
  );
  assert.equal(
    codeOf(externalServerCheck(new Uint8Array([0xff]), two)),
    SaslError["invalid-encoding"],
  );
});

Deno.test("XEP0178-3.authzid: JIDs are compared after the caller's normalization", () => {
  const normalizeJid = (j: string) => (j.includes(" ") ? undefined : j.toLowerCase());
  const p = { certificateJids: ["DER1@Grid.Example"], normalizeJid };
  assert.deepEqual(externalServerCheck(utf8("der1@grid.example"), p), {
    ok: true,
    value: { jid: "der1@grid.example" },
  });
  assert.equal(codeOf(externalServerCheck(utf8("bad jid"), p)), SaslError["invalid-authzid"]);
});
