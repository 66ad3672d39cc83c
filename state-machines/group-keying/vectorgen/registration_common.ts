/**
 * Shared pieces of the registration vectors: the identities, a run of the
 * key server and member machines that records every message, and the JSON
 * shapes of steps and outputs.
 *
 * @module
 */
import { keyServer } from "../key_server.ts";
import type { KeyServerOutput } from "../key_server_types.ts";
import { member } from "../member.ts";
import type { MemberOutput } from "../member_types.ts";
import { type Fixture, KS_JID, T0 } from "../testing.ts";
import { hex, type Json, type TestCase, toJson } from "./common.ts";

export const DER1 = "der1@grid.example";
export const DER2 = "der2@grid.example";
export const INTRUDER = "intruder@grid.example";
export const SUITE_ID = "x25519-ed25519";
export const DAY = 86_400_000;

export interface Step {
  input: Json;
  expect: Json;
}

export const msgIn = (data: Uint8Array, from: string, now: number): Json => ({
  type: "message",
  data: hex(data),
  from,
  now,
});

export const ksOut = (out: readonly KeyServerOutput[]): Json =>
  out.map((o): Json =>
    o.type === "send"
      ? { type: "send", to: o.to, message: o.message, data: hex(o.data) }
      : o.type === "rekey"
      ? { type: "rekey", seq: o.seq, data: hex(o.data) }
      : o.type === "member-added" || o.type === "member-removed"
      ? { type: o.type, jid: o.jid }
      : o.type === "timer"
      ? { type: "timer", at: o.at }
      : { type: o.type }
  );

export const memberOut = (out: readonly MemberOutput[]): Json =>
  out.map((o): Json =>
    o.type === "send"
      ? { type: "send", to: o.to, message: o.message, data: hex(o.data) }
      : o.type === "event"
      ? { type: "event", event: toJson(o.event) }
      : o.type === "publish"
      ? { type: "publish", streamId: o.streamId, data: hex(o.data) }
      : o.type === "timer"
      ? { type: "timer", at: o.at }
      : { type: o.type }
  );

export function ksFields(f: Fixture, seed: string): Record<string, Json> {
  const c = f.ksConfig(seed);
  return {
    keyServer: toJson({
      suite: f.suite,
      jid: c.jid,
      policy: c.policy,
      chain: c.chain,
      privateKey: f.ks.key.privateKey,
      anchors: c.anchors,
      crls: c.crls,
      seed: `registration/${seed}`,
      now: c.now,
    }),
  };
}

export interface RunOptions {
  readonly ksSeed: string;
  readonly memberSeed?: string;
  readonly now?: number;
  /** When the proof reaches the key server (default `now`). */
  readonly proofAt?: number;
}

/** A member and key server registering as far as they get; returns every message. */
export function run(f: Fixture, jid: string, o: RunOptions) {
  const now = o.now ?? T0, proofAt = o.proofAt ?? now;
  const dataOf = (out: readonly (KeyServerOutput | MemberOutput)[]) =>
    (out.find((x) => x.type === "send") as { data: Uint8Array } | undefined)?.data;
  let ks = keyServer.init(f.ksConfig(o.ksSeed));
  const m0 = member.init(f.memberConfig(jid, o.memberSeed));
  const s1 = member.step(m0, { type: "start", now });
  const request = dataOf(s1.out)!;
  const k1 = keyServer.step(ks, { type: "message", data: request, from: jid, now });
  ks = k1.state;
  const challenge = dataOf(k1.out)!;
  const s2 = member.step(s1.state, { type: "message", data: challenge, from: KS_JID, now });
  const proof = dataOf(s2.out);
  const k2 = proof
    ? keyServer.step(ks, { type: "message", data: proof, from: jid, now: proofAt })
    : undefined;
  const keys = k2 && dataOf(k2.out);
  const s3 = keys
    ? member.step(s2.state, { type: "message", data: keys, from: KS_JID, now: proofAt })
    : undefined;
  return {
    request,
    challenge,
    proof,
    keys,
    k1: k1.out,
    k2: k2?.out,
    s1: s1.out,
    s2: s2.out,
    s3: s3?.out,
  };
}

export const SPEC = ["RFC6407-3", "PD-111"];

/** A transcript test case. */
export const transcript = (
  comment: string,
  flags: string[],
  spec: string[],
  steps: Step[],
  error?: string,
): TestCase => ({
  comment,
  flags,
  spec,
  result: error ? "invalid" : "valid",
  ...(error ? { error } : {}),
  steps: steps as unknown as Json,
});

/** Runs a machine from its initial state through `inputs`; returns each step's outputs. */
export function replay<S, I, O>(
  m: { init(config: unknown): S; step(s: S, i: I): { state: S; out: readonly O[] } },
  config: unknown,
  inputs: readonly I[],
): (readonly O[])[] {
  let state = m.init(config);
  return inputs.map((input) => {
    const r = m.step(state, input);
    state = r.state;
    return r.out;
  });
}
