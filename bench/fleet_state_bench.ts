/**
 * State that grows with the fleet (PD-271), at 1,000 and 10,000 entries:
 * a bound session with n iq requests in flight, then all answered
 * (session_iq.ts), and the market publisher granting n JIDs, 16 at a time
 * as the simulation does, and with all n in flight. Each prints µs per
 * operation beside a reference measured in the same run: the same steps
 * with the state kept as a plain record copied per step (what the machines
 * did before), so the ratio shows what the persistent map saves and how
 * that grows with n.
 *
 * Run: deno run -A bench/fleet_state_bench.ts
 *
 * @module
 */
import { Element } from "ltx";
import { parseElement } from "../core/xml.ts";
import { iqInbound, iqOutbound } from "../state-machines/xmpp-stream/session_iq.ts";
import { newSession } from "../state-machines/xmpp-stream/session.ts";
import type { SessionCtx } from "../state-machines/xmpp-stream/session_types.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";
import { publisher } from "../state-machines/pubsub/publisher.ts";
import { MARKET, marketFixture, NODE, SERVICE } from "../state-machines/pubsub/testing.ts";
import type { PublisherInput, PublisherState } from "../state-machines/pubsub/types.ts";

const ctx: SessionCtx = {
  role: "initiator",
  now: 0,
  decls: {} as SessionCtx["decls"],
  domain: "derlink.test",
  config: { pingTimeoutMs: 1, maxPendingIq: 1_000_000, ackEvery: 5, maxUnacked: 10 },
};

function iqs(n: number): { out: Xel[]; back: Xel[] } {
  const out = Array.from({ length: n }, (_, i) => {
    const e = new Element("iq", { type: "get", id: `q${i}`, to: `der${i}@derlink.test/d` });
    e.c("query", { xmlns: "urn:derlink:bench" });
    return e as unknown as Xel;
  });
  const back = Array.from(
    { length: n },
    (_, i) =>
      new Element("iq", {
        type: "result",
        id: `q${i}`,
        from: `der${i}@derlink.test/d`,
      }) as unknown as Xel,
  );
  return { out, back };
}

/** µs per iq sent and answered through session_iq.ts. */
function session(n: number): number {
  const { out, back } = iqs(n);
  let s = newSession("cc@derlink.test/x", "x", 1, ctx);
  const t0 = performance.now();
  for (const iq of out) {
    const r = iqOutbound(s, iq, ctx);
    if (!r.ok) throw new Error("refused");
    s = r.session;
  }
  for (const el of back) s = iqInbound(s, el, ctx).session;
  if (s.pendingOut.size !== 0) throw new Error("left in flight");
  return (performance.now() - t0) * 1000 / n;
}

/** The reference: the same bookkeeping as a record copied per step. */
function sessionAsRecord(n: number): number {
  const { out, back } = iqs(n);
  let pending: Record<string, string> = {};
  const t0 = performance.now();
  for (const iq of out) {
    const id = iq.attrs.id!;
    if (pending[id] !== undefined || Object.keys(pending).length >= 1_000_000) throw new Error();
    pending = { ...pending, [id]: iq.attrs.to ?? "" };
  }
  for (const el of back) {
    const copy = { ...pending };
    delete copy[el.attrs.id!];
    pending = copy;
  }
  return (performance.now() - t0) * 1000 / n;
}

const fixture = marketFixture();
const result = (id: string) =>
  parseElement(`<iq type="result" id="${id}" from="${SERVICE}"/>`) as unknown as Xel;

/** µs per grant: n JIDs whitelisted, `inFlight` requests at a time. */
function grants(n: number, inFlight: number): number {
  let s: PublisherState = publisher.init({
    jid: MARKET,
    service: SERVICE,
    node: NODE,
    subscribers: ["der0@derlink.test"],
    sign: fixture.signer("market"),
    chain: fixture.chainOf("market"),
  });
  const step = (input: PublisherInput) => s = publisher.step(s, input).state;
  step({ type: "start" });
  step({ type: "stanza", stanza: result("ps-1") });
  step({ type: "stanza", stanza: result("ps-2") });
  const responses = Array.from({ length: n }, (_, i) => result(`ps-${i + 3}`));
  const t0 = performance.now();
  let sent = 0;
  for (let answered = 0; answered < n; answered++) {
    while (sent < n && sent - answered < inFlight) {
      step({ type: "grant", jid: `der${sent}@derlink.test` });
      sent++;
    }
    step({ type: "stanza", stanza: responses[answered] });
  }
  if (s.whitelist.size !== n) throw new Error(`whitelist ${s.whitelist.size}`);
  return (performance.now() - t0) * 1000 / n;
}

/** The reference: the whitelist as a list copied per grant (the publisher's earlier code). */
function grantsAsList(n: number): number {
  let whitelist: readonly string[] = ["der0@derlink.test"];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) whitelist = [...new Set([...whitelist, `der${i}@derlink.test`])];
  return (performance.now() - t0) * 1000 / n;
}

const fmt = (x: number) => x.toFixed(2).padStart(9);
const best = (f: () => number, runs = 3) => Math.min(...Array.from({ length: runs }, f));
console.log(
  "n       | iq in flight (us/iq)    | copied record  | ratio | grants 16 / all in flight (us) | copied list | ratio",
);
for (const n of [1_000, 10_000]) {
  const s = best(() => session(n));
  const r = best(() => sessionAsRecord(n), n > 5_000 ? 1 : 3);
  const g = best(() => grants(n, 16));
  const gAll = best(() => grants(n, n), 1);
  const l = best(() => grantsAsList(n), n > 5_000 ? 1 : 3);
  console.log(
    `${String(n).padEnd(7)} | ${fmt(s)}               | ${fmt(r)}      | ${
      (r / s).toFixed(0).padStart(5)
    } | ${fmt(g)} / ${fmt(gAll)}            | ${fmt(l)}   | ${(l / g).toFixed(1).padStart(5)}`,
  );
}
