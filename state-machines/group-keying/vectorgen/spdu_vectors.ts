/**
 * Vectors for group-protected messages (`vectors/group-keying/spdu.json`):
 * a receiving member in a fixed state (snapshot) and one message each. Valid
 * messages are made with fixed keys; every negative case is a named edit of
 * one with the code the receiver's check order (keyring.ts) gives it, decided
 * here by the field the edit touches, not by running the receiver.
 *
 * @module
 */
import { utf8 } from "../../../core/bytes.ts";
import { SeededEntropy } from "../../../core/entropy.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { GroupError } from "../errors.ts";
import type { TrafficKey } from "../keywrap.ts";
import { type ProtectionId, PROTECTIONS, TEK_LENGTH } from "../policy.ts";
import { type MemberSnapshot, tekToJson } from "../snapshot.ts";
import { protectSpdu, type SpduHeader } from "../spdu.ts";
import { T0 } from "../testing.ts";
import { flip, hex, type Json, setByte, type TestCase, toJson } from "./common.ts";

const SUITE = getSuite("x25519-ed25519");
const PUB = "pub@grid.example";
const OTHER = "der2@grid.example";
const NOW = T0 + 60_000;
const TTL = 2_000;
const SKEW = 2_000;
const HOUR = 3_600_000;

const streamOf = (i: number) => `stream-${i + 1}`;
const STREAMS = PROTECTIONS.map((protection, i) => ({
  streamId: streamOf(i),
  protection,
  publishers: [PUB],
}));

/** Keys of the snapshot: current, not yet active, expired; plus a retired ID per stream. */
function keysFor(entropy: SeededEntropy): { current: TrafficKey[]; all: TrafficKey[] } {
  const make = (i: number, p: ProtectionId, id: number, notBefore: number, notAfter: number) => ({
    keyId: id,
    streamId: streamOf(i),
    protection: p,
    notBefore,
    notAfter,
    key: entropy.bytes(TEK_LENGTH[p]),
  });
  const current = PROTECTIONS.map((p, i) => make(i, p, 10 + i, T0, T0 + HOUR));
  const future = PROTECTIONS.map((p, i) => make(i, p, 20 + i, NOW + 1, NOW + HOUR));
  const expired = PROTECTIONS.map((p, i) => make(i, p, 30 + i, T0 - HOUR, NOW));
  return { current, all: [...current, ...future, ...expired] };
}

const RETIRED = (i: number) => 40 + i;

function receiver(all: TrafficKey[], entropy: SeededEntropy): MemberSnapshot {
  return {
    jid: "der1@grid.example",
    groupId: "vpp-dispatch",
    suite: "x25519-ed25519",
    keyServerJid: "kdc@grid.example",
    serverKey: hex(SUITE.sig.generate(entropy).publicKey),
    info: { kekLength: 16, streams: STREAMS },
    seq: 3,
    now: NOW,
    maxSkewMs: SKEW,
    keys: {
      leaf: 1,
      height: 1,
      path: [
        { level: 0, pos: 1, version: 2, key: hex(entropy.bytes(16)) },
        { level: 1, pos: 0, version: 3, key: hex(entropy.bytes(16)) },
      ],
    },
    keyring: {
      keys: all.map(tekToJson),
      retired: PROTECTIONS.map((_, i) => RETIRED(i)),
      lastSeen: {},
      sent: {},
    },
  };
}

type Fields = Omit<SpduHeader, "protection" | "keyId" | "streamId">;
const base = (over: Partial<Fields> = {}): Fields => ({
  spdu: 1,
  time: NOW - 100,
  ttl: TTL,
  sender: PUB,
  ...over,
});

/** Byte offsets of the header fields for a given sender and stream name. */
function offsets(sender: string, stream: string, payloadLength: number) {
  const senderAt = 27;
  const streamLenAt = senderAt + utf8(sender).length;
  const payloadLenAt = streamLenAt + 1 + utf8(stream).length;
  const payloadAt = payloadLenAt + 4;
  return { senderAt, streamLenAt, payloadLenAt, payloadAt, tagAt: payloadAt + payloadLength };
}

const SPEC = ["PAPER-R4b", "PAPER-R6b", "PD-118"];

function testsFor(i: number, p: ProtectionId, keys: { current: TrafficKey[]; all: TrafficKey[] }) {
  const tek = keys.current[i];
  const stream = tek.streamId;
  const payload = utf8(`SetPoint WMax=${4200 + i}`);
  const seal = (f: Fields, k: TrafficKey = tek, body = payload) => protectSpdu(SUITE, k, f, body);
  const msg = seal(base());
  const off = offsets(PUB, stream, payload.length);
  const tests: TestCase[] = [];
  const valid = (
    comment: string,
    data: Uint8Array,
    extra: Record<string, Json> = {},
    body = payload,
  ) =>
    tests.push({
      comment,
      flags: ["valid"],
      spec: SPEC,
      result: "valid",
      data: hex(data),
      payload: hex(body),
      ...extra,
    });
  const invalid = (
    comment: string,
    flags: string[],
    error: string,
    data: Uint8Array,
    spec = SPEC,
    extra: Record<string, Json> = {},
  ) => tests.push({ comment, flags, spec, result: "invalid", error, data: hex(data), ...extra });

  valid(`${p}: a publisher's message`, msg);
  valid(`${p}: empty payload`, seal(base(), tek, new Uint8Array(0)), {}, new Uint8Array(0));
  valid(`${p}: next SPDU after 5`, seal(base({ spdu: 6 })), {
    lastSeen: { [`${tek.keyId}/${PUB}`]: 5 },
  });
  valid(`${p}: transport sender is the publisher's full JID`, msg, { from: `${PUB}/plc` });
  valid(`${p}: exactly at the end of the time allowed to live`, seal(base({ time: NOW - TTL })));
  valid(`${p}: ahead by exactly the allowed skew`, seal(base({ time: NOW + SKEW })));
  valid(`${p}: SPDU 1 while another sender is at 7`, msg, {
    lastSeen: { [`${tek.keyId}/${OTHER}`]: 7 },
  });
  valid(`${p}: at the key's activation time`, seal(base({ time: T0 })), { now: T0 });

  for (let b = 0; b < 16; b++) {
    invalid(
      `${p}: tag byte ${b} changed`,
      ["bit-flip", "tag"],
      GroupError["bad-tag"],
      flip(msg, off.tagAt + b, b % 8),
    );
  }
  for (let b = 0; b < payload.length; b += 3) {
    invalid(
      `${p}: payload byte ${b} changed`,
      ["bit-flip", "payload"],
      GroupError["bad-tag"],
      flip(msg, off.payloadAt + b, 2),
    );
  }
  for (
    const [name, at, len] of [["SPDU number", 10, 4], ["time", 14, 8], [
      "time allowed to live",
      22,
      4,
    ]] as const
  ) {
    for (let b = 0; b < len; b++) {
      // The top byte of the time set means a time beyond 2^53 ms: refused while parsing.
      const beyond = name === "time" && b === 0;
      invalid(
        `${p}: ${name} byte ${b} changed${beyond ? " (time beyond 2^53)" : ""}`,
        ["bit-flip", "header"],
        beyond ? GroupError.malformed : GroupError["bad-tag"],
        flip(msg, at + b, 0),
      );
    }
  }
  for (const b of [0, 2, 4]) {
    invalid(
      `${p}: sender character ${b} changed`,
      ["bit-flip", "sender"],
      GroupError["bad-tag"],
      flip(msg, off.senderAt + b, 0),
    );
  }
  for (let cut = 1; cut <= 16; cut++) {
    invalid(
      `${p}: ${cut} tag bytes cut off`,
      ["truncated", "tag"],
      GroupError["truncated-tag"],
      msg.slice(0, msg.length - cut),
    );
  }
  for (const cut of [0, 5, 9, 26, off.payloadLenAt + 2]) {
    invalid(
      `${p}: message cut at byte ${cut}`,
      ["truncated"],
      GroupError.malformed,
      msg.slice(0, cut),
    );
  }
  invalid(
    `${p}: a byte after the tag`,
    ["trailing"],
    GroupError.malformed,
    new Uint8Array([...msg, 0]),
  );
  invalid(`${p}: bad magic`, ["header"], GroupError.malformed, flip(msg, 0, 1));
  invalid(`${p}: version 2`, ["header"], GroupError.malformed, setByte(msg, 4, 2));
  invalid(`${p}: protection code 0`, ["header"], GroupError.malformed, setByte(msg, 5, 0));
  invalid(`${p}: protection code 9`, ["header"], GroupError.malformed, setByte(msg, 5, 9));
  for (const [j, q] of PROTECTIONS.entries()) {
    if (q === p) continue;
    invalid(
      `${p}: header claims ${q}`,
      ["downgrade"],
      GroupError["algorithm-mismatch"],
      setByte(msg, 5, j + 1),
      [...SPEC, "PD-120"],
    );
  }
  const rekeyed = (keyId: number) => ({ ...tek, keyId });
  invalid(
    `${p}: unknown key ID`,
    ["key-id"],
    GroupError["unknown-key"],
    seal(base(), rekeyed(999)),
    ["RFC8052-keyid", "PD-120"],
  );
  invalid(`${p}: key ID 0`, ["key-id"], GroupError["unknown-key"], seal(base(), rekeyed(0)), [
    "RFC8052-keyid",
    "PD-120",
  ]);
  const otherStream = keys.current[(i + 1) % keys.current.length];
  invalid(
    `${p}: key ID of another stream's key`,
    ["key-id", "stream"],
    GroupError["wrong-stream"],
    seal(base(), rekeyed(otherStream.keyId)),
    ["RFC8052-stream", "PD-120"],
  );
  invalid(
    `${p}: Stream-ID not of this group`,
    ["stream"],
    GroupError["wrong-stream"],
    seal(base(), { ...tek, streamId: "stream-9" }),
    ["RFC8052-stream", "PD-120"],
  );
  invalid(
    `${p}: retired key`,
    ["expired-key"],
    GroupError["key-expired"],
    seal(base(), rekeyed(RETIRED(i))),
    ["RFC6407-5.delete", "PD-120"],
  );
  const future = keys.all.find((k) => k.keyId === 20 + i)!;
  invalid(
    `${p}: key not yet active`,
    ["expired-key"],
    GroupError["key-not-active"],
    seal(base(), future),
    ["RFC8052-lifetime", "PD-120"],
  );
  const expired = keys.all.find((k) => k.keyId === 30 + i)!;
  invalid(
    `${p}: key lifetime ended (now = notAfter)`,
    ["expired-key"],
    GroupError["key-expired"],
    seal(base(), expired),
    ["RFC8052-lifetime", "PD-120"],
  );
  invalid(
    `${p}: current key after its lifetime`,
    ["expired-key"],
    GroupError["key-expired"],
    seal(base({ time: T0 + HOUR - 10 })),
    ["RFC8052-lifetime", "PD-120"],
    { now: T0 + HOUR },
  );
  invalid(
    `${p}: sender is not a publisher`,
    ["sender"],
    GroupError["sender-not-authorized"],
    seal(base({ sender: OTHER })),
    ["PD-113", "PD-120"],
  );
  invalid(
    `${p}: sender not in canonical bare form`,
    ["sender"],
    GroupError["sender-not-authorized"],
    seal(base({ sender: "PUB@grid.example" })),
    ["PD-120"],
  );
  invalid(
    `${p}: sender with a resource`,
    ["sender"],
    GroupError["sender-not-authorized"],
    seal(base({ sender: `${PUB}/plc` })),
    ["PD-120"],
  );
  invalid(
    `${p}: transport names another sender`,
    ["sender"],
    GroupError["sender-not-authorized"],
    msg,
    ["PD-120"],
    { from: `${OTHER}/x` },
  );
  invalid(
    `${p}: time allowed to live passed by 1 ms`,
    ["ttl"],
    GroupError["ttl-expired"],
    seal(base({ time: NOW - TTL - 1 })),
    ["PD-120"],
  );
  invalid(
    `${p}: zero time allowed to live, 1 ms later`,
    ["ttl"],
    GroupError["ttl-expired"],
    seal(base({ time: NOW - 1, ttl: 0 })),
    ["PD-120"],
  );
  invalid(
    `${p}: time ahead by more than the skew`,
    ["ttl"],
    GroupError["from-future"],
    seal(base({ time: NOW + SKEW + 1 })),
    ["PD-120"],
  );
  const seen = (n: number) => ({ lastSeen: { [`${tek.keyId}/${PUB}`]: n } });
  invalid(
    `${p}: SPDU number replayed`,
    ["replay"],
    GroupError["spdu-replayed"],
    seal(base({ spdu: 7 })),
    ["PD-119"],
    seen(7),
  );
  invalid(
    `${p}: SPDU number below the last`,
    ["replay"],
    GroupError["spdu-stale"],
    seal(base({ spdu: 6 })),
    ["PD-119"],
    seen(7),
  );
  invalid(`${p}: SPDU number 0`, ["replay"], GroupError["spdu-stale"], seal(base({ spdu: 0 })), [
    "PD-119",
  ]);
  invalid(
    `${p}: SPDU number 1 after 2^32-1`,
    ["replay"],
    GroupError["spdu-stale"],
    seal(base({ spdu: 1 })),
    ["PD-119"],
    seen(0xffffffff),
  );
  return tests;
}

/** The group of SPDU vectors for every protection. */
export function spduGroups(): { fields: Record<string, Json>; tests: TestCase[] }[] {
  const entropy = new SeededEntropy("vectors/group-keying/spdu");
  const keys = keysFor(entropy);
  const member = receiver(keys.all, entropy);
  return PROTECTIONS.map((p, i) => ({
    fields: { protection: p, now: NOW, member: toJson(member) },
    tests: testsFor(i, p, keys),
  }));
}
