/**
 * Properties of validateChain under arbitrary changes: any single-byte
 * change of a valid end entity's signed part is refused and never throws;
 * the same holds for any byte of the whole certificate, of the intermediate
 * and of the CRLs; arbitrary bytes as certificates are refused with a pki
 * code; and the memo tables never change an answer.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { SeededEntropy } from "../entropy.ts";
import { isRegisteredCode } from "../errors.ts";
import { createHierarchy, type Hierarchy } from "./hierarchy.ts";
import { parseCertificate } from "./parse.ts";
import { clearPkiMemo, validateChain } from "./validate.ts";
import { PKI_SUITES } from "./vectorgen/fixture.ts";
import type { ValidationPolicy } from "./types.ts";

const NOW = Date.UTC(2025, 5, 1);

function hierarchy(suite: (typeof PKI_SUITES)[number]): Hierarchy {
  return createHierarchy({
    suite,
    now: NOW,
    peers: [{ commonName: "IED-3 PV inverter", jid: "ied3@grid.example", roles: ["OPERATOR"] }],
  }, new SeededEntropy(`mutation-${suite}`));
}

/** Validates and insists the answer is a refusal with a registered code. */
function refused(chain: Uint8Array[], policy: ValidationPolicy): string {
  const r = validateChain(chain, policy);
  assert.equal(r.ok, false, "a mutated input was accepted");
  if (r.ok) return "";
  assert.ok(isRegisteredCode(r.error.code), r.error.code);
  return r.error.code;
}

/** Offset of the TBSCertificate inside a certificate: after the outer tag and length. */
function tbsRange(der: Uint8Array): [number, number] {
  const tbsLength = parseCertificate(der);
  if (!tbsLength.ok) throw tbsLength.error;
  const start = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
  return [start, start + tbsLength.value.tbsDer.length];
}

const change = (der: Uint8Array, index: number, xor: number) => {
  const out = der.slice();
  out[index] ^= xor;
  return out;
};

for (const suite of PKI_SUITES) {
  const h = hierarchy(suite);
  const [ee, int] = h.chains[0];
  const policy = { ...h.policy, expectedJid: "ied3@grid.example" };

  Deno.test(`pki: the ${suite} base chain is valid (PAPER-M2)`, () => {
    assert.ok(validateChain(h.chains[0], policy).ok);
  });

  Deno.test(`pki: any single-byte change of the ${suite} end entity's signed part is refused (RFC5280-6.1.3)`, () => {
    const [start, end] = tbsRange(ee);
    const codes = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: start, max: end - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (i, x) => {
          codes.add(refused([change(ee, i, x), int], policy));
        },
      ),
      { numRuns: 150 },
    );
    // Most changes break the signature; the rest break the encoding or a field before it.
    assert.ok(codes.has("pki/bad-signature") && codes.size >= 2, [...codes].join(" "));
  });

  Deno.test(`pki: any single-byte change anywhere in the ${suite} chain or CRLs is refused`, () => {
    const objects = [ee, int, ...h.crls];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: objects.length - 1 }).chain((which) =>
          fc.tuple(
            fc.constant(which),
            fc.integer({ min: 0, max: objects[which].length - 1 }),
            fc.integer({ min: 1, max: 255 }),
          )
        ),
        ([which, i, x]) => {
          const mutated = objects.map((o, k) => k === which ? change(o, i, x) : o);
          refused([mutated[0], mutated[1]], { ...policy, crls: mutated.slice(2) });
        },
      ),
      { numRuns: 150 },
    );
  });
}

Deno.test("pki: arbitrary bytes as chain, anchors or CRLs are refused with a pki code, never thrown", () => {
  const h = hierarchy("x25519-ed25519");
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 600 }),
      fc.constantFrom("chain", "anchor", "crl"),
      (junk, where) => {
        const code = refused(
          where === "chain" ? [junk] : h.chains[0] as Uint8Array[],
          {
            ...h.policy,
            anchors: where === "anchor" ? [junk] : h.policy.anchors,
            crls: where === "crl" ? [junk] : h.policy.crls,
          },
        );
        assert.match(code, /^pki\//);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("pki: memoisation never changes an answer (PD-82)", () => {
  const h = hierarchy("p256");
  const [ee, int] = h.chains[0];
  const [start, end] = tbsRange(ee);
  const inputs = [
    [ee, int],
    [change(ee, start + 20, 1), int],
    [change(ee, end + 3, 0x10), int],
    [ee],
  ];
  const first = inputs.map((c) => JSON.stringify(validateChain(c, h.policy)));
  const warm = inputs.map((c) => JSON.stringify(validateChain(c, h.policy)));
  clearPkiMemo();
  const cold = inputs.map((c) => JSON.stringify(validateChain(c, h.policy)));
  assert.deepEqual(warm, first);
  assert.deepEqual(cold, first);
});
