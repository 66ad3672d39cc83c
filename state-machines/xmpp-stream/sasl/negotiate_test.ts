/** Mechanism negotiation: our preference, policy limits, and what a server advertises. */
import assert from "node:assert/strict";
import type { Result } from "../../../core/errors.ts";
import {
  chooseMechanism,
  type ClientMechanismCapabilities,
  DEFAULT_CLIENT_PREFERENCE,
  type MechanismChoice,
  mechanismsToOffer,
  SaslError,
} from "./mod.ts";

const binding = { type: "tls-exporter" as const, data: new Uint8Array(32) };
const caps = (over: Partial<ClientMechanismCapabilities> = {}): ClientMechanismCapabilities => ({
  tls: true,
  hasPassword: true,
  clientCertificate: false,
  channelBindings: [],
  plainEnabled: false,
  ...over,
});
const pick = (r: Result<MechanismChoice>) => (r.ok ? r.value.mechanism : r.error.code);
const ALL = [
  "PLAIN",
  "SCRAM-SHA-1",
  "SCRAM-SHA-1-PLUS",
  "SCRAM-SHA-256",
  "SCRAM-SHA-256-PLUS",
  "EXTERNAL",
];

Deno.test("RFC6120-6.3.3: the client's preference decides, not the server's order", () => {
  assert.equal(
    pick(
      chooseMechanism(["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"], DEFAULT_CLIENT_PREFERENCE, caps()),
    ),
    "SCRAM-SHA-256",
  );
  assert.equal(
    pick(
      chooseMechanism(["SCRAM-SHA-256", "SCRAM-SHA-1"], ["SCRAM-SHA-1", "SCRAM-SHA-256"], caps()),
    ),
    "SCRAM-SHA-1",
  );
  // Nothing outside our list, even when it is all the server has.
  assert.equal(
    pick(chooseMechanism(["DIGEST-MD5", "SCRAM-SHA-1"], ["SCRAM-SHA-256"], caps())),
    SaslError["no-acceptable-mechanism"],
  );
  assert.equal(
    pick(chooseMechanism(["SCRAM-SHA-1"], ["SCRAM-SHA-256", "CRAM-MD5"], caps())),
    SaslError["unknown-mechanism"],
  );
});

Deno.test("RFC5802-6.plus PD-43: -PLUS only with binding data the server accepts", () => {
  const withBinding = caps({ channelBindings: [binding] });
  const r = chooseMechanism(ALL, DEFAULT_CLIENT_PREFERENCE, withBinding);
  assert.ok(r.ok);
  assert.equal(r.value.mechanism, "SCRAM-SHA-256-PLUS");
  assert.equal(r.value.channelBinding, binding);
  // Deno today: no binding data, so the plain SCRAM with flag n.
  const noBinding = chooseMechanism(ALL, DEFAULT_CLIENT_PREFERENCE, caps());
  assert.ok(noBinding.ok);
  assert.deepEqual(noBinding.value, { mechanism: "SCRAM-SHA-256", clientSupportsBinding: false });
  // XEP-0440: the server binds only tls-unique, we have only tls-exporter.
  const mismatch = chooseMechanism(ALL, DEFAULT_CLIENT_PREFERENCE, withBinding, ["tls-unique"]);
  assert.ok(mismatch.ok);
  assert.deepEqual(mismatch.value, { mechanism: "SCRAM-SHA-256", clientSupportsBinding: false });
});

Deno.test("RFC5802-6.client-y: able to bind but no -PLUS offered means flag y", () => {
  const r = chooseMechanism(
    ["SCRAM-SHA-256", "SCRAM-SHA-1"],
    DEFAULT_CLIENT_PREFERENCE,
    caps({ channelBindings: [binding] }),
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value, { mechanism: "SCRAM-SHA-256", clientSupportsBinding: true });
});

Deno.test("RFC6120-13.8.plain PD-44: PLAIN only over TLS and only when enabled, else mechanism-too-weak", () => {
  assert.equal(
    pick(chooseMechanism(["PLAIN"], DEFAULT_CLIENT_PREFERENCE, caps({ plainEnabled: true }))),
    "PLAIN",
  );
  assert.equal(
    pick(
      chooseMechanism(
        ["PLAIN"],
        DEFAULT_CLIENT_PREFERENCE,
        caps({ tls: false, plainEnabled: true }),
      ),
    ),
    SaslError["mechanism-too-weak"],
  );
  assert.equal(
    pick(chooseMechanism(["PLAIN"], DEFAULT_CLIENT_PREFERENCE, caps())),
    SaslError["mechanism-too-weak"],
  );
  // A list that prefers PLAIN still gets SCRAM when PLAIN is not allowed here.
  assert.equal(
    pick(
      chooseMechanism(
        ["PLAIN", "SCRAM-SHA-1"],
        ["PLAIN", "SCRAM-SHA-1"],
        caps({ tls: false, plainEnabled: true }),
      ),
    ),
    "SCRAM-SHA-1",
  );
});

Deno.test("PD-43: a client requiring binding refuses unbound mechanisms", () => {
  const strict = caps({ requireChannelBinding: true, plainEnabled: true });
  assert.equal(
    pick(chooseMechanism(["SCRAM-SHA-256", "PLAIN"], DEFAULT_CLIENT_PREFERENCE, strict)),
    SaslError["mechanism-too-weak"],
  );
  assert.equal(
    pick(
      chooseMechanism(ALL, DEFAULT_CLIENT_PREFERENCE, { ...strict, channelBindings: [binding] }),
    ),
    "SCRAM-SHA-256-PLUS",
  );
  assert.equal(
    pick(
      chooseMechanism(["EXTERNAL", "SCRAM-SHA-1"], DEFAULT_CLIENT_PREFERENCE, {
        ...strict,
        clientCertificate: true,
      }),
    ),
    "EXTERNAL",
  );
});

Deno.test("RFC6120-6.3.4.external: EXTERNAL only with a client certificate over TLS", () => {
  assert.equal(
    pick(chooseMechanism(["EXTERNAL"], DEFAULT_CLIENT_PREFERENCE, caps())),
    SaslError["no-acceptable-mechanism"],
  );
  assert.equal(
    pick(
      chooseMechanism(
        ["EXTERNAL", "SCRAM-SHA-1"],
        DEFAULT_CLIENT_PREFERENCE,
        caps({ clientCertificate: true }),
      ),
    ),
    "EXTERNAL",
  );
  assert.equal(
    pick(
      chooseMechanism(
        ["EXTERNAL"],
        DEFAULT_CLIENT_PREFERENCE,
        caps({ clientCertificate: true, tls: false }),
      ),
    ),
    SaslError["no-acceptable-mechanism"],
  );
  assert.equal(
    pick(chooseMechanism(["SCRAM-SHA-1"], DEFAULT_CLIENT_PREFERENCE, caps({ hasPassword: false }))),
    SaslError["no-acceptable-mechanism"],
  );
});

Deno.test("RFC6120-6.3.4.external RFC6120-13.8.plain RFC5802-6.plus: what a server advertises", () => {
  const base = {
    tls: true,
    scramHashes: ["SHA-256", "SHA-1"] as const,
    channelBindings: [],
    clientCertificate: false,
    plainEnabled: false,
  };
  assert.deepEqual(mechanismsToOffer({ ...base, scramHashes: [...base.scramHashes] }), [
    "SCRAM-SHA-256",
    "SCRAM-SHA-1",
  ]);
  assert.deepEqual(
    mechanismsToOffer({
      ...base,
      scramHashes: ["SHA-256"],
      channelBindings: ["tls-exporter"],
      clientCertificate: true,
      plainEnabled: true,
    }),
    ["EXTERNAL", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN"],
  );
  assert.deepEqual(
    mechanismsToOffer({
      ...base,
      tls: false,
      scramHashes: ["SHA-256"],
      channelBindings: ["tls-exporter"],
      clientCertificate: true,
      plainEnabled: true,
    }),
    ["SCRAM-SHA-256"],
  );
});
