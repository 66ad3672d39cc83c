/**
 * Tests of group-protected messages: the tag and ciphertext of each
 * protection recomputed independently with @noble (known answers), the
 * header layout, the sender's key choice and counters, and a fast-check
 * property that no single-byte change of a message is ever delivered.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { gcm } from "@noble/ciphers/aes.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, toHex, utf8 } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { isDerlinkError } from "../../core/errors.ts";
import { GroupError } from "./errors.ts";
import {
  addKeys,
  currentKey,
  EMPTY_KEYRING,
  expireKeys,
  type Keyring,
  receiveSpdu,
  retireKeys,
  sendSpdu,
} from "./keyring.ts";
import type { TrafficKey } from "./keywrap.ts";
import { type GroupInfo, PROTECTIONS, TEK_LENGTH } from "./policy.ts";
import { decodeSpdu, MAX_SPDU, openSpdu, protectSpdu } from "./spdu.ts";

const suite = getSuite("x25519-ed25519");
const PUB = "pub@grid.example";
const T = 1_704_067_200_000;
const entropy = new SeededEntropy("spdu-test");
const keyFor = (i: number): TrafficKey => {
  const protection = PROTECTIONS[i];
  return {
    keyId: 7 + i,
    streamId: `s${i}`,
    protection,
    notBefore: T,
    notAfter: T + 60_000,
    key: entropy.bytes(TEK_LENGTH[protection]),
  };
};
const KEYS = PROTECTIONS.map((_, i) => keyFor(i));
const INFO: GroupInfo = {
  groupId: "g",
  suite: "x25519-ed25519",
  kekLength: 16,
  streams: KEYS.map((k) => ({ streamId: k.streamId, protection: k.protection, publishers: [PUB] })),
};
const RING: Keyring = addKeys(EMPTY_KEYRING, KEYS);
const fields = { spdu: 3, time: T + 10, ttl: 500, sender: PUB };
const payload = utf8("Operate CSWI1.Pos=on");

/** The header as PD-118 lays it out, written byte by byte here. */
function expectedHeader(k: TrafficKey, length: number): Uint8Array {
  const u32 = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  const hi = Math.floor(fields.time / 2 ** 32), lo = fields.time % 2 ** 32;
  const code = PROTECTIONS.indexOf(k.protection) + 1;
  return new Uint8Array([
    ...utf8("DLGP"),
    1,
    code,
    ...u32(k.keyId),
    ...u32(fields.spdu),
    ...u32(hi),
    ...u32(lo),
    ...u32(fields.ttl),
    PUB.length,
    ...utf8(PUB),
    k.streamId.length,
    ...utf8(k.streamId),
    ...u32(length),
  ]);
}

Deno.test("spdu: every protection matches an independent computation (PD-118 PD-119)", () => {
  // spec: PD-118 PD-119 PAPER-R4b PAPER-R6b
  const nonce = concat(
    sha256(concat(utf8("derlink/spdu-nonce/v1\0"), utf8(PUB))).subarray(0, 8),
    new Uint8Array([0, 0, 0, 3]),
  );
  for (const k of KEYS) {
    const data = protectSpdu(suite, k, fields, payload);
    const head = expectedHeader(k, payload.length);
    let expected: Uint8Array;
    switch (k.protection) {
      case "hmac-sha256-128":
        expected = concat(
          head,
          payload,
          hmac(sha256, k.key, concat(head, payload)).subarray(0, 16),
        );
        break;
      case "aes-gmac-128":
        expected = concat(
          head,
          payload,
          gcm(k.key, nonce, concat(head, payload)).encrypt(new Uint8Array(0)),
        );
        break;
      default:
        expected = concat(head, gcm(k.key, nonce, head).encrypt(payload));
    }
    assert.equal(toHex(data), toHex(expected), k.protection);
    const decoded = decodeSpdu(data);
    assert.deepEqual(decoded.header, {
      ...fields,
      protection: k.protection,
      keyId: k.keyId,
      streamId: k.streamId,
    });
    assert.equal(toHex(openSpdu(suite, k, decoded)), toHex(payload));
    if (k.protection === "aes-128-gcm") {
      assert.ok(!toHex(data).includes(toHex(payload)), "payload encrypted");
    }
    if (k.protection === "hmac-sha256-128") {
      assert.ok(toHex(data).includes(toHex(payload)), "payload in clear");
    }
  }
});

Deno.test("spdu: senders use the newest active key and count up (RFC8052-keyid PD-119)", () => {
  // spec: RFC8052-keyid RFC8052-lifetime PD-119
  const k0 = KEYS[2];
  const newer = { ...k0, keyId: 100, notBefore: T + 1000, key: entropy.bytes(16) };
  const ring = addKeys(RING, [newer]);
  assert.equal(currentKey(ring, k0.streamId, T + 999)?.keyId, k0.keyId);
  assert.equal(currentKey(ring, k0.streamId, T + 1000)?.keyId, 100);
  assert.equal(currentKey(ring, k0.streamId, T + 60_000), undefined);
  let r = ring;
  const sent: number[] = [];
  for (let i = 0; i < 3; i++) {
    const out = sendSpdu(suite, INFO, r, `${PUB}/plc`, k0.streamId, payload, T + 2000, 100);
    r = out.keyring;
    const h = decodeSpdu(out.data).header;
    assert.equal(h.sender, PUB);
    sent.push(h.spdu);
  }
  assert.deepEqual(sent, [1, 2, 3]);
  const refused = (code: string, f: () => unknown) =>
    assert.throws(f, (e) => isDerlinkError(e) && e.code === code);
  refused(
    GroupError["not-publisher"],
    () => sendSpdu(suite, INFO, r, "der1@grid.example", k0.streamId, payload, T, 1),
  );
  refused(
    GroupError["no-key"],
    () => sendSpdu(suite, INFO, r, PUB, k0.streamId, payload, T + 60_000, 1),
  );
  refused(GroupError["not-publisher"], () => sendSpdu(suite, INFO, r, PUB, "nope", payload, T, 1));
  const full = { ...r, sent: { ...r.sent, [100]: MAX_SPDU } };
  refused(
    GroupError["spdu-exhausted"],
    () => sendSpdu(suite, INFO, full, PUB, k0.streamId, payload, T + 2000, 1),
  );
});

Deno.test("spdu: retired and expired keys read as expired; counters are forgotten with them", () => {
  // spec: RFC6407-5.delete RFC8052-lifetime
  const k = KEYS[0];
  const data = protectSpdu(suite, k, fields, payload);
  const got = receiveSpdu(suite, INFO, RING, data, T + 20, { maxSkewMs: 1000 });
  assert.equal(got.keyring.lastSeen[`${k.keyId}/${PUB}`], 3);
  const retired = retireKeys(got.keyring, [k.keyId]);
  assert.deepEqual(retired.lastSeen, {});
  assert.throws(
    () => receiveSpdu(suite, INFO, retired, data, T + 20, { maxSkewMs: 1000 }),
    (e) => isDerlinkError(e, GroupError["key-expired"]),
  );
  const expired = expireKeys(RING, T + 60_000);
  assert.equal(expired.keys.length, 0);
  assert.equal(expired.retired.length, KEYS.length);
});

Deno.test("spdu: no single-byte change of a message is delivered (PAPER-R4b)", () => {
  // spec: PAPER-R4b PAPER-R6b
  const messages = KEYS.map((k) => protectSpdu(suite, k, fields, payload));
  fc.assert(
    fc.property(
      fc.nat({ max: KEYS.length - 1 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (i, at, x) => {
        const data = messages[i].slice();
        data[at % data.length] ^= x;
        try {
          receiveSpdu(suite, INFO, RING, data, T + 20, { maxSkewMs: 1000 });
          return false;
        } catch (e) {
          return isDerlinkError(e) && e.code.startsWith("group/");
        }
      },
    ),
    { numRuns: 2000, seed: 62351 },
  );
});
