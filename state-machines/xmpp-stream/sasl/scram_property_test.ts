/**
 * fast-check properties of SCRAM: a client and a server built from the same
 * password always agree; any single-byte change to any of the four messages
 * makes the exchange fail with a registered code, never an exception and
 * never a success; garbage input to any step is a refusal, never a throw.
 * Iteration counts stay small so the properties run fast.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { isRegisteredCode, type Result } from "../../../core/errors.ts";
import {
  type ChannelBindingType,
  saslprep,
  scramClientOnServerFinal,
  scramClientOnServerFirst,
  type ScramClientOptions,
  scramClientStart,
  scramCredentialsFromPassword,
  type ScramHash,
  type ScramServerConfig,
  scramServerOnClientFinal,
  scramServerOnClientFirst,
  scramServerReadClientFirst,
  type ScramStoredCredentials,
} from "./mod.ts";

const POLICY = { minIterations: 1, maxIterations: 16 };
const printable = fc.stringMatching(/^[\x21-\x2B\x2D-\x7E]{1,32}$/);
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 6 }));
const username = text.filter((u) => {
  const p = saslprep(u, { allowUnassigned: true });
  return p.ok && p.value !== "";
});
const password = text.filter((p) => saslprep(p, { allowUnassigned: false }).ok);
const binding = fc.oneof(
  fc.constant({ kind: "n" as const }),
  fc.constant({ kind: "y" as const }),
  fc.record({
    kind: fc.constant("p" as const),
    type: fc.constantFrom<ChannelBindingType>("tls-exporter", "tls-unique", "tls-server-end-point"),
    data: fc.uint8Array({ minLength: 1, maxLength: 48 }),
  }),
);
const scenario = fc.record({
  hash: fc.constantFrom<ScramHash>("SHA-1", "SHA-256"),
  username,
  password,
  authzid: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.isWellFormed()), {
    nil: undefined,
  }),
  clientNonce: printable,
  serverNonce: printable,
  salt: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  iterations: fc.integer({ min: 1, max: 8 }),
  binding,
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function setup(
  s: Scenario,
): { client: ScramClientOptions; server: ScramServerConfig; stored: ScramStoredCredentials } {
  const plus = s.binding.kind === "p";
  const mechanism = `SCRAM-${s.hash}${plus ? "-PLUS" : ""}` as ScramClientOptions["mechanism"];
  const client: ScramClientOptions = {
    mechanism,
    username: s.username,
    password: s.password,
    authzid: s.authzid,
    clientNonce: s.clientNonce,
    channelBinding: s.binding.kind === "p"
      ? { type: s.binding.type, data: s.binding.data }
      : undefined,
    clientSupportsBinding: s.binding.kind === "y",
  };
  const server: ScramServerConfig = {
    mechanism,
    advertisedPlus: plus,
    channelBindings: s.binding.kind === "p" ? { [s.binding.type]: s.binding.data } : {},
  };
  const stored = scramCredentialsFromPassword(s.hash, s.password, s.salt, s.iterations);
  if (!stored.ok) throw stored.error;
  return { client, server, stored: stored.value };
}

/** How an exchange ended: success on both sides, or the first refusal. */
type Ending =
  | {
    ok: true;
    username: string;
    authzid: string | undefined;
    bound: boolean;
    messages: Uint8Array[];
  }
  | { ok: false; code: string; step: number };

/**
 * Runs the exchange; `tamper(i, bytes)` may replace message i (0 client-first,
 * 1 server-first, 2 client-final, 3 server-final) on its way to the peer.
 */
function exchange(
  s: Scenario,
  tamper: (i: number, m: Uint8Array) => Uint8Array = (_, m) => m,
): Ending {
  const { client, server, stored } = setup(s);
  const prepped = saslprep(s.username, { allowUnassigned: true });
  const refused = (r: Result<unknown>, step: number): Ending => ({
    ok: false,
    code: (r as { error: { code: string } }).error.code,
    step,
  });
  const messages: Uint8Array[] = [];
  const send = (m: Uint8Array) => {
    messages.push(m);
    return tamper(messages.length - 1, m);
  };
  const c1 = scramClientStart(client);
  if (!c1.ok) return refused(c1, 0);
  const s1 = scramServerReadClientFirst(server, send(c1.value.message));
  if (!s1.ok) return refused(s1, 1);
  const known = prepped.ok && s1.value.username === prepped.value;
  const s2 = scramServerOnClientFirst(
    s1.value,
    known ? { kind: "found", credentials: stored } : { kind: "unknown" },
    s.serverNonce,
  );
  if (!s2.ok) return refused(s2, 1);
  const c2 = scramClientOnServerFirst(c1.value.state, send(s2.value.message), POLICY);
  if (!c2.ok) return refused(c2, 2);
  const s3 = scramServerOnClientFinal(s2.value.state, send(c2.value.message));
  if (!s3.ok) return refused(s3, 3);
  const c3 = scramClientOnServerFinal(c2.value.state, send(s3.value.message));
  if (!c3.ok) return refused(c3, 4);
  return {
    ok: true,
    username: s3.value.username,
    authzid: s3.value.authzid,
    bound: s3.value.channelBound,
    messages,
  };
}

Deno.test("RFC5802-3 RFC5802-5.p RFC5802-5.v: client and server from the same password always agree", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const end = exchange(s);
      assert.ok(end.ok, `refused: ${JSON.stringify(end)}`);
      const prepped = saslprep(s.username, { allowUnassigned: true });
      assert.ok(prepped.ok);
      assert.equal(end.username, prepped.value);
      assert.equal(end.authzid, s.authzid);
      assert.equal(end.bound, s.binding.kind === "p");
    }),
    { numRuns: 300 },
  );
});

Deno.test("RFC5802-5.p RFC5802-5.v RFC5802-6.server-c: any single-byte change to any message fails with a code", () => {
  fc.assert(
    fc.property(
      scenario,
      fc.nat(3),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (s, which, position, delta) => {
        const honest = exchange(s);
        assert.ok(honest.ok);
        const target = honest.messages[which];
        const at = position % target.length;
        let end: Ending;
        try {
          end = exchange(s, (i, m) => {
            if (i !== which) return m;
            const copy = m.slice();
            copy[at] = (copy[at] + delta) & 0xff;
            return copy;
          });
        } catch (e) {
          throw new Error(`threw instead of refusing: ${e}`);
        }
        assert.equal(end.ok, false, `mutation of message ${which} at ${at} was accepted`);
        if (!end.ok) {
          assert.ok(isRegisteredCode(end.code) && end.code.startsWith("sasl/"), end.code);
        }
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("DL-MACHINE-1: garbage given to any step is refused with a registered code, never thrown", () => {
  const s: Scenario = {
    hash: "SHA-256",
    username: "user",
    password: "pencil",
    authzid: undefined,
    clientNonce: "abc",
    serverNonce: "def",
    salt: new Uint8Array([1, 2, 3]),
    iterations: 2,
    binding: { kind: "n" },
  };
  const { client, server, stored } = setup(s);
  const c1 = scramClientStart(client);
  assert.ok(c1.ok);
  const s1 = scramServerReadClientFirst(server, c1.value.message);
  assert.ok(s1.ok);
  const s2 = scramServerOnClientFirst(s1.value, { kind: "found", credentials: stored }, "def");
  assert.ok(s2.ok);
  const c2 = scramClientOnServerFirst(c1.value.state, s2.value.message, POLICY);
  assert.ok(c2.ok);
  const steps: ((m: Uint8Array) => Result<unknown>)[] = [
    (m) => scramServerReadClientFirst(server, m),
    (m) => scramClientOnServerFirst(c1.value.state, m, POLICY),
    (m) => scramServerOnClientFinal(s2.value.state, m),
    (m) => scramClientOnServerFinal(c2.value.state, m),
  ];
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.string({ maxLength: 64 }).map((t) => new TextEncoder().encode(t)),
    fc.array(
      fc.constantFrom(
        "n",
        "y",
        "p=tls-unique",
        "a=x",
        "r=abc",
        "s=AQID",
        "i=2",
        "c=biws",
        "p=AAAA",
        "v=AAAA",
        "e=x",
        "m=1",
        "",
        "=",
        "=2C",
      ),
    )
      .map((parts) => new TextEncoder().encode(parts.join(","))),
  );
  fc.assert(
    fc.property(fc.nat(3), bytes, (i, m) => {
      const r = steps[i](m);
      if (!r.ok) assert.ok(isRegisteredCode(r.error.code), r.error.code);
    }),
    { numRuns: 2000 },
  );
});
