/**
 * Tests of the key-management wire format (PD-110), key wraps (PD-115) and
 * the key download: round trips, the byte layout written out by hand,
 * refusal of every truncation and of trailing bytes, signature labels that
 * keep one message kind's signature from serving another, and wrap nonces
 * recomputed with @noble.
 */
import assert from "node:assert/strict";
import { gcm } from "@noble/ciphers/aes.js";
import { concat, toHex, utf8 } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { isDerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { decodeKeyDownload, encodeKeyDownload } from "./key_download.ts";
import { unwrapNodeKey, unwrapTeks, wrapNodeKey, wrapTeks } from "./keywrap.ts";
import {
  decodeMessage,
  encodeKeys,
  encodeRequest,
  type Rekey,
  rekeyBody,
  SIGNATURE_LABEL,
  withSignature,
} from "./messages.ts";
import { groupFixture, GroupSim } from "./testing.ts";

const suite = getSuite("x25519-ed25519");
const e = new SeededEntropy("messages-test");
const malformed = (f: () => unknown) =>
  assert.throws(f, (x) => isDerlinkError(x, GdoiError.malformed));

Deno.test("messages: the request layout byte by byte, big-endian and length-prefixed (PD-110 RFC6407-5.format)", () => {
  // spec: PD-110 RFC6407-5.format
  const ni = e.bytes(32);
  const data = encodeRequest({ groupId: "g1", suite: "p256", jid: "a@b", ni });
  assert.equal(
    toHex(data),
    toHex(
      concat(
        utf8("DLGK"),
        new Uint8Array([1, 1, 2]),
        utf8("g1"),
        new Uint8Array([4]),
        utf8("p256"),
        new Uint8Array([3]),
        utf8("a@b"),
        ni,
      ),
    ),
  );
  const body = rekeyBody({
    groupId: "g",
    seq: 0x01020304,
    issuedAt: 2 ** 40 + 5,
    height: 3,
    moves: [{ from: 258, to: 1 }],
    wraps: [],
    teks: [],
    retire: [0xdeadbeef],
  });
  assert.equal(
    toHex(body),
    "444c474b" + "0105" + "0167" + "01020304" + "0000010000000005" + "03" + "00000001" +
      "00000102" + "00000001" + "00000000" + "0000" + "0001" + "deadbeef",
  );
});

Deno.test("messages: every message of a real run round-trips; every cut and any trailing byte is refused (PD-110)", () => {
  // spec: PD-110 RFC6407-5.format
  const sim = new GroupSim(
    groupFixture({ jids: ["a@grid.example", "b@grid.example"], seed: "msgs" }),
    "msgs",
  );
  sim.register("a@grid.example");
  sim.register("b@grid.example");
  sim.evict(["a@grid.example"]);
  const all = [...sim.traffic.registration, ...sim.traffic.rekeys];
  assert.equal(new Set(all.map((d) => decodeMessage(d).message.kind)).size, 5);
  for (const data of all) {
    const { message, signed } = decodeMessage(data);
    if (message.kind === "rekey") {
      const { kind: _k, signature, ...body } = message as Rekey;
      assert.equal(toHex(withSignature(rekeyBody(body), signature)), toHex(data));
      assert.equal(toHex(signed), toHex(rekeyBody(body)));
    }
    if (message.kind === "keys") assert.equal(toHex(encodeKeys(message)), toHex(data));
    for (let cut = 0; cut < data.length; cut++) {
      malformed(() => decodeMessage(data.subarray(0, cut)));
    }
    malformed(() => decodeMessage(concat(data, new Uint8Array([0]))));
  }
  malformed(() => decodeMessage(utf8("DLGK\x02\x01\x00")));
  malformed(() => decodeMessage(utf8("XLGK\x01\x01\x00")));
});

Deno.test("messages: a signature made for one message kind never verifies as another (PD-110 RFC6407-4.sig)", () => {
  // spec: PD-110 RFC6407-4.sig
  const key = suite.sig.generate(e);
  const body = new Uint8Array([1, 2, 3]);
  const labels = Object.values(SIGNATURE_LABEL);
  for (const a of labels) {
    const sig = suite.sig.sign(key.privateKey, concat(a, body));
    for (const b of labels) {
      assert.equal(suite.sig.verify(key.publicKey, concat(b, body), sig), a === b);
    }
  }
});

Deno.test("keywrap: nonces and associated data as PD-115 lays them out, recomputed with noble", () => {
  // spec: PD-115 RFC6407-5.lkh RFC6407-5.tek
  const kek = e.bytes(16), key = e.bytes(16);
  const target = { level: 2, pos: 5 }, by = { level: 1, pos: 10 };
  const w = wrapNodeKey(suite, "g", target, 77, key, by, 70, kek);
  const nonce = new Uint8Array([1, 2, 0, 0, 0, 5, 0, 0, 0, 77, 0, 0]);
  const aad = concat(
    utf8("derlink/gdoi-wrap/v1"),
    new Uint8Array([1]),
    utf8("g"),
    new Uint8Array([1, 2, 0, 0, 0, 5, 0, 0, 0, 77, 1, 0, 0, 0, 10, 0, 0, 0, 70]),
  );
  assert.equal(toHex(w.sealed), toHex(gcm(kek, nonce, aad).encrypt(key)));
  assert.equal(toHex(unwrapNodeKey(suite, "g", w, kek)), toHex(key));
  assert.throws(() => unwrapNodeKey(suite, "h", w, kek));
  assert.throws(() => unwrapNodeKey(suite, "g", { ...w, targetVersion: 78 }, kek));
  assert.throws(() => unwrapNodeKey(suite, "g", { ...w, by: { level: 1, pos: 11 } }, kek));
  const tek = {
    keyId: 9,
    streamId: "s",
    protection: "aes-128-gcm" as const,
    notBefore: 1,
    notAfter: 2,
    key,
  };
  const tek2 = {
    ...tek,
    keyId: 10,
    streamId: "t",
    protection: "hmac-sha256-128" as const,
    key: e.bytes(32),
  };
  const bundle = wrapTeks(suite, "g", [tek, tek2], 70, kek);
  const tnonce = new Uint8Array([2, 0, 0, 0, 0, 9, 0, 0, 0, 70, 0, 0]);
  const taad = concat(
    utf8("derlink/gdoi-wrap/v1"),
    new Uint8Array([1]),
    utf8("g"),
    new Uint8Array([2, 0, 2, 0, 0, 0, 9, 1]),
    utf8("s"),
    new Uint8Array([3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 10, 1]),
    utf8("t"),
    new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 70]),
  );
  assert.equal(toHex(bundle.sealed), toHex(gcm(kek, tnonce, taad).encrypt(concat(key, tek2.key))));
  const attrs = [tek, tek2].map(({ key: _k, ...a }) => a);
  assert.deepEqual(unwrapTeks(suite, "g", attrs, bundle, kek), [tek, tek2]);
  assert.throws(
    () => unwrapTeks(suite, "g", [{ ...attrs[0], notAfter: 3 }, attrs[1]], bundle, kek),
    "lifetime is bound",
  );
  assert.throws(() => unwrapTeks(suite, "g", [attrs[0]], bundle, kek), "the list is bound");
});

Deno.test("key download: round trip; wrong key lengths refused (RFC6407-3.kd)", () => {
  // spec: RFC6407-3.kd
  const kd = {
    seq: 4,
    leaf: 3,
    height: 2,
    path: [0, 1, 2].map((level) => ({
      level,
      pos: 3 >> level,
      version: 10 + level,
      key: e.bytes(16),
    })),
    teks: [{
      keyId: 1,
      streamId: "s",
      protection: "hmac-sha256-128" as const,
      notBefore: 5,
      notAfter: 6,
      key: e.bytes(32),
    }],
  };
  const data = encodeKeyDownload(kd, 16);
  assert.deepEqual(decodeKeyDownload(data, 16), kd);
  malformed(() => decodeKeyDownload(data, 32));
  malformed(() => encodeKeyDownload(kd, 32));
  const shortTek = encodeKeyDownload({ ...kd, teks: [{ ...kd.teks[0], key: e.bytes(16) }] }, 16);
  malformed(() => decodeKeyDownload(shortTek, 16));
});

Deno.test("rekey: one signed message whose reported size is its size (PD-124)", () => {
  // spec: PD-124
  const sim = new GroupSim(
    groupFixture({ jids: ["a@grid.example", "b@grid.example"], seed: "msgs" }),
    "size",
  );
  sim.register("a@grid.example");
  const out = sim.evict(["a@grid.example"]).concat(sim.rotate());
  for (const o of out) if (o.type === "rekey") assert.equal(o.stats.bytes, o.data.length);
});
