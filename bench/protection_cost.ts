/**
 * End-to-end protection: session vs per-message (issue 9 item 4, PAPER-OPT7).
 *
 * The paper (§III.B.1) expects RFC 3923-style per-message asymmetric
 * protection to cost more than a session that signs once and then protects
 * symmetrically. This measures it, in one run, for each suite:
 *
 * - per command (a 300-byte request from the control centre and a 150-byte
 *   response from the DER): CPU µs at the control centre and at the DER,
 *   bytes of protected elements on the wire, messages;
 * - the A-profile: the handshake (peer chains seen before), a command in an
 *   established session, and both amortised over sessions of K commands;
 * - per-message: signed only and signed + encrypted, steady state (the
 *   signer's certificate named by reference) and first contact (chain carried);
 * - a fleet of N DERs (default 1,000), one command to each and its response:
 *   fresh A-profile sessions against per-message first contact, every DER
 *   with its own certificate (the control centre validates N distinct
 *   chains; before each DER every certificate memo is emptied and only the
 *   trust anchors and CRLs parsed again, so each side meets the other's
 *   certificate for the first time, as a long-running control centre and a
 *   device do). The per-message fleet is also run without the keyUsage check
 *   of the recipient certificate: derlink parses the certificate a second
 *   time for that bit (core/pki keeps its parsed certificates private).
 *
 * The ratio per-message / A-profile is printed from the same run. Machines
 * exchange elements in memory (no XML parsing); bytes are the serialised
 * protected elements (stanza envelopes, equal for both, are not counted).
 *
 * Run: deno run -A bench/protection_cost.ts [N]     (deno bench: a small comparison)
 *
 * @module
 */
import process from "node:process";
import { SeededEntropy } from "../core/entropy.ts";
import type { SuiteId } from "../core/crypto/suite.ts";
import { createRootCa, issueEndEntity, KeyUsageFlags } from "../core/pki/certificate.ts";
import { createCrl } from "../core/pki/crl.ts";
import { clearPkiMemo, validateChain } from "../core/pki/validate.ts";
import type { CertificateDer } from "../core/pki/types.ts";
import type { Machine, Phased } from "../core/machine.ts";
import { localSigner, type Signer } from "../state-machines/a-profile/driver.ts";
import { initiator } from "../state-machines/a-profile/initiator.ts";
import { responder } from "../state-machines/a-profile/responder.ts";
import type { AProfileInput, LocalSigner } from "../state-machines/a-profile/types.ts";
import type { XmlElement } from "../state-machines/a-profile/xml.ts";
import { driveSigned } from "../state-machines/per-message/driver.ts";
import { perMessage } from "../state-machines/per-message/machine.ts";
import { clearPeerMemo } from "../state-machines/per-message/peer.ts";
import { localAgreement } from "../state-machines/per-message/seal.ts";
import type { PerMessagePolicy } from "../state-machines/per-message/types.ts";

const SUITES: readonly SuiteId[] = ["x25519-ed25519", "p256", "brainpool256"];
const T0 = Date.UTC(2025, 0, 15, 12);
const DAY = 86_400_000;
const CC_JID = "vpp@grid.example";
const REQUEST = new TextEncoder().encode("r".repeat(300));
const RESPONSE = new TextEncoder().encode("a".repeat(150));

interface Party {
  readonly jid: string;
  readonly chain: readonly CertificateDer[];
  readonly key: LocalSigner;
  readonly sign: Signer;
}

interface Grid {
  readonly suite: SuiteId;
  readonly anchors: readonly CertificateDer[];
  readonly crls: readonly Uint8Array[];
  readonly cc: Party;
  readonly ders: readonly Party[];
  /** A party whose validation warms the trust anchors and CRLs, never used in an exchange. */
  readonly warmup: Party;
}

/** One CA, the control centre and `n` DERs, keys that sign and agree (PD-228). */
function grid(suite: SuiteId, n: number): Grid {
  const e = new SeededEntropy(`protection cost ${suite}`);
  const ca = createRootCa(suite, {
    subject: { commonName: "grid operator CA" },
    notBefore: T0 - DAY,
    notAfter: T0 + 3650 * DAY,
  }, e);
  const party = (jid: string): Party => {
    const c = issueEndEntity(ca, {
      subject: { commonName: jid },
      jids: [jid],
      keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement,
      notBefore: T0 - DAY,
      notAfter: T0 + 365 * DAY,
    }, e);
    const key = { suite, privateKey: c.key.privateKey };
    return { jid, chain: [c.der], key, sign: localSigner(key) };
  };
  const crls = [createCrl(ca, { thisUpdate: T0 - DAY, nextUpdate: T0 + DAY, revoked: [] })];
  return {
    suite,
    anchors: [ca.der],
    crls,
    cc: party(CC_JID),
    ders: Array.from({ length: n }, (_, i) => party(`der${i}@grid.example`)),
    warmup: party("warmup@grid.example"),
  };
}

/** What one exchange cost: CPU µs per side, bytes, messages. */
interface Cost {
  cc: number;
  der: number;
  bytes: number;
  messages: number;
}
const zero = (): Cost => ({ cc: 0, der: 0, bytes: 0, messages: 0 });
const add = (a: Cost, b: Cost): Cost => ({
  cc: a.cc + b.cc,
  der: a.der + b.der,
  bytes: a.bytes + b.bytes,
  messages: a.messages + b.messages,
});
const scale = (a: Cost, k: number): Cost => ({
  cc: a.cc * k,
  der: a.der * k,
  bytes: a.bytes * k,
  messages: a.messages * k,
});

// deno-lint-ignore no-explicit-any
type AnyMachine = Machine<any, any, AProfileInput, any>;

/** A side: a machine state, its signer, and the CPU time it used. */
class Side {
  us = 0;
  constructor(readonly m: AnyMachine, public s: Phased, readonly signer: Signer) {}
  step(input: AProfileInput): XmlElement[] {
    const t = process.cpuUsage();
    const r = driveSigned(this.m, this.s, input, this.signer);
    const used = process.cpuUsage(t);
    this.us += used.user + used.system;
    this.s = r.state;
    const bad = r.out.find((o: { type: string }) => o.type === "error");
    if (bad) throw new Error(`${this.m.name}: ${JSON.stringify(bad)}`);
    return r.out.flatMap((o: { type: string; element?: XmlElement }) =>
      o.type === "send" ? [o.element!] : []
    );
  }
}

/** Delivers `elements` from `from` to `to`; returns what `to` sent back. */
function deliver(c: Cost, from: Party, to: Side, elements: XmlElement[], now: number) {
  const back: XmlElement[] = [];
  for (const e of elements) {
    c.bytes += e.toString().length;
    c.messages++;
    back.push(...to.step({ type: "receive", element: e, from: from.jid, now }));
  }
  return back;
}

function aProfilePair(g: Grid, der: Party, seed: string) {
  const common = (p: Party) => ({
    localJid: p.jid,
    chain: p.chain,
    signatureSuite: g.suite,
    anchors: g.anchors,
    crls: g.crls,
    validateChain,
    policy: { suites: [g.suite] },
  });
  const cc = new Side(
    initiator as AnyMachine,
    initiator.init({ ...common(g.cc), peerJid: der.jid, entropy: new SeededEntropy(`i ${seed}`) }),
    g.cc.sign,
  );
  const d = new Side(
    responder as AnyMachine,
    responder.init({ ...common(der), entropy: new SeededEntropy(`r ${seed}`) }),
    der.sign,
  );
  return { cc, der: d };
}

function perMessagePair(g: Grid, der: Party, seed: string, policy: Partial<PerMessagePolicy>) {
  const config = (p: Party, peer: Party, peerChain?: readonly CertificateDer[]) => ({
    localJid: p.jid,
    peerJid: peer.jid,
    chain: p.chain,
    signatureSuite: g.suite,
    agree: localAgreement(p.key),
    peerChain,
    anchors: g.anchors,
    crls: g.crls,
    validateChain,
    entropy: new SeededEntropy(`${p.jid} ${seed}`),
    policy,
  });
  return {
    cc: new Side(
      perMessage as AnyMachine,
      perMessage.init(config(g.cc, der, der.chain)),
      g.cc.sign,
    ),
    der: new Side(perMessage as AnyMachine, perMessage.init(config(der, g.cc)), der.sign),
  };
}

/** One command and its response between established sides. */
function command(g: Grid, der: Party, p: { cc: Side; der: Side }, now: number): Cost {
  const c = zero();
  const cc0 = p.cc.us, der0 = p.der.us;
  const req = p.cc.step({ type: "send", payload: REQUEST, now });
  deliver(c, g.cc, p.der, req, now);
  const resp = p.der.step({ type: "send", payload: RESPONSE, now });
  deliver(c, der, p.cc, resp, now);
  return { ...c, cc: p.cc.us - cc0, der: p.der.us - der0 };
}

/** The A-profile handshake between fresh sides. */
function handshake(g: Grid, der: Party, p: { cc: Side; der: Side }, now: number): Cost {
  const c = zero();
  const req = p.cc.step({ type: "start", now });
  const resp = deliver(c, g.cc, p.der, req, now);
  deliver(c, der, p.cc, resp, now);
  return { ...c, cc: p.cc.us, der: p.der.us };
}

/** Mean cost over `reps` repetitions of `run` (after warm-up), best of 3 batches by CPU sum. */
function mean(reps: number, run: (i: number) => Cost): Cost {
  for (let i = 0; i < Math.min(20, reps); i++) run(-1 - i);
  let best: Cost | undefined;
  for (let b = 0; b < 3; b++) {
    let sum = zero();
    for (let i = 0; i < reps; i++) sum = add(sum, run(b * reps + i));
    const m = scale(sum, 1 / reps);
    if (!best || m.cc + m.der < best.cc + best.der) best = m;
  }
  return best!;
}

/** The per-command table of one suite. */
function perCommand(g: Grid) {
  const der = g.ders[0];
  const reps = g.suite === "brainpool256" ? 40 : 150;
  const hs = mean(reps, (i) => handshake(g, der, aProfilePair(g, der, `hs ${i}`), T0));
  const session = aProfilePair(g, der, "session");
  handshake(g, der, session, T0);
  const apCmd = mean(reps, () => command(g, der, session, T0));
  const steady = (policy: Partial<PerMessagePolicy>) => {
    const p = perMessagePair(g, der, "steady", policy);
    p.cc.step({ type: "start", now: T0 });
    command(g, der, p, T0);
    command(g, der, p, T0);
    return mean(reps, () => command(g, der, p, T0));
  };
  const first = (policy: Partial<PerMessagePolicy>) =>
    mean(reps, (i) => {
      const p = perMessagePair(g, der, `first ${i}`, policy);
      p.cc.step({ type: "start", now: T0 });
      const c = command(g, der, p, T0);
      return { ...c, cc: p.cc.us, der: p.der.us };
    });
  const signOnly = { encrypt: false, requireEncryption: false };
  return {
    handshake: hs,
    apCommand: apCmd,
    amortised: (k: number) => add(scale(hs, 1 / k), apCmd),
    pmSigned: steady(signOnly),
    pmEncrypted: steady({}),
    pmFirst: first({}),
  };
}

/**
 * Every certificate memo emptied, then the trust anchors and CRLs parsed again (by validating
 * a bystander's chain): what a long-running control centre or device has when a peer's
 * certificate is new to it.
 */
function peerCold(g: Grid): void {
  clearPkiMemo();
  clearPeerMemo();
  validateChain(g.warmup.chain, { anchors: g.anchors, now: T0, crls: g.crls });
}

/** N DERs, one command each and its response, fresh everything, distinct certificates. */
function fleet(g: Grid) {
  let ap = zero(), pm = zero(), pmNoUsage = zero();
  const perMessageRun = (der: Party, i: number, policy: Partial<PerMessagePolicy>): Cost => {
    const p = perMessagePair(g, der, `fleet ${i}`, policy);
    peerCold(g);
    p.cc.step({ type: "start", now: T0 });
    return { ...command(g, der, p, T0), cc: p.cc.us, der: p.der.us };
  };
  g.ders.forEach((der, i) => {
    const a = aProfilePair(g, der, `fleet ${i}`);
    peerCold(g);
    ap = add(ap, add(handshake(g, der, a, T0), command(g, der, a, T0)));
    pm = add(pm, perMessageRun(der, i, {}));
    pmNoUsage = add(pmNoUsage, perMessageRun(der, i, { requireKeyAgreementUsage: false }));
  });
  return { ap, pm, pmNoUsage };
}

// ---------------------------------------------------------------- output

const f = (x: number) => x >= 100 ? x.toFixed(0) : x.toFixed(1);
const row = (name: string, c: Cost) =>
  `| ${name} | ${f(c.cc)} | ${f(c.der)} | ${c.bytes.toFixed(0)} | ${f(c.messages)} |`;
const ratio = (a: Cost, b: Cost) =>
  `CPU ${((a.cc + a.der) / (b.cc + b.der)).toFixed(2)}x (CC ${(a.cc / b.cc).toFixed(2)}x, DER ${
    (a.der / b.der).toFixed(2)
  }x), bytes ${(a.bytes / b.bytes).toFixed(2)}x, messages ${(a.messages / b.messages).toFixed(2)}x`;

function report(n: number): void {
  for (const suite of SUITES) {
    const g = grid(suite, n);
    const t = perCommand(g);
    console.log(`\n### ${suite}: per command (300 B request + 150 B response)\n`);
    console.log("| protection | CC µs | DER µs | bytes | messages |");
    console.log("|---|---|---|---|---|");
    console.log(row("A-profile handshake (warm)", t.handshake));
    console.log(row("A-profile, command in an established session", t.apCommand));
    for (const k of [1, 10, 100]) {
      console.log(row(`A-profile, session of K=${k}, per command`, t.amortised(k)));
    }
    console.log(row("per-message, signed only (steady)", t.pmSigned));
    console.log(row("per-message, signed + encrypted (steady)", t.pmEncrypted));
    console.log(row("per-message, signed + encrypted, first contact", t.pmFirst));
    console.log("\nratio per-message (signed + encrypted, steady) / A-profile:");
    console.log(`- per command in a session: ${ratio(t.pmEncrypted, t.apCommand)}`);
    for (const k of [1, 10, 100]) {
      console.log(`- session of K=${k}: ${ratio(t.pmEncrypted, t.amortised(k))}`);
    }
    console.log(`- signed only / session command: ${ratio(t.pmSigned, t.apCommand)}`);
    const fl = fleet(g);
    console.log(
      `\n${suite}, N = ${n} DERs, one command each + response (each peer certificate new):\n`,
    );
    console.log("| protection | CC ms total | DER µs each | bytes total | messages |");
    console.log("|---|---|---|---|---|");
    for (
      const [name, c] of [["A-profile, fresh sessions", fl.ap], [
        "per-message, first contact",
        fl.pm,
      ]] as const
    ) {
      console.log(
        `| ${name} | ${(c.cc / 1000).toFixed(0)} | ${f(c.der / n)} | ${c.bytes} | ${c.messages} |`,
      );
    }
    console.log(`\nratio per-message / A-profile at N = ${n}: ${ratio(fl.pm, fl.ap)}`);
    console.log(`(without the keyUsage check: ${ratio(fl.pmNoUsage, fl.ap)})`);
  }
}

if (import.meta.main) report(Number(Deno.args[0] ?? 1000));

// deno bench: one command, A-profile session vs per-message, x25519-ed25519.
const benchGrid = grid("x25519-ed25519", 1);
const benchDer = benchGrid.ders[0];
const benchSession = aProfilePair(benchGrid, benchDer, "bench");
handshake(benchGrid, benchDer, benchSession, T0);
const benchPm = perMessagePair(benchGrid, benchDer, "bench", {});
benchPm.cc.step({ type: "start", now: T0 });
command(benchGrid, benchDer, benchPm, T0);
Deno.bench("A-profile command + response", { group: "protection", baseline: true }, () => {
  command(benchGrid, benchDer, benchSession, T0);
});
Deno.bench("per-message command + response (signed + encrypted)", { group: "protection" }, () => {
  command(benchGrid, benchDer, benchPm, T0);
});
