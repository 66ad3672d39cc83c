/**
 * Properties of per-message protection: the machine is total over
 * well-formed, mutated and garbage inputs; encode/decode round-trip; and a
 * message with any single bit of its signed content changed is never
 * accepted.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8 } from "../../core/bytes.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import type { AProfileInput } from "../a-profile/types.ts";
import type { XmlElement } from "../a-profile/xml.ts";
import { ChannelPair } from "./driver.ts";
import { channelConfig, JIDS, perMessagePki, signerOf, T0 } from "./fixtures.ts";
import { perMessage } from "./machine.ts";
import { decode, encode } from "./wire.ts";

const pki = perMessagePki("x25519-ed25519");
const honest: XmlElement[] = (() => {
  const p = new ChannelPair(
    channelConfig(pki, pki.vpp, JIDS.der, "prop a", { peerChain: pki.der.chain }),
    channelConfig(pki, pki.der, JIDS.vpp, "prop b"),
    signerOf(pki.vpp),
    signerOf(pki.der),
  );
  p.run("a", { type: "start", now: T0 });
  return [1, 2, 3].flatMap((k) =>
    p.run("a", { type: "send", payload: utf8(`m${k}`), now: T0 + k }).wire
  );
})();

function inputs(): fc.Arbitrary<AProfileInput> {
  const now = fc.integer({ min: T0 - 600_000, max: T0 + 600_000 });
  return fc.oneof(
    now.map((n) => ({ type: "start" as const, now: n })),
    fc.tuple(fc.uint8Array({ maxLength: 64 }), now).map(([payload, n]) => ({
      type: "send" as const,
      payload,
      now: n,
    })),
    fc.tuple(fc.constantFrom(...honest), now, fc.constantFrom(JIDS.vpp, JIDS.mallory)).map((
      [element, n, from],
    ) => ({ type: "receive" as const, element, from, now: n })),
    fc.tuple(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 70 })).map((
      [id, value],
    ) => ({ type: "signature" as const, id, value })),
    fc.constantFrom("release", "abort", "tick", "update-keys").map((type) =>
      ({ type, now: T0 }) as AProfileInput
    ),
  );
}

Deno.test("per-message: the channel is total over well-formed, mutated and garbage inputs (PD-229)", () => {
  // spec: PD-229 PD-233
  assertMachineTotal(perMessage, {
    config: fc.constantFrom(
      channelConfig(pki, pki.der, JIDS.vpp, "t1"),
      channelConfig(pki, pki.vpp, JIDS.der, "t2", { peerChain: pki.der.chain }),
    ),
    input: inputs(),
    numRuns: 120,
    seed: 11,
  });
});

Deno.test("per-message: decode(encode(m)) is m (PD-225)", () => {
  // spec: PD-225
  for (const e of honest) {
    const d = decode(e);
    assert.ok(d.ok);
    assert.equal(encode(d.value).toString(), e.toString());
  }
});

Deno.test("per-message: any single changed bit of a signed message is refused (PD-228 PD-229)", () => {
  // spec: PD-228 PD-229 PAPER-R4a
  const m = decode(honest[0]);
  assert.ok(m.ok);
  const receiver = perMessage.init(channelConfig(pki, pki.der, JIDS.vpp, "flip"));
  fc.assert(
    fc.property(
      fc.constantFrom("body", "signature", "sid", "signer", "epk", "rcpt"),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      (field, at, bit) => {
        const v = m.value;
        const h = v.header as unknown as Record<string, Uint8Array>;
        const target = field === "body" || field === "signature"
          ? (v as unknown as Record<string, Uint8Array>)[field]
          : h[field];
        const flipped = target.slice();
        flipped[at % flipped.length] ^= 1 << bit;
        const changed = field === "body" || field === "signature"
          ? { ...v, [field]: flipped }
          : { ...v, header: { ...v.header, [field]: flipped } };
        const r = perMessage.step(receiver, {
          type: "receive",
          element: encode(changed),
          from: JIDS.vpp,
          now: T0,
        });
        assert.ok(r.out.every((o) => o.type === "error"), field);
        assert.equal(r.state, receiver);
      },
    ),
    { numRuns: 200, seed: 5 },
  );
});
