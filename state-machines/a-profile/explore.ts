/**
 * Bounded exhaustive exploration of the A-profile against a network
 * attacker: every interleaving of the honest protocol (deliveries in order,
 * application data both ways) with up to `maxAttacks` attacker actions —
 * drop, duplicate, replay an old message, reorder (deliver out of order),
 * modify a byte of a field, inject a message of the third party, who holds
 * its own valid certificate of the same CA — explored depth first with
 * state hashing (a state is revisited only with more attacker budget left).
 *
 * Properties checked on every transition:
 * (a) when both sides are established on the same association their keys
 *     are equal; the initiator authenticated the DER it meant to reach, the
 *     responder the JID that sent the request; when the initiator becomes
 *     established the responder holds that same association;
 * (b) no side becomes established unless the message that did it carries a
 *     chain that validates to the anchor and a signature by that chain's key
 *     over the transcript (checked independently of the machines);
 * (c) no PDU is accepted twice, and every accepted PDU is one the honest
 *     peer sent.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import { getSuite, type SuiteId } from "../../core/crypto/suite.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { ValidateChain } from "../../core/pki/types.ts";
import { localSigner } from "./driver.ts";
import {
  initiatorDigest,
  MessageTable,
  type Msg,
  type Party,
  responderDigest,
  StepMemo,
} from "./explore_world.ts";
import { initiatorConfig, JIDS, responderConfig, T0, testPki } from "./fixtures.ts";
import { initiator, type InitiatorState } from "./initiator.ts";
import { decodeMessage } from "./messages.ts";
import { responder, type ResponderState } from "./responder.ts";
import { requestTbs, responseTbs } from "./tokens.ts";
import type { AProfileOutput } from "./types.ts";
import { sameBareJid } from "./context.ts";
import {
  at,
  edit,
  flipBase64,
  HonestInitiator,
  HonestResponder,
  setText,
} from "./vectorgen/tools.ts";

export interface ExploreOptions {
  readonly suite: SuiteId;
  /** Most attacker actions along any path. */
  readonly maxAttacks: number;
  /** Data PDUs each side's application sends once established. */
  readonly initiatorData?: number;
  readonly responderData?: number;
  /** The initiator also updates its key once and then releases. */
  readonly control?: boolean;
  /** Receive window of both sides (small, so the attacker can push PDUs below it). */
  readonly receiveWindow?: number;
  /** Replaces both machines' chain validation: for checking that the exploration catches a broken one. */
  readonly validateChain?: ValidateChain;
}

export interface ExploreResult {
  readonly states: number;
  readonly transitions: number;
  readonly messages: number;
  /** States in which both sides are established with each other. */
  readonly bothEstablished: number;
  readonly violations: readonly string[];
  readonly stepMemo: { readonly hits: number; readonly misses: number };
}

interface World {
  readonly i: InitiatorState;
  readonly iDigest: number;
  readonly r: ResponderState;
  readonly rDigest: number;
  readonly net: readonly number[];
  readonly seen: readonly number[];
  readonly iSent: number;
  readonly rSent: number;
  /** Honest control actions the initiator took: key update, then release. */
  readonly iControl: number;
  readonly accepted: readonly string[];
  readonly attacks: number;
}

const NOW = T0 + 1000;
const LIVE = new Set(["established", "renew-signing", "renewing", "releasing"]);

export function explore(options: ExploreOptions): ExploreResult {
  const pki = testPki(options.suite);
  const policy = { receiveWindow: options.receiveWindow ?? 2 };
  const nI = options.initiatorData ?? 2, nR = options.responderData ?? 1;
  const table = new MessageTable();
  const iMemo = new StepMemo<InitiatorState>("I", localSigner(pki.vpp.signer), initiatorDigest);
  const rMemo = new StepMemo<ResponderState>("R", localSigner(pki.der.signer), responderDigest);
  const violations: string[] = [];
  const violate = (what: string) => {
    if (violations.length < 20) violations.push(what);
  };
  const honestPayload = new Map<string, string>();
  const anchorsPolicy = { anchors: pki.anchors, crls: pki.crls, now: NOW };
  const hash = getSuite(options.suite).hash;

  // Start: the initiator's request is on the wire.
  const swap = options.validateChain ? { validateChain: options.validateChain } : {};
  const i0 = initiator.init({ ...initiatorConfig(pki, "explore initiator", policy), ...swap });
  const started = iMemo.step(i0, iMemo.id(i0), "start", { type: "start", now: NOW });
  const request = started.out.find((o) => o.type === "send")!;
  const reqMsg = table.intern(request.element.toString(), "R", JIDS.vpp);
  const r0 = responder.init({ ...responderConfig(pki, "explore responder", policy), ...swap });

  // The third party's messages: its own request (from itself, and with a forged sender), its answer to our request.
  const thirdRequest = new HonestInitiator(pki, "third party", {}, pki.mallory).request(NOW)
    .toString();
  const thirdResponse = new HonestResponder(pki, "third party", {}, pki.mallory).respond(
    request.element,
    NOW,
  ).toString();
  // The DER's JID on a certificate of another CA: what a broken chain check would let in.
  const foreignResponse = new HonestResponder(pki, "foreign", {}, pki.foreign)
    .respond(request.element, NOW).toString();
  const injections = [
    table.intern(thirdRequest, "R", JIDS.mallory),
    table.intern(thirdRequest, "R", JIDS.vpp),
    table.intern(thirdResponse, "I", JIDS.mallory),
    table.intern(thirdResponse, "I", JIDS.der),
    table.intern(foreignResponse, "I", JIDS.der),
  ].map((m) => m.id);

  const variants = new Map<number, number[]>();
  const variantsOf = (m: Msg): number[] => {
    let v = variants.get(m.id);
    if (v) return v;
    const e = m.element;
    const flipAttr = (name: string, i: number) =>
      edit(
        e,
        (c) => at(c, "clear-token").attrs[name] = flipBase64(at(c, "clear-token").attrs[name]!, i),
      );
    const flipSig = () =>
      edit(
        e,
        (c) =>
          setText(at(c, "signature"), flipBase64(at(c, "signature").children[0] as string, -1)),
      );
    const texts = m.kind === "request"
      ? [flipAttr("nonce", 0), flipSig()]
      : m.kind === "response"
      ? [flipAttr("echo", 0), flipAttr("key", 1), flipSig()]
      : [
        edit(e, (c) => setText(c, flipBase64(c.children[0] as string, 0))),
        edit(e, (c) => c.attrs.seq = String(Number(c.attrs.seq) + 1)),
      ];
    v = texts.map((x) => table.intern(x, m.to, m.from).id);
    variants.set(m.id, v);
    return v;
  };

  // (b): the message that established a side, checked without the machines.
  const independentlyAuthentic = (m: Msg, iBefore: InitiatorState): boolean => {
    const d = decodeMessage(m.element);
    if (!d.ok || d.value.kind === "pdu") return false;
    const token = d.value.kind === "request" ? d.value.request.token : d.value.response.token;
    const v = validateChain(token.chain, anchorsPolicy);
    if (!v.ok || !sameBareJid(v.value.jid, m.from)) return false;
    const sig = getSuite(v.value.suite).sig;
    if (d.value.kind === "request") {
      return sig.verify(v.value.publicKey, requestTbs(token as never), d.value.request.signature);
    }
    if (!iBefore.pending) return false;
    return sig.verify(
      v.value.publicKey,
      responseTbs(hash, iBefore.pending.token, d.value.response.token),
      d.value.response.signature,
    );
  };

  const keyOf = (w: World) =>
    `${w.iDigest}#${w.rDigest}#${w.net.join(",")}#${
      w.seen.join(",")
    }#${w.iSent},${w.rSent},${w.iControl}#${w.accepted.join(",")}`;
  const visited = new Map<string, number>();
  let transitions = 0, bothEstablished = 0;

  /** Routes a party's outputs and checks the properties on them. */
  function absorb(
    w: World,
    party: Party,
    out: readonly AProfileOutput[],
    cause: Msg | undefined,
    iBefore: InitiatorState,
  ): World {
    const net = [...w.net];
    let seen = [...w.seen], accepted = [...w.accepted];
    for (const o of out) {
      if (o.type === "send") {
        const toI = party === "R";
        const addressee = toI ? w.r.peer?.jid : JIDS.der;
        const m = table.intern(o.element.toString(), toI ? "I" : "R", toI ? JIDS.der : JIDS.vpp);
        if (!seen.includes(m.id)) seen = [...seen, m.id].sort((a, b) => a - b);
        // A response or PDU of the responder reaches the initiator only when the initiator is its peer.
        if (!toI || sameBareJid(addressee, JIDS.vpp)) net.push(m.id);
      } else if (o.type === "established") {
        if (!cause || !independentlyAuthentic(cause, iBefore)) {
          violate(`(b) ${party} established without an authentic message`);
        }
        if (party === "I" && !sameBareJid(o.peer.jid, JIDS.der)) {
          violate(`(a) initiator authenticated ${o.peer.jid}`);
        }
        if (party === "R" && !sameBareJid(o.peer.jid, cause?.from)) {
          violate(`(a) responder authenticated ${o.peer.jid}`);
        }
        if (party === "I") {
          const rs = [w.r.session, w.r.previous].find((s) => s?.associationHex === o.association);
          if (!rs || !sameBareJid(w.r.peer?.jid, JIDS.vpp)) {
            violate("(a) initiator established, responder holds no such association");
          }
        }
      } else if (o.type === "data") {
        const k = `${party}:${o.association}:${o.seq}`;
        if (accepted.includes(k)) violate(`(c) PDU accepted twice: ${k}`);
        if (
          honestPayload.get(`${party === "I" ? "R" : "I"}:${o.association}:${o.seq}`) !==
            toHex(o.payload)
        ) {
          violate(`(c) accepted a PDU the peer never sent: ${k}`);
        }
        accepted = [...accepted, k].sort();
      }
    }
    return { ...w, net, seen, accepted };
  }

  /** Delivers message `id` to its addressee; `keep` leaves the in-flight copy (a duplicate). */
  function deliver(w: World, id: number, attack: boolean, consume?: number): World | undefined {
    const m = table.all[id];
    const net = consume === undefined ? w.net : w.net.filter((_, k) => k !== consume);
    const base = { ...w, net, attacks: w.attacks + (attack ? 1 : 0) };
    const input = { type: "receive" as const, element: m.element, from: m.from, now: NOW };
    const memo = m.to === "I" ? iMemo : rMemo;
    const before = m.to === "I" ? w.iDigest : w.rDigest;
    const r = (memo as StepMemo<InitiatorState | ResponderState>).step(
      m.to === "I" ? w.i : w.r,
      before,
      `m${m.id}`,
      input,
    );
    // A refused copy that consumed nothing leaves the world as it was, with less budget: nothing new.
    if (
      attack && consume === undefined && r.digest === before &&
      r.out.every((o) => o.type === "error")
    ) return undefined;
    if (m.to === "I") {
      return absorb(
        { ...base, i: r.state as InitiatorState, iDigest: r.digest },
        "I",
        r.out,
        m,
        w.i,
      );
    }
    return absorb({ ...base, r: r.state as ResponderState, rDigest: r.digest }, "R", r.out, m, w.i);
  }

  /** The initiator's application updates its key, later releases. */
  function control(w: World): World {
    const type = w.iControl === 0 ? "update-keys" as const : "release" as const;
    const r = iMemo.step(w.i, w.iDigest, type, { type, now: NOW });
    return absorb(
      { ...w, i: r.state, iDigest: r.digest, iControl: w.iControl + 1 },
      "I",
      r.out,
      undefined,
      w.i,
    );
  }

  function appSend(w: World, party: Party): World {
    const n = party === "I" ? w.iSent + 1 : w.rSent + 1;
    const payload = new Uint8Array([party === "I" ? 0x10 + n : 0x20 + n]);
    const input = { type: "send" as const, payload, now: NOW };
    if (party === "I") {
      const r = iMemo.step(w.i, w.iDigest, `send${n}`, input);
      const s = r.state.session!;
      honestPayload.set(`I:${s.associationHex}:${s.send.seq}`, toHex(payload));
      return absorb({ ...w, i: r.state, iDigest: r.digest, iSent: n }, "I", r.out, undefined, w.i);
    }
    const r = rMemo.step(w.r, w.rDigest, `send${n}`, input);
    const s = r.state.session!;
    honestPayload.set(`R:${s.associationHex}:${s.send.seq}`, toHex(payload));
    return absorb({ ...w, r: r.state, rDigest: r.digest, rSent: n }, "R", r.out, undefined, w.i);
  }

  /**
   * The network is the honest messages in flight, in order. Attacker actions
   * act at once, so the network never holds attacker-arranged copies: a
   * duplicate, a replay, a reordered, modified or injected message is
   * delivered when the attacker chooses, which covers holding it for later.
   */
  function successors(w: World): World[] {
    const all: (World | undefined)[] = [];
    const next = { push: (x: World | undefined) => all.push(x) };
    if (w.net.length > 0) next.push(deliver(w, w.net[0], false, 0));
    if (LIVE.has(w.i.phase) && w.i.session && w.iSent < nI) next.push(appSend(w, "I"));
    if (LIVE.has(w.r.phase) && w.r.session && w.rSent < nR) next.push(appSend(w, "R"));
    if (options.control && w.i.phase === "established" && w.iSent >= 1 && w.iControl < 2) {
      next.push(control(w));
    }
    if (w.attacks >= options.maxAttacks) return all.filter((x): x is World => x !== undefined);
    for (let k = 0; k < w.net.length; k++) {
      next.push({ ...w, net: w.net.filter((_, j) => j !== k), attacks: w.attacks + 1 }); // drop
      next.push(deliver(w, w.net[k], true)); // duplicate: deliver a copy, the original stays
      if (k > 0) next.push(deliver(w, w.net[k], true, k)); // reorder
      for (const v of variantsOf(table.all[w.net[k]])) next.push(deliver(w, v, true, k)); // modify a byte
    }
    for (const id of w.seen) if (!w.net.includes(id)) next.push(deliver(w, id, true)); // replay an old message
    for (const id of injections) next.push(deliver(w, id, true)); // inject from the third party
    return all.filter((x): x is World => x !== undefined);
  }

  const root: World = {
    i: started.state,
    iDigest: started.digest,
    r: r0,
    rDigest: rMemo.id(r0),
    net: [reqMsg.id],
    seen: [reqMsg.id],
    iSent: 0,
    rSent: 0,
    iControl: 0,
    accepted: [],
    attacks: 0,
  };
  const stack: World[] = [root];
  while (stack.length > 0) {
    const w = stack.pop()!;
    const key = keyOf(w);
    const best = visited.get(key);
    if (best !== undefined && best <= w.attacks) continue;
    const fresh = best === undefined;
    visited.set(key, w.attacks);
    // (a) both established on one association: the same keys.
    if (LIVE.has(w.i.phase) && LIVE.has(w.r.phase) && w.i.session && w.r.session) {
      const si = w.i.session, sr = w.r.session;
      if (si.associationHex === sr.associationHex) {
        if (fresh) bothEstablished++;
        if (
          si.send.epoch === sr.recv.epoch && toHex(si.send.keys.key) !== toHex(sr.recv.keys.key)
        ) {
          violate("(a) initiator-to-responder keys differ");
        }
        if (
          si.recv.epoch === sr.send.epoch && toHex(si.recv.keys.key) !== toHex(sr.send.keys.key)
        ) {
          violate("(a) responder-to-initiator keys differ");
        }
      }
    }
    for (const n of successors(w)) {
      transitions++;
      stack.push(n);
    }
  }
  return {
    states: visited.size,
    transitions,
    messages: table.all.length,
    bothEstablished,
    violations,
    stepMemo: { hits: iMemo.hits + rMemo.hits, misses: iMemo.misses + rMemo.misses },
  };
}

/** `deno task explore-a-profile [bound]`: the full bound for every suite, with the richer scenario. */
if (import.meta.main) {
  const bound = Number(Deno.args[0] ?? 8);
  let failed = false;
  for (const suite of ["x25519-ed25519", "p256", "brainpool256"] as const) {
    const t = performance.now();
    const r = explore({
      suite,
      maxAttacks: bound,
      initiatorData: 2,
      responderData: 1,
      control: true,
    });
    const s = ((performance.now() - t) / 1000).toFixed(1);
    console.log(
      `a-profile exploration ${suite}: ${bound} attacker actions, ${r.states} states, ${r.transitions} transitions, ` +
        `${r.bothEstablished} with both sides established, ${r.messages} distinct messages, ${s} s; ` +
        `violations: ${r.violations.length ? r.violations.join("; ") : "none"}`,
    );
    failed ||= r.violations.length > 0;
  }
  Deno.exit(failed ? 1 : 0);
}
