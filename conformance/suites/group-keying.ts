/**
 * Checkers for the group-keying vectors (`vectors/group-keying/*.json`,
 * schema `group-keying.schema.json`): they start a member from a snapshot
 * (protected messages, rekeys) or configure a key server or member from the
 * group's fields (registration transcripts), drive the machine through the
 * test's input(s) and compare outputs and refusal codes with the vector. The
 * unit tests run the same checkers.
 *
 * @module
 */
import { fromHex, toHex } from "../../core/bytes.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import {
  edgeKey,
  inputType,
  type Machine,
  matchTransition,
  type Phased,
  type Typed,
} from "../../core/machine.ts";
import { validateChain } from "../../core/pki/mod.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { keyServer } from "../../state-machines/group-keying/key_server.ts";
import type { KeyServerConfig } from "../../state-machines/group-keying/key_server_types.ts";
import { member } from "../../state-machines/group-keying/member.ts";
import type { MemberConfig, MemberState } from "../../state-machines/group-keying/member_types.ts";
import type { GroupPolicy } from "../../state-machines/group-keying/policy.ts";
import {
  memberFromSnapshot,
  type MemberSnapshot,
} from "../../state-machines/group-keying/snapshot.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

type Out = { type: string; code?: string; [k: string]: unknown };

/** Steps a machine once and names the edge it took. */
function stepOnce<C, S extends Phased, I extends Typed, O>(
  m: Machine<C, S, I, O>,
  state: S,
  input: I,
  edges: string[],
): { state: S; out: Out[] } {
  const r = m.step(state, input);
  const edge = matchTransition(m.transitions, state.phase, inputType(input), r.state.phase);
  edges.push(`${m.name}: ${edge ? edgeKey(edge) : "undeclared"}`);
  return { state: r.state, out: r.out as unknown as Out[] };
}

/** The verdict for a single-input test whose outcome is an error code or a success check. */
function verdict(
  test: VectorTest,
  out: Out[],
  success: () => string | undefined,
  edges: string[],
): CaseOutcome {
  const error = out.find((o) => o.type === "error");
  if (test.result === "invalid") {
    if (error && error.code === test.error) return { verdict: "pass", observed: error.code, edges };
    return {
      verdict: "fail",
      expected: test.error,
      observed: error ? { code: error.code, detail: error.detail } : out.map((o) => o.type),
      message: error ? "refused with another code" : "accepted what it must refuse",
      edges,
    };
  }
  if (error) {
    return {
      verdict: "fail",
      expected: "success",
      observed: { code: error.code, detail: error.detail },
      message: "refused unexpectedly",
      edges,
    };
  }
  const problem = success();
  return problem ? { verdict: "fail", message: problem, edges } : { verdict: "pass", edges };
}

const spduChecker: GroupChecker = {
  groupType: "group-spdu",
  check(test: VectorTest, group: VectorGroup): CaseOutcome {
    const snap = group.member as MemberSnapshot;
    const state0 = memberFromSnapshot(snap);
    const state: MemberState = test.lastSeen
      ? {
        ...state0,
        keyring: { ...state0.keyring, lastSeen: test.lastSeen as Record<string, number> },
      }
      : state0;
    const edges: string[] = [];
    const { out } = stepOnce(member, state, {
      type: "spdu",
      data: fromHex(test.data as string),
      from: test.from as string | undefined,
      now: (test.now ?? group.now) as number,
    }, edges);
    return verdict(test, out, () => {
      const d = out.find((o) => o.type === "deliver");
      if (!d) return "nothing delivered";
      if (toHex(d.payload as Uint8Array) !== test.payload) return "payload differs";
      return undefined;
    }, edges);
  },
};

const rekeyChecker: GroupChecker = {
  groupType: "gdoi-rekey",
  check(test: VectorTest, group: VectorGroup): CaseOutcome {
    const snap = group.member as MemberSnapshot;
    const edges: string[] = [];
    const r = stepOnce(member, memberFromSnapshot(snap), {
      type: "message",
      data: fromHex(test.data as string),
      from: snap.keyServerJid,
      now: test.now as number,
    }, edges);
    return verdict(test, r.out, () => {
      const expect = test.expect as { outcome: string; rootVersion?: number; keyIds?: number[] };
      const event = r.out.find((o) => o.type === "event")?.event as { type: string } | undefined;
      if (event?.type !== expect.outcome) {
        return `outcome ${event?.type} instead of ${expect.outcome}`;
      }
      if (expect.outcome === "excluded") {
        return r.state.phase === "excluded" ? undefined : "not excluded";
      }
      const keys = r.state.keys!;
      if (keys.path[keys.height]?.version !== expect.rootVersion) return "root version differs";
      const ids = r.state.keyring.keys.map((k) => k.keyId).sort((a, b) => a - b);
      return JSON.stringify(ids) === JSON.stringify(expect.keyIds)
        ? undefined
        : "traffic keys differ";
    }, edges);
  },
};

const bytesList = (hexes: unknown) => (hexes as string[]).map(fromHex);

function signer(suite: SuiteId, privateKeyHex: string) {
  const key = fromHex(privateKeyHex);
  return (m: Uint8Array) => getSuite(suite).sig.sign(key, m);
}

interface Step {
  readonly input: { type: string; data?: string; payload?: string; from?: string; now: number };
  readonly expect: { out?: Record<string, unknown>[]; error?: string };
}

/** Compares one step's outputs with the expected list (type plus every field given). */
function compare(out: Out[], expect: Step["expect"]): string | undefined {
  if (expect.error !== undefined) {
    const e = out.find((o) => o.type === "error");
    return e?.code === expect.error
      ? undefined
      : `expected ${expect.error}, got ${e ? e.code : out.map((o) => o.type).join(",")}`;
  }
  const want = expect.out ?? [];
  if (out.length !== want.length) {
    return `outputs ${
      out.map((o) => o.type === "error" ? `error ${o.code}` : o.type).join(",")
    } instead of ${want.map((o) => o.type).join(",")}`;
  }
  for (const [i, w] of want.entries()) {
    for (const [k, v] of Object.entries(w)) {
      const got = out[i][k] instanceof Uint8Array ? toHex(out[i][k] as Uint8Array) : out[i][k];
      if (JSON.stringify(got) !== JSON.stringify(v)) return `output ${i} field ${k} differs`;
    }
  }
  return undefined;
}

function runTranscript<C, S extends Phased, I extends Typed>(
  m: Machine<C, S, I, unknown>,
  config: C,
  test: VectorTest,
): CaseOutcome {
  const steps = test.steps as Step[];
  let state = m.init(config);
  const edges: string[] = [];
  for (const [i, s] of steps.entries()) {
    const input = {
      ...s.input,
      ...(s.input.data !== undefined ? { data: fromHex(s.input.data) } : {}),
      ...(s.input.payload !== undefined ? { payload: fromHex(s.input.payload) } : {}),
    } as unknown as I;
    const r = stepOnce(m as Machine<C, S, I, Out>, state, input, edges);
    state = r.state;
    const problem = compare(r.out, s.expect);
    if (problem) return { verdict: "fail", message: `step ${i + 1}: ${problem}`, edges };
  }
  const last = steps.at(-1)!.expect;
  if (test.result === "invalid" && last.error !== test.error) {
    return { verdict: "fail", message: "the vector's last step does not name its error", edges };
  }
  return { verdict: "pass", observed: last.error, edges };
}

const ksRegistrationChecker: GroupChecker = {
  groupType: "gdoi-ks-registration",
  check(test: VectorTest, group: VectorGroup): CaseOutcome {
    const k = group.keyServer as Record<string, unknown>;
    const suite = k.suite as SuiteId;
    const config: KeyServerConfig = {
      jid: k.jid as string,
      policy: k.policy as GroupPolicy,
      chain: bytesList(k.chain),
      sign: signer(suite, k.privateKey as string),
      anchors: bytesList(k.anchors),
      crls: bytesList(k.crls),
      validateChain,
      entropy: new SeededEntropy(k.seed as string),
      now: k.now as number,
    };
    return runTranscript(keyServer, config, test);
  },
};

const memberRegistrationChecker: GroupChecker = {
  groupType: "gdoi-member-registration",
  check(test: VectorTest, group: VectorGroup): CaseOutcome {
    const c = group.member as Record<string, unknown>;
    const suite = c.suite as SuiteId;
    const config: MemberConfig = {
      jid: c.jid as string,
      groupId: c.groupId as string,
      suite,
      keyServerJid: c.keyServerJid as string,
      chain: bytesList(c.chain),
      sign: signer(suite, c.privateKey as string),
      anchors: bytesList(c.anchors),
      crls: bytesList(c.crls),
      validateChain,
      entropy: new SeededEntropy(c.seed as string),
    };
    return runTranscript(member, config, test);
  },
};

export const checkers: readonly GroupChecker[] = [
  spduChecker,
  rekeyChecker,
  ksRegistrationChecker,
  memberRegistrationChecker,
];
