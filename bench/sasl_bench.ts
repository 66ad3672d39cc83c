/**
 * SCRAM benchmarks. The cost of a SCRAM login is almost all PBKDF2 (Hi), so
 * each group's baseline is WebCrypto PBKDF2 with the same hash and count,
 * measured in the same run; `deno bench` prints the ratios. The server side
 * with stored keys does no PBKDF2 at all, which is why a server can afford
 * many logins while each client pays for one.
 *
 * Run: `deno bench bench/sasl_bench.ts`
 *
 * @module
 */
import { pbkdf2Sync } from "node:crypto";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8 } from "../core/bytes.ts";
import {
  scramClientOnServerFinal,
  scramClientOnServerFirst,
  scramClientStart,
  scramCredentialsFromPassword,
  scramServerOnClientFinal,
  scramServerOnClientFirst,
  scramServerReadClientFirst,
} from "../state-machines/xmpp-stream/sasl/mod.ts";

const ITERATIONS = 4096;
const SALT = new Uint8Array(utf8("derlink-bench-salt"));
const key = await crypto.subtle.importKey("raw", new Uint8Array(utf8("pencil")), "PBKDF2", false, [
  "deriveBits",
]);
const storedResult = scramCredentialsFromPassword("SHA-256", "pencil", SALT, ITERATIONS);
if (!storedResult.ok) throw storedResult.error;
const stored = storedResult;
const server = { mechanism: "SCRAM-SHA-256" as const, advertisedPlus: false, channelBindings: {} };

function must<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}

/** One whole exchange; returns both sides' work so neither is optimized away. */
function exchange(): unknown {
  const c1 = must(
    scramClientStart({
      mechanism: "SCRAM-SHA-256",
      username: "user",
      password: "pencil",
      clientNonce: "cn",
    }),
  );
  const s1 = must(scramServerReadClientFirst(server, c1.message));
  const s2 = must(
    scramServerOnClientFirst(s1, { kind: "found", credentials: stored.value }, "sn"),
  );
  const c2 = must(scramClientOnServerFirst(c1.state, s2.message));
  const s3 = must(scramServerOnClientFinal(s2.state, c2.message));
  return must(scramClientOnServerFinal(c2.state, s3.message));
}

// The server's part alone, on a client-final prepared once.
const c1 = must(
  scramClientStart({
    mechanism: "SCRAM-SHA-256",
    username: "user",
    password: "pencil",
    clientNonce: "cn",
  }),
);
const s1 = must(scramServerReadClientFirst(server, c1.message));
const s2 = must(scramServerOnClientFirst(s1, { kind: "found", credentials: stored.value }, "sn"));
const c2 = must(scramClientOnServerFirst(c1.state, s2.message));

const G = `SCRAM-SHA-256, i=${ITERATIONS}`;
Deno.bench({
  name: "PBKDF2 webcrypto",
  group: G,
  baseline: true,
  fn: async () => {
    await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: SALT, iterations: ITERATIONS },
      key,
      256,
    );
  },
});
Deno.bench({
  name: "PBKDF2 node:crypto",
  group: G,
  fn: () => void pbkdf2Sync("pencil", SALT, ITERATIONS, 32, "sha256"),
});
Deno.bench({
  name: "PBKDF2 @noble",
  group: G,
  fn: () => void pbkdf2(sha256, "pencil", SALT, { c: ITERATIONS, dkLen: 32 }),
});
Deno.bench({ name: "whole exchange, both sides (derlink)", group: G, fn: () => void exchange() });
Deno.bench({
  name: "server side only: read client-first → server-final (derlink)",
  group: G,
  fn: () => {
    const a = must(scramServerReadClientFirst(server, c1.message));
    const b = must(scramServerOnClientFirst(a, { kind: "found", credentials: stored.value }, "sn"));
    void b;
    must(scramServerOnClientFinal(s2.state, c2.message));
  },
});
