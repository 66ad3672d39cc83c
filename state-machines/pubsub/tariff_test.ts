/**
 * Tariff tests: canonical bytes, sign/verify round trip on every suite,
 * each refusal with its code, and fast-check properties (round trip; any
 * bit flip of a signed tariff is refused).
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex } from "../../core/bytes.ts";
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopeFromElement,
  signTariff,
  tariffElement,
} from "./envelope.ts";
import { TariffError } from "./errors.ts";
import { decodeTariff, encodeTariff, priceAt, type Tariff, validUntil } from "./tariff.ts";
import { verifyTariff } from "./verify.ts";
import { HOUR, MARKET, marketFixture, NODE, NOW, sampleTariff, signed } from "./testing.ts";
import { parseElement } from "../../core/xml.ts";

const policy = marketFixture().policy;
const check = { now: NOW, lastSeq: 0 };
const codeOf = (env: Uint8Array, c = check, p = policy) => {
  const r = verifyTariff(env, p, c);
  return r.ok ? "ok" : r.error.code;
};

Deno.test("tariff canonical bytes: exact layout, decode inverts encode (PD-157)", () => {
  const t: Tariff = {
    market: MARKET,
    node: "n",
    id: "t-1",
    seq: 1,
    issuedAt: 2,
    validFrom: 3,
    slotSeconds: 900,
    currency: "EUR",
    prices: [250_000, -1],
  };
  const body = encodeTariff(t);
  assert.equal(
    toHex(body),
    "01" + "136d61726b6574406465726c696e6b2e74657374" + "016e" + "03742d31" +
      "0000000000000001" + "0000000000000002" + "0000000000000003" + "00000384" + "455552" +
      "0002" + "0003d090" + "ffffffff",
  );
  assert.deepEqual(decodeTariff(body), t);
  assert.equal(validUntil(t), 3 + 2 * 900_000);
  assert.equal(priceAt(t, 3 + 900_000), -1);
  assert.equal(priceAt(t, 3 + 1_800_000), undefined);
});

Deno.test("signed tariffs verify on every suite; the element carries them (PAPER-AS4 PD-157)", () => {
  for (const suite of ["p256", "brainpool256", "x25519-ed25519"] as const) {
    const f = marketFixture(suite);
    const env = signTariff(sampleTariff(), f.signer("market"), f.chainOf("market"));
    const r = verifyTariff(env, f.policy, { ...check, itemId: "t-1" });
    assert.ok(r.ok, suite);
    assert.deepEqual(r.value, sampleTariff());
    const el = parseElement(tariffElement(env).toString());
    assert.deepEqual(envelopeFromElement(el as never), env);
  }
});

Deno.test("refusals: each attack has its code (PAPER-AS4 PAPER-TA5 PD-158)", () => {
  // spec: PD-158 PAPER-AS4
  const good = signed();
  const e = decodeEnvelope(good);
  const cases: [string, Uint8Array, string, Partial<typeof check & { itemId: string }>?][] = [
    ["unsigned", encodeEnvelope({ ...e, signature: new Uint8Array() }), TariffError.unsigned],
    ["no chain", encodeEnvelope({ ...e, chain: [] }), TariffError.unsigned],
    [
      "forged signature",
      encodeEnvelope({
        ...e,
        signature: decodeEnvelope(signed(sampleTariff({ seq: 2 }))).signature,
      }),
      TariffError["bad-signature"],
    ],
    [
      "altered price",
      encodeEnvelope({
        ...e,
        body: encodeTariff({ ...sampleTariff(), prices: [1, ...sampleTariff().prices.slice(1)] }),
      }),
      TariffError["bad-signature"],
    ],
    ["signed by a DER", signed(sampleTariff(), "der"), TariffError["wrong-signer"]],
    ["signed by another operator", signed(sampleTariff(), "rogue"), TariffError["wrong-signer"]],
    [
      "market's JID under a foreign CA",
      signed(sampleTariff(), "foreign"),
      TariffError["untrusted-signer"],
    ],
    ["expired", signed(sampleTariff({ validFrom: NOW - 25 * HOUR })), TariffError.expired],
    [
      "from the future",
      signed(sampleTariff({ issuedAt: NOW + 2 * 60_000 })),
      TariffError["from-future"],
    ],
    ["replayed", good, TariffError.replay, { lastSeq: 1 }],
    ["older", good, TariffError.rollback, { lastSeq: 7 }],
    ["other node", signed(sampleTariff({ node: "tariffs/other" })), TariffError["wrong-node"]],
    ["item id changed by the server", good, TariffError["id-mismatch"], { itemId: "t-9" }],
    ["truncated", good.slice(0, good.length - 1), TariffError.malformed],
    ["trailing byte", new Uint8Array([...good, 0]), TariffError.malformed],
  ];
  for (const [what, env, code, over] of cases) {
    assert.equal(codeOf(env, { ...check, ...over }), code, what);
  }
});

Deno.test("property: encode/sign/verify round-trip for any valid tariff (PD-157)", () => {
  const f = marketFixture();
  const tariff = fc.record({
    market: fc.constant(MARKET),
    node: fc.constant(NODE),
    id: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    issuedAt: fc.integer({ min: 0, max: NOW }),
    validFrom: fc.integer({ min: NOW - HOUR, max: NOW + 100 * HOUR }),
    slotSeconds: fc.integer({ min: 60, max: 86_400 }),
    currency: fc.stringMatching(/^[A-Z]{3}$/),
    prices: fc.array(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), {
      minLength: 1,
      maxLength: 96,
    }),
  }).filter((t) => validUntil(t) > NOW);
  fc.assert(
    fc.property(tariff, (t) => {
      assert.deepEqual(decodeTariff(encodeTariff(t)), { ...t });
      const env = signTariff(t, f.signer("market"), f.chainOf("market"));
      const r = verifyTariff(env, f.policy, { now: NOW, lastSeq: 0, itemId: t.id });
      assert.ok(r.ok && r.value.seq === t.seq);
    }),
    { numRuns: 60 },
  );
});

Deno.test("property: any bit flip in a signed tariff is refused (PAPER-AS4 PD-158)", () => {
  // spec: PAPER-AS4 PD-158
  const env = signed();
  fc.assert(
    fc.property(fc.nat(env.length * 8 - 1), (bit) => {
      const flipped = env.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      assert.notEqual(codeOf(flipped), "ok", `bit ${bit}`);
    }),
    { numRuns: 300 },
  );
});
