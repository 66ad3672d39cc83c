/**
 * Test and simulation helpers for group keying: a certificate hierarchy
 * (core/pki, deterministic from a seed) with a key server and members, the
 * machine configurations that go with it, and {@link GroupSim}, which routes
 * registration messages and rekeys between one key server and its members
 * the way a MUC room would. Used by the unit and property tests, the vector
 * generator and the benchmarks; not part of the public API.
 *
 * @module
 */
import { SeededEntropy } from "../../core/entropy.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import { errorOutput } from "../../core/machine.ts";
import { createHierarchy, type Hierarchy, validateChain } from "../../core/pki/mod.ts";
import type { IssuedCertificate } from "../../core/pki/certificate.ts";
import { keyServer } from "./key_server.ts";
import type { KeyServerConfig, KeyServerOutput, KeyServerState } from "./key_server_types.ts";
import { member } from "./member.ts";
import type { MemberConfig, MemberOutput, MemberState } from "./member_types.ts";
import type { GroupPolicy, ProtectionId } from "./policy.ts";

export const KS_JID = "kdc@grid.example";
export const GROUP_ID = "vpp-dispatch";
/** Fixed validation time of fixtures: 2024-01-01T00:00:00Z. */
export const T0 = 1_704_067_200_000;

export interface FixtureOptions {
  readonly suite?: SuiteId;
  /** JIDs with certificates; the policy admits `allowed` (default: all of them). */
  readonly jids: readonly string[];
  readonly allowed?: readonly string[];
  /** Publishers of every stream (default: the first JID). */
  readonly publishers?: readonly string[];
  readonly protections?: readonly ProtectionId[];
  readonly seed?: number | string;
  readonly kekLength?: 16 | 32;
  readonly tekLifetimeMs?: number;
}

export interface Fixture {
  readonly suite: SuiteId;
  readonly hierarchy: Hierarchy;
  readonly policy: GroupPolicy;
  readonly ks: IssuedCertificate;
  readonly certs: ReadonlyMap<string, { cert: IssuedCertificate; chain: readonly Uint8Array[] }>;
  readonly ksConfig: (seed?: string) => KeyServerConfig;
  readonly memberConfig: (jid: string, seed?: string) => MemberConfig;
}

const cache = new Map<string, Fixture>();

/** A hierarchy, a policy and configurations; cached per options (certificates are slow-ish). */
export function groupFixture(options: FixtureOptions): Fixture {
  const key = JSON.stringify(options);
  const hit = cache.get(key);
  if (hit) return hit;
  const suite = options.suite ?? "x25519-ed25519";
  const seed = options.seed ?? 1;
  const hierarchy = createHierarchy({
    suite,
    now: T0,
    peers: [
      { commonName: "key server", jid: KS_JID },
      ...options.jids.map((jid) => ({ commonName: jid, jid })),
    ],
  }, new SeededEntropy(`pki/${seed}`));
  const protections = options.protections ?? ["aes-128-gcm", "hmac-sha256-128"];
  const publishers = options.publishers ?? options.jids.slice(0, 1);
  const policy: GroupPolicy = {
    groupId: GROUP_ID,
    suite,
    kekLength: options.kekLength ?? 16,
    streams: protections.map((protection, i) => ({
      streamId: `stream-${i + 1}`,
      protection,
      publishers,
    })),
    members: options.allowed ?? options.jids,
    tekLifetimeMs: options.tekLifetimeMs ?? 3_600_000,
    tekLeadMs: 60_000,
  };
  const sig = getSuite(suite).sig;
  const certs = new Map(options.jids.map((jid, i) => [jid, {
    cert: hierarchy.peers[i + 1],
    chain: hierarchy.chains[i + 1],
  }]));
  const common = { anchors: hierarchy.policy.anchors, crls: hierarchy.crls, validateChain };
  const fixture: Fixture = {
    suite,
    hierarchy,
    policy,
    ks: hierarchy.peers[0],
    certs,
    ksConfig: (s = "ks") => ({
      ...common,
      jid: KS_JID,
      policy,
      chain: hierarchy.chains[0],
      sign: (m) => sig.sign(hierarchy.peers[0].key.privateKey, m),
      entropy: new SeededEntropy(`${seed}/${s}`),
      now: T0,
    }),
    memberConfig: (jid, s = jid) => {
      const c = certs.get(jid);
      if (!c) throw new Error(`no certificate for ${jid}`);
      return {
        ...common,
        jid,
        groupId: GROUP_ID,
        suite,
        keyServerJid: KS_JID,
        chain: c.chain,
        sign: (m) => sig.sign(c.cert.key.privateKey, m),
        entropy: new SeededEntropy(`${seed}/${s}`),
      };
    },
  };
  cache.set(key, fixture);
  return fixture;
}

/** Everything that crossed the simulated network, for tests that search it. */
export interface Traffic {
  readonly registration: Uint8Array[];
  readonly rekeys: Uint8Array[];
  readonly spdus: Uint8Array[];
}

/**
 * One key server and its members, wired together: registration messages go
 * point to point, rekeys and protected messages go to every member the
 * simulation knows (including evicted ones, which must refuse them).
 */
export class GroupSim {
  ks: KeyServerState;
  readonly members = new Map<string, MemberState>();
  readonly outputs = new Map<string, MemberOutput[]>();
  readonly ksOutputs: KeyServerOutput[] = [];
  readonly traffic: Traffic = { registration: [], rekeys: [], spdus: [] };
  now = T0;

  /** `ks`: settings over the fixture's key server configuration (e.g. a join batch window). */
  constructor(readonly fixture: Fixture, seed = "ks", ks: Partial<KeyServerConfig> = {}) {
    this.ks = keyServer.init({ ...fixture.ksConfig(seed), ...ks });
  }

  /**
   * Steps the key server. Its messages to single members are delivered too
   * (`route`), except during {@link register}, which routes its own.
   */
  #ks(input: Parameters<typeof keyServer.step>[1], route = true): KeyServerOutput[] {
    const r = keyServer.step(this.ks, input);
    this.ks = r.state;
    this.ksOutputs.push(...r.out);
    for (const o of r.out) {
      if (o.type === "send") {
        this.traffic.registration.push(o.data);
        if (route) {
          this.#member(o.to, { type: "message", data: o.data, from: KS_JID, now: this.now });
        }
      }
      if (o.type === "rekey") {
        this.traffic.rekeys.push(o.data);
        for (const jid of this.members.keys()) {
          this.#member(jid, { type: "message", data: o.data, from: KS_JID, now: this.now });
        }
      }
    }
    return [...r.out];
  }

  #member(jid: string, input: Parameters<typeof member.step>[1]): MemberOutput[] {
    const state = this.members.get(jid) ?? member.init(this.fixture.memberConfig(jid));
    const r = member.step(state, input);
    this.members.set(jid, r.state);
    const log = this.outputs.get(jid) ?? [];
    log.push(...r.out);
    this.outputs.set(jid, log);
    return [...r.out];
  }

  /**
   * Runs a whole registration; returns the member's outputs of the last step.
   * With a join batch window the member is left admitted but waiting (phase
   * `proving`) until a tick, eviction or rotation issues its rekey.
   */
  register(jid: string): MemberOutput[] {
    let pending = this.#member(jid, { type: "start", now: this.now });
    for (let round = 0; round < 4; round++) {
      const sends = pending.filter((o) => o.type === "send");
      if (sends.length === 0) return pending;
      pending = [];
      for (const s of sends) {
        this.traffic.registration.push(s.data);
        const answers = this.#ks(
          { type: "message", data: s.data, from: jid, now: this.now },
          false,
        );
        for (const o of answers) {
          if (o.type === "send" && o.to === jid) {
            pending.push(
              ...this.#member(jid, { type: "message", data: o.data, from: KS_JID, now: this.now }),
            );
          }
        }
      }
    }
    return [errorOutput("core/internal", "registration did not settle")] as MemberOutput[];
  }

  evict(jids: readonly string[]): KeyServerOutput[] {
    return this.#ks({ type: "evict", jids, now: this.now });
  }

  rotate(): KeyServerOutput[] {
    return this.#ks({ type: "rotate", now: this.now });
  }

  tick(): KeyServerOutput[] {
    for (const jid of this.members.keys()) this.#member(jid, { type: "tick", now: this.now });
    return this.#ks({ type: "tick", now: this.now });
  }

  /** Has `jid` protect a payload; returns the protected bytes or undefined when refused. */
  protect(jid: string, streamId: string, payload: Uint8Array): Uint8Array | undefined {
    const out = this.#member(jid, { type: "protect", streamId, payload, now: this.now });
    const p = out.find((o) => o.type === "publish");
    if (p?.type !== "publish") return undefined;
    this.traffic.spdus.push(p.data);
    return p.data;
  }

  /** Hands a protected message to one member. */
  receive(jid: string, data: Uint8Array, from?: string): MemberOutput[] {
    return this.#member(jid, { type: "spdu", data, from, now: this.now });
  }

  /** Hands a key-management message to one member (replays, forgeries). */
  deliver(jid: string, data: Uint8Array): MemberOutput[] {
    return this.#member(jid, { type: "message", data, from: KS_JID, now: this.now });
  }

  phase(jid: string): string | undefined {
    return this.members.get(jid)?.phase;
  }
}
