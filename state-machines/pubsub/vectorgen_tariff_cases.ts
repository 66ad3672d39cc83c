/**
 * The cases of `vectors/pubsub/tariff.json` for the P-256 grid (every
 * attack on a tariff, with its code) and the short sets for the other
 * suites; vectorgen_tariff.ts assembles the file.
 *
 * @module
 */
import { concat, toBase64 } from "../../core/bytes.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { Writer } from "../group-keying/codec.ts";
import {
  decodeEnvelope,
  encodeEnvelope,
  signedBytes,
  TARIFF_NS,
  tariffElement,
} from "./envelope.ts";
import { TariffError } from "./errors.ts";
import { encodeTariff } from "./tariff.ts";
import { HOUR, MARKET, marketFixture, NODE, NOW, ROGUE, sampleTariff, signed } from "./testing.ts";
import { policyToJson, runTariffCase } from "./vectors.ts";

export interface Case {
  comment: string;
  flags: string[];
  spec: string[];
  xml: string;
  itemId?: string;
  now?: number;
  lastSeq?: number;
  error?: string;
}

export const xmlOf = (env: Uint8Array) => tariffElement(env).toString();
/** An element around bytes that do not decode (tariffElement would refuse them). */
export const rawXml = (env: Uint8Array, attrs = "") =>
  `<tariff xmlns="${TARIFF_NS}"${attrs}>${toBase64(env)}</tariff>`;

/** A body encoded by hand, for fields encodeTariff refuses to write. */
function handBody(over: { version?: number; currency?: string; prices?: number[] }): Uint8Array {
  const t = sampleTariff();
  const w = new Writer().u8(over.version ?? 1).str8(t.market).str8(t.node).str8(t.id)
    .u64(t.seq).u64(t.issuedAt).u64(t.validFrom).u32(t.slotSeconds)
    .raw(new TextEncoder().encode(over.currency ?? "EUR"));
  const prices = over.prices ?? [...t.prices];
  w.u16(prices.length);
  for (const p of prices) w.u32(p >>> 0);
  return w.finish();
}

export function p256Cases(): Case[] {
  const f = marketFixture("p256");
  const good = signed();
  const e = decodeEnvelope(good);
  const signBody = (body: Uint8Array, peer: "market" | "der" = "market") =>
    encodeEnvelope({
      body,
      signature: f.signer(peer)(signedBytes(body)),
      chain: f.chainOf("market"),
    });
  const cases: Case[] = [];
  const ok = (comment: string, spec: string[], xml: string, more: Partial<Case> = {}) =>
    cases.push({ comment, flags: ["valid"], spec, xml, ...more });
  const bad = (
    comment: string,
    flags: string[],
    spec: string[],
    xml: string,
    error: string,
    more: Partial<Case> = {},
  ) => cases.push({ comment, flags, spec, xml, error, ...more });

  ok("a day-ahead tariff from the operator", ["PAPER-AS4", "PD-157"], xmlOf(good), {
    itemId: "t-1",
  });
  ok("a newer tariff than the last accepted", ["PD-158"], xmlOf(signed(sampleTariff({ seq: 5 }))), {
    lastSeq: 4,
  });
  ok(
    "quarter-hour slots with negative prices",
    ["PD-157"],
    xmlOf(signed(sampleTariff({
      slotSeconds: 900,
      prices: Array.from({ length: 96 }, (_, i) => (i % 7 - 3) * 40_000),
    }))),
  );
  ok(
    "a tariff in force since an hour",
    ["PD-158"],
    xmlOf(signed(sampleTariff({ validFrom: NOW - HOUR }))),
  );
  ok(
    "issued a little ahead of our clock, within the skew",
    ["PD-158"],
    xmlOf(signed(sampleTariff({ issuedAt: NOW + 30_000 }))),
  );

  bad(
    "unsigned: empty signature",
    ["unsigned"],
    ["PD-158", "PAPER-AS4"],
    xmlOf(encodeEnvelope({ ...e, signature: new Uint8Array() })),
    TariffError.unsigned,
  );
  bad(
    "unsigned: no signer certificate",
    ["unsigned"],
    ["PD-158"],
    xmlOf(encodeEnvelope({ ...e, chain: [] })),
    TariffError.unsigned,
  );
  bad(
    "forged: the signature of another tariff",
    ["forged"],
    ["PAPER-AS4"],
    xmlOf(
      encodeEnvelope({
        ...e,
        signature: decodeEnvelope(signed(sampleTariff({ seq: 2 }))).signature,
      }),
    ),
    TariffError["bad-signature"],
  );
  bad(
    "altered by the server: one price changed",
    ["forged"],
    ["PAPER-AS4", "PAPER-TA5"],
    xmlOf(
      encodeEnvelope({
        ...e,
        body: encodeTariff({ ...sampleTariff(), prices: [1, ...sampleTariff().prices.slice(1)] }),
      }),
    ),
    TariffError["bad-signature"],
  );
  bad(
    "altered by the server: sequence number raised",
    ["forged"],
    ["PAPER-AS4", "PAPER-TA5"],
    xmlOf(encodeEnvelope({ ...e, body: encodeTariff(sampleTariff({ seq: 99 })) })),
    TariffError["bad-signature"],
  );
  bad(
    "altered by the server: window extended",
    ["forged"],
    ["PAPER-AS4"],
    xmlOf(
      encodeEnvelope({
        ...e,
        body: encodeTariff(sampleTariff({ prices: [...sampleTariff().prices, 1] })),
      }),
    ),
    TariffError["bad-signature"],
  );
  bad(
    "the operator's chain, signed with a DER's key",
    ["forged"],
    ["PAPER-AS4"],
    xmlOf(signBody(e.body, "der")),
    TariffError["bad-signature"],
  );
  bad(
    "signed by a DER of the same grid",
    ["wrong-signer"],
    ["PD-158", "PAPER-AS4"],
    xmlOf(signed(sampleTariff(), "der")),
    TariffError["wrong-signer"],
  );
  bad(
    "signed by another operator of the same grid",
    ["wrong-signer"],
    ["PD-158"],
    xmlOf(signed(sampleTariff(), "rogue")),
    TariffError["wrong-signer"],
  );
  bad(
    "signed by the operator for another market name",
    ["wrong-signer"],
    ["PD-158"],
    xmlOf(signBody(encodeTariff(sampleTariff({ market: ROGUE })))),
    TariffError["wrong-signer"],
  );
  bad(
    "the operator's JID certified by a foreign CA",
    ["untrusted"],
    ["PD-158", "PAPER-M2"],
    xmlOf(signed(sampleTariff(), "foreign")),
    TariffError["untrusted-signer"],
  );
  bad(
    "the end-entity certificate without its issuing CA",
    ["untrusted"],
    ["PD-158", "PAPER-M2"],
    xmlOf(encodeEnvelope({ ...e, chain: [e.chain[0]] })),
    TariffError["untrusted-signer"],
  );
  bad(
    "the chain in the wrong order",
    ["untrusted"],
    ["PD-158"],
    xmlOf(encodeEnvelope({ ...e, chain: [...e.chain].reverse() })),
    TariffError["untrusted-signer"],
  );
  bad(
    "checked 400 days later: the certificate has expired",
    ["untrusted"],
    ["PD-158"],
    xmlOf(signed(sampleTariff({ validFrom: NOW + 399 * 24 * HOUR }))),
    TariffError["untrusted-signer"],
    { now: NOW + 400 * 24 * HOUR },
  );
  bad(
    "expired: the window has ended",
    ["expired"],
    ["PD-158"],
    xmlOf(signed(sampleTariff({ validFrom: NOW - 25 * HOUR }))),
    TariffError.expired,
  );
  bad(
    "expired: checked at the window's end",
    ["expired"],
    ["PD-158"],
    xmlOf(signed(sampleTariff({ validFrom: NOW - 2 * HOUR, prices: [1, 2] }))),
    TariffError.expired,
  );
  bad(
    "issued two minutes in the future",
    ["future"],
    ["PD-158"],
    xmlOf(signed(sampleTariff({ issuedAt: NOW + 120_000 }))),
    TariffError["from-future"],
  );
  bad(
    "replayed: the sequence number already accepted",
    ["replay"],
    ["PD-158"],
    xmlOf(good),
    TariffError.replay,
    { lastSeq: 1 },
  );
  bad(
    "rolled back: an older sequence number",
    ["rollback"],
    ["PD-158"],
    xmlOf(signed(sampleTariff({ seq: 3 }))),
    TariffError.rollback,
    { lastSeq: 4 },
  );
  bad(
    "a tariff of another node replayed into ours",
    ["wrong-node"],
    ["PD-158"],
    xmlOf(signed(sampleTariff({ node: "tariffs/grid-west" }))),
    TariffError["wrong-node"],
  );
  bad(
    "the server delivered it under another item id",
    ["id"],
    ["PD-158", "PAPER-TA5"],
    xmlOf(good),
    TariffError["id-mismatch"],
    { itemId: "t-2" },
  );
  bad(
    "content not base64",
    ["malformed"],
    ["PD-157"],
    `<tariff xmlns="${TARIFF_NS}">!!!</tariff>`,
    TariffError.malformed,
  );
  bad(
    "envelope truncated",
    ["malformed"],
    ["PD-157"],
    rawXml(good.slice(0, -1)),
    TariffError.malformed,
  );
  bad(
    "a byte after the envelope",
    ["malformed"],
    ["PD-157"],
    rawXml(concat(good, new Uint8Array([0]))),
    TariffError.malformed,
  );
  bad(
    "wrong magic",
    ["malformed"],
    ["PD-157"],
    rawXml(concat(new TextEncoder().encode("DLT2"), good.slice(4))),
    TariffError.malformed,
  );
  bad(
    "id attribute disagrees with the body",
    ["malformed"],
    ["PD-157"],
    xmlOf(good).replace('id="t-1"', 'id="t-7"'),
    TariffError.malformed,
  );
  bad(
    "seq attribute disagrees with the body",
    ["malformed"],
    ["PD-157"],
    xmlOf(good).replace('seq="1"', 'seq="2"'),
    TariffError.malformed,
  );
  bad(
    "another element",
    ["malformed"],
    ["PD-157"],
    xmlOf(good).replace(/tariff/g, "price"),
    TariffError.malformed,
  );
  bad(
    "another namespace",
    ["malformed"],
    ["PD-157"],
    xmlOf(good).replace(TARIFF_NS, "urn:derlink:tariff:1"),
    TariffError.malformed,
  );
  bad(
    "body version 2 (signed)",
    ["malformed"],
    ["PD-157"],
    rawXml(signBody(handBody({ version: 2 }))),
    TariffError.malformed,
  );
  bad(
    "currency not ISO 4217 (signed)",
    ["malformed"],
    ["PD-157"],
    rawXml(signBody(handBody({ currency: "eur" }))),
    TariffError.malformed,
  );
  bad(
    "no slot (signed)",
    ["malformed"],
    ["PD-157"],
    rawXml(signBody(handBody({ prices: [] }))),
    TariffError.malformed,
  );
  bad(
    "an envelope over 32 KiB",
    ["oversize"],
    ["PD-157"],
    rawXml(new Uint8Array(33 * 1024)),
    TariffError.oversize,
  );
  // Bit flips at fixed places: magic, body length, market name, a price, signature, certificate.
  const bodyAt = 6;
  const sigAt = bodyAt + e.body.length + 2;
  const certAt = sigAt + e.signature.length + 3;
  const places: [string, number][] = [
    ["magic", 2 * 8],
    ["body length", 4 * 8 + 7],
    ["market name", (bodyAt + 3) * 8],
    ["last price", (bodyAt + e.body.length - 1) * 8],
    ["sequence number", (bodyAt + 1 + 1 + MARKET.length + 1 + NODE.length + 1 + 3 + 7) * 8],
    ["signature", (sigAt + 10) * 8 + 3],
    ["certificate body", (certAt + 200) * 8 + 1],
    ["certificate signature", (certAt + decodeEnvelope(good).chain[0].length - 5) * 8],
  ];
  for (const [where, bit] of places) {
    const flipped = good.slice();
    flipped[bit >> 3] ^= 1 << (bit & 7);
    const r = runTariffCase(policyToJson(f.policy), { xml: rawXml(flipped), now: NOW, lastSeq: 0 });
    if (!("error" in r)) throw new Error(`a flip in the ${where} was accepted`);
    bad(
      `one bit flipped in the ${where}`,
      ["bit-flip"],
      ["PAPER-AS4", "PD-158"],
      rawXml(flipped),
      r.error,
    );
  }
  return cases;
}

export function otherSuiteCases(suite: SuiteId): Case[] {
  const e = decodeEnvelope(signed(sampleTariff(), "market", suite));
  return [
    {
      comment: `${suite}: a tariff from the operator`,
      flags: ["valid"],
      spec: ["PAPER-AS4", "PD-157"],
      xml: xmlOf(signed(sampleTariff(), "market", suite)),
    },
    {
      comment: `${suite}: forged signature`,
      flags: ["forged"],
      spec: ["PAPER-AS4"],
      xml: xmlOf(
        encodeEnvelope({
          ...e,
          signature: decodeEnvelope(signed(sampleTariff({ seq: 2 }), "market", suite)).signature,
        }),
      ),
      error: TariffError["bad-signature"],
    },
    {
      comment: `${suite}: signed by a DER`,
      flags: ["wrong-signer"],
      spec: ["PD-158"],
      xml: xmlOf(signed(sampleTariff(), "der", suite)),
      error: TariffError["wrong-signer"],
    },
    {
      comment: `${suite}: replayed`,
      flags: ["replay"],
      spec: ["PD-158"],
      xml: xmlOf(signed(sampleTariff(), "market", suite)),
      lastSeq: 1,
      error: TariffError.replay,
    },
  ];
}
