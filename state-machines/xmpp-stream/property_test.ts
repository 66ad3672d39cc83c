/**
 * Property tests: negotiation under arbitrary chunking, totality of both
 * machines on arbitrary inputs, and arbitrary or mutated bytes into either
 * role through the driver.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Element } from "ltx";
import { utf8 } from "../../core/bytes.ts";
import { CoreError } from "../../core/errors.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { StreamDriver } from "./driver.ts";
import { initiator } from "./initiator.ts";
import { Pair, type WireEvent } from "./pair.ts";
import { receiver } from "./receiver.ts";
import { chat, clientConfig, DOMAIN, serverConfig } from "./testing.ts";
import type { StreamInput, StreamOutput } from "./types.ts";
import { arbitraryInput } from "./arbitraries.ts";

/** Splits bytes by a cycle of chunk sizes. */
const chunker = (sizes: number[]) => (b: Uint8Array): Uint8Array[] => {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < b.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
};

Deno.test("RFC6120-4.3.3 RFC6120-8.1.2.1 XEP0368-3.direct: under arbitrary chunking both reach bound with matching JIDs and stanzas keep their order, over STARTTLS or direct TLS", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 12 }),
      fc.boolean(),
      fc.boolean(),
      (sizes, count, sm, directTls) => {
        const p = new Pair({
          client: clientConfig("chunk", "romeo", sm ? { streamManagement: { resume: true } } : {}),
          server: serverConfig("chunk", sm ? { streamManagement: { resume: true } } : {}),
          chunk: chunker(sizes),
          directTls,
        }).start();
        assert.equal(p.client.driver.state.phase, "bound");
        assert.equal(p.server.driver.state.phase, "bound");
        assert.equal(p.client.established, `romeo@${DOMAIN}/balcony`);
        assert.equal(p.server.established, p.client.established);
        for (let i = 0; i < count; i++) {
          p.clientInput({ type: "send", stanza: chat("juliet@example.net", `c${i}`) });
          p.serverInput({ type: "send", stanza: chat(`romeo@${DOMAIN}/balcony`, `s${i}`) });
        }
        const bodies = (els: { getChildText(n: string): string | null }[]) =>
          els.map((e) => e.getChildText("body"));
        assert.deepEqual(bodies(p.server.stanzas), [...Array(count)].map((_, i) => `c${i}`));
        assert.deepEqual(bodies(p.client.stanzas), [...Array(count)].map((_, i) => `s${i}`));
        assert.deepEqual([...p.client.errors, ...p.server.errors], []);
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("PD-70: the initiator is total: arbitrary inputs never throw and follow declared transitions", () => {
  assertMachineTotal(initiator, {
    config: fc.constantFrom(
      clientConfig("total-a"),
      clientConfig("total-b", "romeo", {
        streamManagement: { resume: true },
        ping: { intervalMs: 10, timeoutMs: 5 },
      }),
      clientConfig("total-c", "juliet", {
        allowPlaintextForTest: true,
        mechanisms: ["PLAIN", "SCRAM-SHA-1"],
      }),
    ),
    input: arbitraryInput(),
    maxSteps: 30,
    numRuns: 300,
  });
});

Deno.test("PD-70: the receiver is total: arbitrary inputs never throw and follow declared transitions", () => {
  assertMachineTotal(receiver, {
    config: fc.constantFrom(
      serverConfig("total-a"),
      serverConfig("total-b", {
        streamManagement: { resume: true },
        ping: { intervalMs: 10, timeoutMs: 5 },
      }),
      serverConfig("total-c", { noTlsForTest: true, plainEnabled: true }),
    ),
    input: arbitraryInput(),
    maxSteps: 30,
    numRuns: 300,
  });
});

function assertSound(out: readonly StreamOutput[]): void {
  for (const o of out) {
    if (o.type === "error") assert.notEqual(o.code, CoreError.internal, o.detail);
  }
}

Deno.test("RFC6120-4.9.1.1: arbitrary bytes into either role never throw; after the transport closes the stream is over", () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.string({ maxLength: 40 }).map(utf8)), {
        maxLength: 6,
      }),
      (asClient, chunks) => {
        const d = asClient
          ? new StreamDriver(initiator, clientConfig("bytes"), { checked: true })
          : new StreamDriver(receiver, serverConfig("bytes"), { checked: true });
        if (asClient) assertSound(d.input({ type: "start" }));
        for (const c of chunks) assertSound(d.receive(c));
        assertSound(d.input({ type: "transport-closed" }));
        assert.ok(["closed", "failed"].includes(d.state.phase), d.state.phase);
      },
    ),
    { numRuns: 400 },
  );
});

/** A recorded valid negotiation, replayed into a fresh machine of one role with one mutation. */
function recorded(sm: boolean, directTls = false): WireEvent[] {
  const p = new Pair({
    client: clientConfig("replay", "juliet", sm ? { streamManagement: { resume: true } } : {}),
    server: serverConfig("replay", sm ? { streamManagement: { resume: true } } : {}),
    directTls,
  }).start();
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "hello") });
  p.serverInput({
    type: "send",
    stanza: new Element("iq", { type: "get", id: "q", from: DOMAIN }).c("ping", {
      xmlns: "urn:xmpp:ping",
    }).root(),
  });
  p.clientInput({ type: "close" });
  return p.wire;
}

const WIRES = { plain: recorded(false), sm: recorded(true), direct: recorded(false, true) };

Deno.test("PD-70 RFC6120-4.9.1.1 XEP0368-3.direct: mutated transcripts (STARTTLS or direct TLS) into either role never throw and follow declared transitions", () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.constantFrom<keyof typeof WIRES>("plain", "sm", "direct"),
      fc.nat(),
      fc.nat(),
      fc.constantFrom("flip", "drop", "insert", "truncate"),
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
      (asClient, mode, which, where, how, junk) => {
        const wire = WIRES[mode];
        const sm = mode === "sm";
        const dir = asClient ? "s2c" : "c2s";
        const peer = wire.filter((w) => w.dir === dir);
        const target = peer[which % peer.length];
        const d = asClient
          ? new StreamDriver(
            initiator,
            clientConfig("replay", "juliet", sm ? { streamManagement: { resume: true } } : {}),
            { checked: true },
          )
          : new StreamDriver(
            receiver,
            serverConfig("replay", sm ? { streamManagement: { resume: true } } : {}),
            { checked: true },
          );
        const feed = (input: StreamInput | Uint8Array) =>
          assertSound(input instanceof Uint8Array ? d.receive(input) : d.input(input));
        if (mode === "direct") feed({ type: "tls-established" });
        if (asClient) feed({ type: "start" });
        for (const w of wire) {
          if (w.dir === "tls") {
            if (d.state.phase === "tls-handshake") feed({ type: "tls-established" });
            continue;
          }
          if (w.dir !== dir) continue;
          let bytes = utf8(w.text);
          if (w === target) bytes = mutate(bytes, where, how, junk);
          feed(bytes);
        }
        feed({ type: "transport-closed" });
        assert.ok(["closed", "failed"].includes(d.state.phase));
      },
    ),
    { numRuns: 300 },
  );
});

function mutate(b: Uint8Array, where: number, how: string, junk: Uint8Array): Uint8Array {
  const i = where % Math.max(1, b.length);
  const c = b.slice();
  if (how === "flip") c[i] ^= junk[0] | 1;
  else if (how === "drop") {
    return new Uint8Array([...b.subarray(0, i), ...b.subarray(i + junk.length)]);
  } else if (how === "insert") {
    return new Uint8Array([...b.subarray(0, i), ...junk, ...b.subarray(i)]);
  } else return b.subarray(0, i);
  return c;
}
