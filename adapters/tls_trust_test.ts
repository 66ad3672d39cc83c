/**
 * The pin check (checkPeerChain), anchor parsing, the backoff schedule and
 * see-other-host locations.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { SeededEntropy } from "../core/entropy.ts";
import { isDerlinkError } from "../core/errors.ts";
import { createTestCa, issueServerCert } from "../core/pki/testca.ts";
import { backoffDelay, checkBackoff, DEFAULT_BACKOFF } from "./backoff.ts";
import { checkPeerChain, parseAnchors } from "./tls_trust.ts";
import { parseLocation } from "./xmpp_client.ts";

const der = (c: { cert: { rawData: ArrayBuffer } }) => new Uint8Array(c.cert.rawData);

Deno.test("DL-ADAPTER-3: the chain must lead by signatures to a configured anchor, inside its validity", async () => {
  const ca = await createTestCa({ entropy: new SeededEntropy("pin-ca") });
  const other = await createTestCa({ entropy: new SeededEntropy("pin-other") });
  const leaf = await issueServerCert(ca, { dnsNames: ["derlink.test"] });
  const now = new Date();
  const anchors = parseAnchors([ca.certPem]);
  const check = (chain: Uint8Array[], a = anchors, at = now) => checkPeerChain(chain, a, at);
  assert.ok(check([der(leaf)]).ok, "leaf alone");
  assert.ok(check([der(leaf), der(ca)]).ok, "leaf and CA");
  assert.ok(check([der(leaf)], parseAnchors([other.certPem, ca.certPem])).ok);
  const refused = (chain: Uint8Array[], a = anchors, at = now) => {
    const r = check(chain, a, at);
    assert.ok(!r.ok && r.error.code === "adapter/untrusted-peer", JSON.stringify(r));
  };
  refused([der(leaf)], parseAnchors([other.certPem]));
  // The foreign CA sent along does not help: it is not an anchor.
  refused([der(leaf), der(ca)], parseAnchors([other.certPem]));
  refused([]);
  refused([new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])]);
  refused([der(leaf)], anchors, new Date(leaf.cert.notAfter.getTime() + 1_000));
  refused([der(leaf)], anchors, new Date(leaf.cert.notBefore.getTime() - 1_000));
  // One flipped bit in the signature.
  const bad = der(leaf).slice();
  bad[bad.length - 3] ^= 1;
  refused([bad]);
});

Deno.test("DL-ADAPTER-2: trust anchors are required and must be certificates", () => {
  assert.throws(() => parseAnchors([]), (e) => isDerlinkError(e, "adapter/invalid-config"));
  assert.throws(
    () => parseAnchors(["not a certificate"]),
    (e) => isDerlinkError(e, "adapter/invalid-config"),
  );
});

Deno.test("DL-ADAPTER-6 PD-101: backoff delays are capped, jittered in [ceiling/2, ceiling), reproducible from the seed", () => {
  fc.assert(
    fc.property(
      fc.nat(100),
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.string(),
      (attempt, baseMs, extra, seed) => {
        const p = { maxAttempts: 5, baseMs, maxMs: baseMs + extra };
        const ceiling = Math.min(p.maxMs, baseMs * 2 ** attempt);
        const d = backoffDelay(attempt, p, new SeededEntropy(seed));
        assert.ok(d >= Math.floor(ceiling / 2) && d <= ceiling, `${d} vs ${ceiling}`);
        assert.equal(backoffDelay(attempt, p, new SeededEntropy(seed)), d);
      },
    ),
  );
  // Different draws differ: the jitter is real.
  const e = new SeededEntropy("spread");
  const draws = new Set(Array.from({ length: 20 }, () => backoffDelay(10, DEFAULT_BACKOFF, e)));
  assert.ok(draws.size > 10);
  for (
    const bad of [{ maxAttempts: -1, baseMs: 1, maxMs: 1 }, { maxAttempts: 1, baseMs: 5, maxMs: 1 }]
  ) {
    assert.throws(() => checkBackoff(bad), (e) => isDerlinkError(e, "adapter/invalid-config"));
  }
});

Deno.test("see-other-host locations: host, host:port, [IPv6]:port; anything else is not followed", () => {
  assert.deepEqual(parseLocation("xmpp2.example.net", 5222), {
    host: "xmpp2.example.net",
    port: 5222,
  });
  assert.deepEqual(parseLocation("xmpp2.example.net:5223", 5222), {
    host: "xmpp2.example.net",
    port: 5223,
  });
  assert.deepEqual(parseLocation("[2001:db8::1]:5280", 5222), { host: "2001:db8::1", port: 5280 });
  for (const bad of ["", "a b", "host:0", "host:70000", "[::1", "host:port", "a:1:2"]) {
    assert.equal(parseLocation(bad, 5222), undefined, bad);
  }
});
