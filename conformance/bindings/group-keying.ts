/**
 * The reference group-keying machines at protocol level
 * ("group-keying.key-server", "group-keying.member"). A key server's config
 * is the vector's `keyServer` object; a member's is either the vector's
 * `member` object (a registration from scratch) or `{snapshot, lastSeen?}` to
 * start from a member snapshot (`state-machines/group-keying/snapshot.ts`).
 * Configs carry the signing key (`privateKey`, hex) and the entropy `seed`.
 * Inputs are the vectors' inputs with bytes in hex; outputs are the machine's
 * outputs with bytes in hex. A member's replies carry a `view`: the root
 * key's version (null before registration) and the sorted traffic key ids.
 *
 * @module
 */
import { fromHex } from "../../core/bytes.ts";
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
import { keyServer } from "../../state-machines/group-keying/key_server.ts";
import type { KeyServerConfig } from "../../state-machines/group-keying/key_server_types.ts";
import { member } from "../../state-machines/group-keying/member.ts";
import type { MemberConfig, MemberState } from "../../state-machines/group-keying/member_types.ts";
import type { GroupPolicy } from "../../state-machines/group-keying/policy.ts";
import {
  memberFromSnapshot,
  type MemberSnapshot,
} from "../../state-machines/group-keying/snapshot.ts";
import type { MachineBinding } from "../iut/bindings.ts";
import type { JsonObject, StepReply } from "../iut/protocol.ts";
import { jsonSafe } from "../report.ts";
import { asIs, hexList } from "./args.ts";

function signer(suite: SuiteId, privateKeyHex: string) {
  const key = fromHex(privateKeyHex);
  return (m: Uint8Array) => getSuite(suite).sig.sign(key, m);
}

/** Vector input → machine input: `data` and `payload` are hex. */
const inputOf = (i: JsonObject) => ({
  ...i,
  ...(typeof i.data === "string" ? { data: fromHex(i.data) } : {}),
  ...(typeof i.payload === "string" ? { payload: fromHex(i.payload) } : {}),
});

function memberView(s: MemberState): JsonObject {
  const keys = s.keys;
  return {
    rootVersion: keys ? keys.path[keys.height]?.version ?? null : null,
    keyIds: s.keyring.keys.map((k) => k.keyId).sort((a, b) => a - b),
  };
}

/** A session stepping `m` from `state`, naming each edge taken. */
function session<C, S extends Phased, I extends Typed>(
  m: Machine<C, S, I, unknown>,
  start: S,
  view?: (s: S) => JsonObject,
): { session: { step(input: JsonObject): StepReply }; reply: StepReply } {
  let state = start;
  const reply = (out: readonly unknown[], edges: string[]): StepReply => ({
    out: out.map((o) => jsonSafe(o) as JsonObject),
    phase: state.phase,
    edges,
    ...(view ? { view: view(state) } : {}),
  });
  return {
    reply: reply([], []),
    session: {
      step(input) {
        const machineInput = inputOf(input) as unknown as I;
        const r = m.step(state, machineInput);
        const edge = matchTransition(
          m.transitions,
          state.phase,
          inputType(machineInput),
          r.state.phase,
        );
        state = r.state;
        return reply(r.out, [`${m.name}: ${edge ? edgeKey(edge) : "undeclared"}`]);
      },
    },
  };
}

const keyServerMachine: MachineBinding = (k) => {
  const suite = k.suite as SuiteId;
  const config: KeyServerConfig = {
    jid: k.jid as string,
    policy: asIs<GroupPolicy>(k.policy as JsonObject),
    chain: hexList(k, "chain"),
    sign: signer(suite, k.privateKey as string),
    anchors: hexList(k, "anchors"),
    crls: hexList(k, "crls"),
    validateChain,
    // spec: PD-169
    entropy: new SeededEntropy(k.seed as string),
    now: k.now as number,
  };
  return session(keyServer, keyServer.init(config));
};

const memberMachine: MachineBinding = (c) => {
  if (c.snapshot !== undefined) {
    const state0 = memberFromSnapshot(asIs<MemberSnapshot>(c.snapshot as JsonObject));
    const state: MemberState = c.lastSeen
      ? {
        ...state0,
        keyring: { ...state0.keyring, lastSeen: c.lastSeen as Record<string, number> },
      }
      : state0;
    return session(member, state, memberView);
  }
  const suite = c.suite as SuiteId;
  const config: MemberConfig = {
    jid: c.jid as string,
    groupId: c.groupId as string,
    suite,
    keyServerJid: c.keyServerJid as string,
    chain: hexList(c, "chain"),
    sign: signer(suite, c.privateKey as string),
    anchors: hexList(c, "anchors"),
    crls: hexList(c, "crls"),
    validateChain,
    entropy: new SeededEntropy(c.seed as string),
  };
  return session(member, member.init(config), memberView);
};

export const groupKeyingBindings = {
  functions: {},
  machines: { "group-keying.key-server": keyServerMachine, "group-keying.member": memberMachine },
};
