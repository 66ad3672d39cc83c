/**
 * Vectors for rekeys (`vectors/group-keying/rekey.json`): a member in a fixed
 * state (snapshot) and one rekey each. The rekeys come from a simulated group
 * (registrations, a single eviction, a rotation, a batch eviction that
 * shrinks the tree); negative cases are edits of them — some re-signed with
 * the key server's key so that a later check is reached — each with the code
 * the member's check order (member_rekey.ts) gives, decided here by what the
 * edit touches.
 *
 * @module
 */
import { concat } from "../../../core/bytes.ts";
import { getSuite, type SuiteId } from "../../../core/crypto/suite.ts";
import { SeededEntropy } from "../../../core/entropy.ts";
import { GdoiError } from "../errors.ts";
import { unwrapTeks, wrapTeks } from "../keywrap.ts";
import {
  decodeMessage,
  type Rekey,
  rekeyBody,
  SIGNATURE_LABEL,
  withSignature,
} from "../messages.ts";
import type { MemberState } from "../member_types.ts";
import { memberSnapshot } from "../snapshot.ts";
import { groupFixture, GroupSim, T0 } from "../testing.ts";
import { flip, hex, type Json, setByte, type TestCase, toJson } from "./common.ts";

const JIDS = [
  "pub@grid.example",
  "der1@grid.example",
  "der2@grid.example",
  "der3@grid.example",
  "der4@grid.example",
  "der5@grid.example",
];
const SPEC = ["RFC6407-4", "RFC6407-4.sig"];

interface Group {
  fields: Record<string, Json>;
  tests: TestCase[];
}

const rekeyOf = (data: Uint8Array) => decodeMessage(data).message as Rekey;

function outcome(state: MemberState, expectExcluded = false): Json {
  return expectExcluded ? { outcome: "excluded" } : {
    outcome: "rekeyed",
    rootVersion: state.keys!.path[state.keys!.height]!.version,
    keyIds: state.keyring.keys.map((k) => k.keyId).sort((a, b) => a - b),
  };
}

/** Groups for one suite. */
function suiteGroups(suite: SuiteId): Group[] {
  const fixture = groupFixture({ suite, jids: JIDS, seed: `rekey-${suite}` });
  const sim = new GroupSim(fixture, `rekey-${suite}`);
  const sig = getSuite(suite).sig;
  const ksKey = fixture.ks.key.privateKey;
  const resign = (body: Omit<Rekey, "kind" | "signature">, key = ksKey) => {
    const b = rekeyBody(body);
    return withSignature(b, sig.sign(key, concat(SIGNATURE_LABEL.rekey, b)));
  };
  for (const j of JIDS) sim.register(j);
  const s6 = new Map(JIDS.map((j) => [j, sim.members.get(j)!]));
  sim.now = T0 + 1000;
  sim.evict(["der3@grid.example"]);
  const s7 = new Map(JIDS.map((j) => [j, sim.members.get(j)!]));
  sim.now = T0 + 2000;
  sim.rotate();
  const s8 = new Map(JIDS.map((j) => [j, sim.members.get(j)!]));
  sim.now = T0 + 3000;
  sim.evict(["der4@grid.example", "der5@grid.example"]);
  const s9 = new Map(JIDS.map((j) => [j, sim.members.get(j)!]));
  const [r6, r7, r8, r9] = [6, 7, 8, 9].map((n) => sim.traffic.rekeys[n - 1]);
  const groups: Group[] = [];
  const group = (jid: string, from: Map<string, MemberState>, tests: TestCase[]) =>
    groups.push({
      fields: { suite, member: toJson(memberSnapshot(from.get(jid)!)) },
      tests,
    });
  const valid = (
    comment: string,
    data: Uint8Array,
    now: number,
    expect: Json,
    flags: string[] = [],
    spec = SPEC,
  ): TestCase => ({
    comment: `${suite}: ${comment}`,
    flags: ["valid", ...flags],
    spec,
    result: "valid",
    data: hex(data),
    now,
    expect,
  });
  const invalid = (
    comment: string,
    flags: string[],
    error: string,
    data: Uint8Array,
    now: number,
    spec = SPEC,
  ): TestCase => ({
    comment: `${suite}: ${comment}`,
    flags,
    spec,
    result: "invalid",
    error,
    data: hex(data),
    now,
  });

  // Every member before the single eviction.
  for (const j of JIDS) {
    const evicted = j === "der3@grid.example";
    group(j, s6, [
      valid(
        evicted ? "the evicted member is excluded" : "single eviction rekey",
        r7,
        T0 + 1000,
        outcome(s7.get(j)!, evicted),
        [evicted ? "evicted" : "eviction"],
        ["RFC6407-4.fwd", "RFC2627-leave"],
      ),
      invalid(
        "replay of the last join rekey",
        ["replay"],
        GdoiError["rekey-replayed"],
        r6,
        T0 + 1000,
        ["RFC6407-4.seq"],
      ),
    ]);
  }
  // der1 before the eviction: edits of the eviction rekey.
  const m7 = rekeyOf(r7);
  const { signature: _s, kind: _k, ...body7 } = m7;
  const sigStart = r7.length - m7.signature.length;
  const edits: TestCase[] = [];
  const now = T0 + 1000;
  for (let b = 0; b < m7.signature.length; b += Math.max(1, Math.floor(m7.signature.length / 16))) {
    edits.push(
      invalid(
        `signature byte ${b} changed`,
        ["forged", "signature"],
        GdoiError["bad-signature"],
        flip(r7, sigStart + b, b % 8),
        now,
      ),
    );
  }
  const groupAt = 7, seqAt = 7 + m7.groupId.length, issuedAt = seqAt + 4, heightAt = issuedAt + 8;
  edits.push(invalid("bad magic", ["malformed"], GdoiError.malformed, flip(r7, 1, 0), now));
  edits.push(invalid("version 2", ["malformed"], GdoiError.malformed, setByte(r7, 4, 2), now));
  edits.push(
    invalid("unknown message kind", ["malformed"], GdoiError.malformed, setByte(r7, 5, 9), now),
  );
  edits.push(
    invalid("group id changed", ["group"], GdoiError["wrong-group"], flip(r7, groupAt, 0), now),
  );
  for (let b = 0; b < 4; b++) {
    for (const bit of [0, 7]) {
      const edited = flip(r7, seqAt + b, bit);
      const seq = rekeyOf(edited).seq;
      const code = seq === 6 ? "rekey-replayed" : seq < 6 ? "rekey-stale" : "bad-signature";
      edits.push(
        invalid(
          `sequence number byte ${b} bit ${bit} changed (seq ${seq})`,
          ["sequence"],
          GdoiError[code],
          edited,
          now,
          ["RFC6407-4.seq", "RFC6407-4.sig"],
        ),
      );
    }
  }
  for (let b = 1; b < 8; b += 2) {
    edits.push(
      invalid(
        `issue time byte ${b} changed`,
        ["forged"],
        GdoiError["bad-signature"],
        flip(r7, issuedAt + b, 0),
        now,
      ),
    );
  }
  edits.push(
    invalid("height changed", ["forged"], GdoiError["bad-signature"], flip(r7, heightAt, 0), now),
  );
  edits.push(
    invalid(
      "move count beyond the message",
      ["malformed"],
      GdoiError.malformed,
      flip(r7, heightAt + 1, 7),
      now,
    ),
  );
  edits.push(
    invalid(
      "wrap count beyond the message",
      ["malformed"],
      GdoiError.malformed,
      flip(r7, heightAt + 5, 7),
      now,
    ),
  );
  for (const w of [0, 1, 2]) {
    const at = heightAt + 9 + w * 51 + 19 + 3;
    edits.push(
      invalid(
        `wrapped key ${w} changed`,
        ["forged"],
        GdoiError["bad-signature"],
        flip(r7, at, 1),
        now,
      ),
    );
  }
  for (const cut of [0, 6, heightAt, heightAt + 20, sigStart - 1, r7.length - 1]) {
    edits.push(
      invalid(`cut at byte ${cut}`, ["truncated"], GdoiError.malformed, r7.slice(0, cut), now, [
        "RFC6407-4",
      ]),
    );
  }
  edits.push(
    invalid(
      "a byte after the signature",
      ["trailing"],
      GdoiError.malformed,
      concat(r7, new Uint8Array(1)),
      now,
    ),
  );
  const der1Key = fixture.certs.get("der1@grid.example")!.cert.key.privateKey;
  edits.push(
    invalid(
      "signed by a member instead of the key server",
      ["forged", "signature"],
      GdoiError["bad-signature"],
      resign(body7, der1Key),
      now,
    ),
  );
  edits.push(
    invalid(
      "re-signed with the current sequence number",
      ["replay"],
      GdoiError["rekey-replayed"],
      resign({ ...body7, seq: 6 }),
      now,
      ["RFC6407-4.seq"],
    ),
  );
  edits.push(
    invalid(
      "re-signed with an older sequence number",
      ["rollback"],
      GdoiError["rekey-stale"],
      resign({ ...body7, seq: 2 }),
      now,
      ["RFC6407-4.seq"],
    ),
  );
  edits.push(
    invalid(
      "re-signed for another group",
      ["group"],
      GdoiError["wrong-group"],
      resign({ ...body7, groupId: "other-group" }),
      now,
    ),
  );
  // A wrap der1 can open, corrupted and re-signed: the signature passes, the unwrap does not.
  const der1 = s6.get("der1@grid.example")!.keys!;
  const mine = m7.wraps.findIndex((w) => {
    const k = der1.path[w.by.level];
    return k !== undefined && k.pos === w.by.pos && k.version === w.byVersion &&
      w.target.pos === der1.leaf >>> w.target.level;
  });
  const badWraps = m7.wraps.map((w, i) => i === mine ? { ...w, sealed: flip(w.sealed, 0, 0) } : w);
  edits.push(
    invalid(
      "re-signed with a corrupted wrap the member opens",
      ["unwrap"],
      GdoiError["unwrap-failed"],
      resign({ ...body7, wraps: badWraps }),
      now,
      ["RFC2627-leave", "RFC6407-5.lkh"],
    ),
  );
  const badBundle = { ...m7.tekBundle!, sealed: flip(m7.tekBundle!.sealed, 3, 0) };
  edits.push(
    invalid(
      "re-signed with a corrupted traffic key",
      ["unwrap"],
      GdoiError["unwrap-failed"],
      resign({ ...body7, tekBundle: badBundle }),
      now,
      ["RFC6407-5.tek"],
    ),
  );
  const relabelled = m7.teks.map((t, i) => i === 0 ? { ...t, keyId: t.keyId + 100 } : t);
  edits.push(
    invalid(
      "re-signed with a key ID the wrap was not made for",
      ["unwrap"],
      GdoiError["unwrap-failed"],
      resign({ ...body7, teks: relabelled }),
      now,
      ["RFC8052-keyid"],
    ),
  );
  // A traffic key for a stream the group does not have, correctly sealed under the new root.
  const root7 = s7.get("der1@grid.example")!.keys!;
  const rootKey = root7.path[root7.height]!;
  const cs = getSuite(suite);
  const genuine = unwrapTeks(cs, m7.groupId, m7.teks, m7.tekBundle!, rootKey.key);
  const withStray = [...genuine, {
    keyId: 999,
    streamId: "stream-9",
    protection: "aes-128-gcm" as const,
    notBefore: now,
    notAfter: now + 60_000,
    key: new SeededEntropy("stray").bytes(16),
  }];
  const strayBundle = wrapTeks(cs, m7.groupId, withStray, rootKey.version, rootKey.key);
  edits.push(
    invalid(
      "re-signed with a traffic key for a stream outside the policy",
      ["policy"],
      GdoiError["inconsistent-keys"],
      resign({
        ...body7,
        teks: withStray.map(({ key: _k, ...a }) => a),
        tekBundle: strayBundle,
      }),
      now,
      ["RFC8052-stream"],
    ),
  );
  group("der1@grid.example", s6, edits);

  // After the eviction: the rotation, replays, and skipping a rekey.
  group("der1@grid.example", s7, [
    valid("rotation rekey", r8, T0 + 2000, outcome(s8.get("der1@grid.example")!), ["rotation"], [
      "RFC8052-lifetime",
      "RFC6407-4",
    ]),
    invalid("eviction rekey replayed", ["replay"], GdoiError["rekey-replayed"], r7, T0 + 2000, [
      "RFC6407-4.seq",
    ]),
    invalid(
      "join rekey replayed after the eviction",
      ["rollback"],
      GdoiError["rekey-stale"],
      r6,
      T0 + 2000,
      ["RFC6407-4.seq"],
    ),
  ]);
  group("der2@grid.example", s6, [
    valid(
      "a member that missed a rekey cannot follow and is excluded",
      r8,
      T0 + 2000,
      outcome(s8.get("der2@grid.example")!, true),
      ["missed"],
      ["RFC6407-4"],
    ),
  ]);
  // The batch eviction shrinks the tree and moves members.
  for (
    const j of ["pub@grid.example", "der1@grid.example", "der2@grid.example", "der4@grid.example"]
  ) {
    const evicted = j === "der4@grid.example";
    group(j, s8, [
      valid(
        evicted ? "batch eviction excludes der4" : "batch eviction with rebalancing",
        r9,
        T0 + 3000,
        outcome(s9.get(j)!, evicted),
        ["batch", "rebalance"],
        ["RFC2627-leave", "RFC6407-5.lkh", "PD-114"],
      ),
    ]);
  }
  return groups;
}

export function rekeyGroups(): Group[] {
  return [...suiteGroups("x25519-ed25519"), ...suiteGroups("p256")];
}
