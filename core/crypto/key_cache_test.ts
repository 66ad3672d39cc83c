import assert from "node:assert/strict";
import * as nc from "node:crypto";
import fc from "fast-check";
import { getSuite } from "./suite.ts";
import { privateKeyCache, publicKeyCache } from "./key_cache.ts";
import { SeededEntropy } from "../entropy.ts";

const X25519_PKCS8 = Uint8Array.from([
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x6e,
  0x04,
  0x22,
  0x04,
  0x20,
]);
const importX25519 = (raw: Uint8Array) => {
  const der = new Uint8Array(48);
  der.set(X25519_PKCS8);
  der.set(raw, 16);
  return nc.createPrivateKey({ key: der as Buffer, format: "der", type: "pkcs8" });
};
const publicOf = (k: nc.KeyObject) =>
  nc.createPublicKey(k).export({ format: "der", type: "spki" }).toString("hex");

Deno.test("private key cache: a key array changed in place is imported again", () => {
  let loads = 0;
  const load = privateKeyCache((raw) => (loads++, importX25519(raw)));
  const raw = new Uint8Array(32).fill(1);
  const first = load(raw);
  assert.equal(load(raw), first);
  assert.equal(loads, 1);
  raw[5] ^= 1;
  const second = load(raw);
  assert.equal(loads, 2);
  assert.equal(publicOf(second), publicOf(importX25519(raw)));
  assert.notEqual(publicOf(second), publicOf(first));
  // Equal bytes in another array: a fresh import, same key.
  assert.equal(publicOf(load(raw.slice())), publicOf(second));
});

Deno.test("public key cache: keyed by content, bounded, never mixes keys", () => {
  const loads: string[] = [];
  const load = publicKeyCache((raw) => {
    loads.push(String(raw[0]));
    return importX25519(raw);
  }, 2);
  const key = (n: number) => new Uint8Array(32).fill(n);
  const a = load(key(1));
  assert.equal(load(key(1)), a); // a copy of the same bytes hits
  load(key(2));
  load(key(3)); // evicts 1 (least recently used)
  assert.notEqual(load(key(1)), a);
  assert.deepEqual(loads, ["1", "2", "3", "1"]);
});

Deno.test("node provider with caches: same answers as noble, also after keys change in place", () => {
  const node = getSuite("x25519-ed25519", "node"), noble = getSuite("x25519-ed25519", "noble");
  fc.assert(
    fc.property(fc.string(), fc.uint8Array({ maxLength: 64 }), fc.nat(31), (seed, msg, at) => {
      const e = new SeededEntropy(seed);
      const a = node.kex.generate(e), b = node.kex.generate(e);
      const s = node.sig.generate(e);
      assert.deepEqual(
        node.kex.agree(a.privateKey, b.publicKey),
        noble.kex.agree(a.privateKey, b.publicKey),
      );
      assert.deepEqual(node.sig.sign(s.privateKey, msg), noble.sig.sign(s.privateKey, msg));
      // Change the private keys in place: results follow the new bytes.
      a.privateKey[at] ^= 0x40;
      s.privateKey[at] ^= 0x40;
      assert.deepEqual(
        node.kex.agree(a.privateKey, b.publicKey),
        noble.kex.agree(a.privateKey, b.publicKey),
      );
      const sig = node.sig.sign(s.privateKey, msg);
      assert.deepEqual(sig, noble.sig.sign(s.privateKey, msg));
      const pub = noble.sig.publicFromPrivate(s.privateKey);
      assert.equal(node.sig.verify(pub, msg, sig), true);
      assert.equal(node.sig.verify(s.publicKey, msg, sig), noble.sig.verify(s.publicKey, msg, sig));
    }),
    { numRuns: 60 },
  );
});
