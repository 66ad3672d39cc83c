/**
 * A-profile benchmarks.
 *
 * Handshakes: complete handshakes per CPU second per suite, both roles on
 * one core — machines exchanging elements, and with each message serialised
 * to XML text and read back by derlink's strict reader — beside the rate
 * OpenSSL's `speed` gives for the same primitive mix, measured in the same run (`openssl speed -seconds 1` for
 * X25519/Ed25519, P-256 and brainpoolP256r1). The mix of one handshake is
 * 4 ECDH operations (two ephemeral keys, two agreements), 2 signatures and
 * 2 token verifications, plus the certificate chain checks: none when the
 * peer's chain was validated before ("warm", pki memo tables), 8 more
 * verifications when nothing is cached ("cold": each side checks the end
 * entity, the intermediate and two CRLs). Printed as a table when the module
 * loads; `deno bench` groups then compare a warm handshake with the bare
 * crypto mix through the same provider.
 *
 * Protected PDUs: one PDU sealed by the initiator and opened by the
 * responder, through both machines, beside WebCrypto AES-256-GCM sealing and
 * opening the same payload with the same additional data.
 *
 * Run: deno bench --allow-read --allow-run bench/a_profile_bench.ts
 *
 * @module
 */
import process from "node:process";
import { getSuite, type SuiteId } from "../core/crypto/suite.ts";
import { SeededEntropy } from "../core/entropy.ts";
import { clearPkiMemo } from "../core/pki/validate.ts";
import { parseElement } from "../core/xml.ts";
import { driveStep, localSigner } from "../state-machines/a-profile/driver.ts";
import {
  initiatorConfig,
  responderConfig,
  T0,
  testPki,
} from "../state-machines/a-profile/fixtures.ts";
import { initiator, type InitiatorState } from "../state-machines/a-profile/initiator.ts";
import { responder, type ResponderState } from "../state-machines/a-profile/responder.ts";
import type { AProfileOutput } from "../state-machines/a-profile/types.ts";
import type { XmlElement } from "../state-machines/a-profile/xml.ts";

const SUITES: readonly SuiteId[] = ["x25519-ed25519", "p256", "brainpool256"];
const sentOf = (out: readonly AProfileOutput[]): XmlElement =>
  (out.find((o) => o.type === "send") as { element: XmlElement }).element;
const wire = (e: XmlElement): XmlElement => parseElement(e.toString()) as unknown as XmlElement;

/** One complete handshake between fresh machines; throws unless both end established. */
function handshaker(suite: SuiteId, xmlText = true) {
  const pass = xmlText ? wire : (e: XmlElement) => e;
  const pki = testPki(suite);
  const iCfg = { ...initiatorConfig(pki, "bench"), entropy: new SeededEntropy(`bench i ${suite}`) };
  const rCfg = { ...responderConfig(pki, "bench"), entropy: new SeededEntropy(`bench r ${suite}`) };
  const iSign = localSigner(pki.vpp.signer), rSign = localSigner(pki.der.signer);
  return () => {
    const a = driveStep(initiator, initiator.init(iCfg), { type: "start", now: T0 }, iSign);
    const b = driveStep(responder, responder.init(rCfg), {
      type: "receive",
      element: pass(sentOf(a.out)),
      from: iCfg.localJid,
      now: T0,
    }, rSign);
    const c = driveStep(initiator, a.state, {
      type: "receive",
      element: pass(sentOf(b.out)),
      from: rCfg.localJid,
      now: T0,
    }, iSign);
    if (c.state.phase !== "established" || b.state.phase !== "established") {
      throw new Error("handshake");
    }
  };
}

/**
 * Handshakes per second of CPU time (user + system; OpenSSL's `speed` divides by CPU time too,
 * and other processes on the machine do not count): the best of ten batches of about 100 ms,
 * so a garbage collection or a busy neighbour in one batch does not decide the figure.
 */
function rate(run: () => void, cold: boolean): number {
  for (let i = 0; i < 5; i++) run();
  let best = 0;
  for (let batch = 0; batch < 10; batch++) {
    let n = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    while (performance.now() - start < 100) {
      if (cold) clearPkiMemo();
      run();
      n++;
    }
    const used = process.cpuUsage(cpu);
    best = Math.max(best, n / ((used.user + used.system) / 1e6));
  }
  return best;
}

interface OpensslRates {
  readonly ecdh: number;
  readonly sign: number;
  readonly verify: number;
}

/** `openssl speed` for the suites' primitives; undefined when openssl is not installed. */
async function opensslSpeed(): Promise<Partial<Record<SuiteId, OpensslRates>> | undefined> {
  let text: string;
  try {
    const out = await new Deno.Command("openssl", {
      args: [
        "speed",
        "-seconds",
        "1",
        "ecdhx25519",
        "ed25519",
        "ecdsap256",
        "ecdhp256",
        "ecdsabrp256r1",
        "ecdhbrp256r1",
      ],
      stdout: "piped",
      stderr: "null",
    }).output();
    text = new TextDecoder().decode(out.stdout);
  } catch {
    return undefined;
  }
  const num = (re: RegExp, i: number) => Number(text.match(re)?.[i] ?? NaN);
  return {
    "x25519-ed25519": {
      ecdh: num(/ecdh \(X25519\)\s+\S+\s+([\d.]+)/, 1),
      sign: num(/EdDSA \(Ed25519\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/, 1),
      verify: num(/EdDSA \(Ed25519\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/, 2),
    },
    "p256": {
      ecdh: num(/ecdh \(nistp256\)\s+\S+\s+([\d.]+)/, 1),
      sign: num(/ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/, 1),
      verify: num(/ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/, 2),
    },
    "brainpool256": {
      ecdh: num(/ecdh \(brainpoolP256r1\)\s+\S+\s+([\d.]+)/, 1),
      sign: num(/ecdsa \(brainpoolP256r1\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/, 1),
      verify: num(/ecdsa \(brainpoolP256r1\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/, 2),
    },
  };
}

/** Handshakes per second OpenSSL's primitives allow for the mix, with `verifies` signature checks. */
const expected = (o: OpensslRates, verifies: number) =>
  1 / (4 / o.ecdh + 2 / o.sign + verifies / o.verify);

const openssl = await opensslSpeed();
const rows: string[] = [];
const ratio = (a: number, b: number) => Number.isFinite(b) ? (a / b).toFixed(2) + "x" : "n/a";
for (const suite of SUITES) {
  const elements = handshaker(suite, false), text = handshaker(suite, true);
  for (const [mode, cold, verifies] of [["warm", false, 2], ["cold", true, 10]] as const) {
    const ours = rate(elements, cold), ourText = rate(text, cold);
    const o = openssl?.[suite];
    const ref = o && Number.isFinite(o.verify) ? expected(o, verifies) : NaN;
    rows.push(
      `| ${suite} | ${mode} (${verifies} verifications) | ${ours.toFixed(0)} | ${
        ourText.toFixed(0)
      } | ${Number.isFinite(ref) ? ref.toFixed(0) : "n/a"} | ${ratio(ours, ref)} | ${
        ratio(ourText, ref)
      } |`,
    );
  }
}
console.log(
  [
    "",
    "A-profile complete handshakes per CPU second (both roles, one core) beside OpenSSL speed for the same primitive mix",
    "(elements: machines exchange ltx elements; XML text: each message serialised and read back by the strict reader):",
    "| suite | chain checks | derlink, elements | derlink, XML text | OpenSSL-derived | ratio, elements | ratio, XML text |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    openssl ? "" : "(openssl not found: no reference rates)",
  ].join("\n"),
);

// ---- deno bench: a warm handshake against the bare crypto mix through the same provider.
for (const suite of SUITES) {
  const s = getSuite(suite);
  const entropy = new SeededEntropy(`mix ${suite}`);
  const signer = s.sig.generate(entropy);
  const msg = new Uint8Array(1500).fill(7);
  const signature = s.sig.sign(signer.privateKey, msg);
  Deno.bench(`${suite}: crypto mix alone (4 ECDH, 2 sign, 2 verify)`, {
    group: `handshake ${suite}`,
    baseline: true,
  }, () => {
    const a = s.kex.generate(entropy), b = s.kex.generate(entropy);
    s.kex.agree(a.privateKey, b.publicKey);
    s.kex.agree(b.privateKey, a.publicKey);
    s.sig.sign(signer.privateKey, msg);
    s.sig.sign(signer.privateKey, msg);
    if (
      !s.sig.verify(signer.publicKey, msg, signature) ||
      !s.sig.verify(signer.publicKey, msg, signature)
    ) {
      throw new Error("verify");
    }
  });
  Deno.bench(
    `${suite}: complete handshake, chains seen before`,
    { group: `handshake ${suite}` },
    handshaker(suite),
  );
}

// ---- protected PDUs: machines versus WebCrypto AES-256-GCM on the same payload.
function session() {
  const pki = testPki("x25519-ed25519");
  const iSign = localSigner(pki.vpp.signer), rSign = localSigner(pki.der.signer);
  const iCfg = initiatorConfig(pki, "pdu", { keyLifetimePdus: 1 << 30 });
  const rCfg = responderConfig(pki, "pdu", { keyLifetimePdus: 1 << 30 });
  const a = driveStep(initiator, initiator.init(iCfg), { type: "start", now: T0 }, iSign);
  const b = driveStep(responder, responder.init(rCfg), {
    type: "receive",
    element: sentOf(a.out),
    now: T0,
  }, rSign);
  const c = driveStep(
    initiator,
    a.state,
    { type: "receive", element: sentOf(b.out), now: T0 },
    iSign,
  );
  return { i: c.state as InitiatorState, r: b.state as ResponderState };
}

for (const size of [64, 1024, 16384]) {
  const payload = new Uint8Array(size).fill(0x42);
  const group = `PDU ${size} B (aes-256-gcm)`;
  const key = await crypto.subtle.importKey("raw", new Uint8Array(32).fill(1), "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
  const iv = new Uint8Array(12), aad = new Uint8Array(64);
  Deno.bench(
    `WebCrypto AES-256-GCM seal + open, ${size} B`,
    { group, baseline: true },
    async () => {
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: aad },
        key,
        payload,
      );
      await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, sealed);
    },
  );
  const s = session();
  Deno.bench(`derlink PDU protect + open through both machines, ${size} B`, { group }, () => {
    const sent = initiator.step(s.i, { type: "send", payload, now: T0 });
    s.i = sent.state;
    const got = responder.step(s.r, { type: "receive", element: sentOf(sent.out), now: T0 });
    s.r = got.state;
    if (got.out[0]?.type !== "data") throw new Error(JSON.stringify(got.out[0]));
  });
  const t = session();
  Deno.bench(`derlink PDU with XML text round trip, ${size} B`, { group }, () => {
    const sent = initiator.step(t.i, { type: "send", payload, now: T0 });
    t.i = sent.state;
    const got = responder.step(t.r, { type: "receive", element: wire(sentOf(sent.out)), now: T0 });
    t.r = got.state;
    if (got.out[0]?.type !== "data") throw new Error("open");
  });
}
