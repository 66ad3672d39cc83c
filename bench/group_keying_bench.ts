/**
 * Group keying benchmarks (`deno bench`): each group has its reference
 * measured in the same run as the baseline, so the report prints ratios.
 * - eviction at N = 10^3 and 10^4: the key server's whole `evict` step (LKH
 *   update, new traffic keys, wraps, encoding, signature) against the flat
 *   per-member rekey (the new group key under every member's own key);
 * - a member applying a single-eviction rekey, against the Ed25519
 *   signature check it contains;
 * - protecting and checking a 256-byte group message per protection, against
 *   one bare AES-128-GCM seal of the same payload.
 * The 10^5 and 10^6 runs take minutes and live in bench/lkh_scale.ts.
 *
 * Run: `deno bench -A bench/group_keying_bench.ts`
 *
 * @module
 */
import { concat } from "../core/bytes.ts";
import { keyServer } from "../state-machines/group-keying/key_server.ts";
import type { KeyServerState } from "../state-machines/group-keying/key_server_types.ts";
import {
  addKeys,
  EMPTY_KEYRING,
  receiveSpdu,
  sendSpdu,
} from "../state-machines/group-keying/keyring.ts";
import type { TrafficKey } from "../state-machines/group-keying/keywrap.ts";
import { member } from "../state-machines/group-keying/member.ts";
import { SIGNATURE_LABEL } from "../state-machines/group-keying/messages.ts";
import { type GroupInfo, PROTECTIONS, TEK_LENGTH } from "../state-machines/group-keying/policy.ts";
import { bulkKeyServer, fixture, flatRekey, jidOf, memberAt } from "./group_keying_setup.ts";

for (const n of [1_000, 10_000]) {
  const group = `eviction N=${n}`;
  let ks: KeyServerState = bulkKeyServer(n, `bench-${n}`);
  let i = 0;
  Deno.bench({
    name: `${group}: flat per-member rekey`,
    group,
    baseline: true,
    fn: () => void flatRekey(ks, new Set([i++ % n])),
  });
  Deno.bench({
    name: `${group}: LKH rekey (key server step)`,
    group,
    fn: (b) => {
      // Evict one member, then (untimed) put a member back so N stays constant.
      const jid = ks.registry.jidAt(i++ % n) ?? ks.registry.members()[0];
      b.start();
      const r = keyServer.step(ks, { type: "evict", jids: [jid], now: ks.now + 1 });
      b.end();
      ks = r.state;
      const u = ks.tree.update({
        evict: [],
        joins: 1,
        suite: ks.suite,
        groupId: ks.config.policy.groupId,
        entropy: ks.config.entropy,
      });
      ks.registry.add(jid, u.joined[0]);
    },
  });
}

{
  const group = "member applies a single-eviction rekey, N=10^4";
  const ks = bulkKeyServer(10_000, "bench-member");
  const watcher = memberAt(ks, 17);
  const r = keyServer.step(ks, { type: "evict", jids: [jidOf(4242)], now: ks.now + 1 });
  const rekey = r.out.find((o) => o.type === "rekey")!;
  const data = (rekey as { data: Uint8Array }).data;
  const signature = data.subarray(data.length - 64);
  const signed = concat(SIGNATURE_LABEL.rekey, data.subarray(0, data.length - 66));
  Deno.bench({
    name: `${group}: Ed25519 verify alone`,
    group,
    baseline: true,
    fn: () => void ks.suite.sig.verify(fixture.ks.key.publicKey, signed, signature),
  });
  Deno.bench({
    name: `${group}: member step`,
    group,
    fn: () => void member.step(watcher, { type: "message", data, now: ks.now }),
  });
}

{
  const ks = bulkKeyServer(2, "bench-spdu");
  const PUB = "pub@grid.example";
  const entropy = ks.config.entropy;
  const payload = new Uint8Array(256).fill(0x42);
  const T = ks.now;
  const keys: TrafficKey[] = PROTECTIONS.map((protection, i) => ({
    keyId: i + 1,
    streamId: `s${i}`,
    protection,
    notBefore: T,
    notAfter: T + 3_600_000,
    key: entropy.bytes(TEK_LENGTH[protection]),
  }));
  const info: GroupInfo = {
    groupId: "g",
    suite: ks.suite.id,
    kekLength: 16,
    streams: keys.map((k) => ({
      streamId: k.streamId,
      protection: k.protection,
      publishers: [PUB],
    })),
  };
  const ring = addKeys(EMPTY_KEYRING, keys);
  const aesKey = entropy.bytes(16), nonce = entropy.bytes(12);
  const group = "group message, 256 B: protect then receive";
  Deno.bench({
    name: `${group}: one bare AES-128-GCM seal`,
    group,
    baseline: true,
    fn: () => void ks.suite.aead.seal(aesKey, nonce, payload),
  });
  for (const k of keys) {
    let sender = ring;
    Deno.bench({
      name: `${group}: ${k.protection}`,
      group,
      fn: () => {
        const s = sendSpdu(ks.suite, info, sender, PUB, k.streamId, payload, T + 10, 1000);
        sender = s.keyring;
        receiveSpdu(ks.suite, info, ring, s.data, T + 10, { maxSkewMs: 1000 });
      },
    });
  }
}
