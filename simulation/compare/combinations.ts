/**
 * The paper's open design questions as dimensions of one system, and the
 * combinations `deno task compare` runs (PD-235): a baseline, then one
 * dimension changed at a time, then the combinations an attack needs. A
 * value is "built" when the scenario can run it today; every other value is
 * listed on the page as not yet built, with what it waits for — never
 * filled in by hand.
 *
 * Wiring a switch once the scenario can run it: drop the value's `missing`,
 * pass the value into the scenario in run.ts (`scenarioOptions` for a
 * simulation option, the network factory in `runOnce` for a server-side
 * one), and regenerate the documents (`deno task compare`); the attacks
 * then run against it by themselves. apps/options.ts's COMPARE_VALUES maps
 * these value names onto the architecture options.
 *
 * @module
 */
import type { KeyPath } from "../context.ts";

/** One dimension of the comparison (paper section in `source`). */
export interface Dimension {
  readonly id: DimensionId;
  readonly title: string;
  readonly source: string;
  readonly values: readonly DimensionValue[];
}

export type DimensionId = "protection" | "access" | "credentials" | "keyPlacement" | "keyPath";

export interface DimensionValue {
  readonly id: string;
  readonly label: string;
  /** Undefined when built; otherwise what is missing before the scenario can run it. */
  readonly missing?: string;
}

// spec: PD-235 DL-CMP-2
export const DIMENSIONS: readonly Dimension[] = [
  {
    id: "protection",
    title: "end-to-end protection",
    source: "§III.B.1, §IV.A",
    values: [
      { id: "a-profile", label: "A-profile session (62351-4-style)" },
      { id: "per-message", label: "per-message signing (RFC 3923-style)" },
      { id: "none", label: "none (plaintext, test label only)" },
    ],
  },
  {
    id: "access",
    title: "access control",
    source: "§V options 1-3",
    values: [
      { id: "none", label: "none (server routes anything)" },
      { id: "option-1", label: "Option 1: operator ACL at the server" },
      // spec: PD-242 PD-243 DL-CMP-ACC-1
      { id: "option-2", label: "Option 2: login delegated to the operator" },
      { id: "option-3", label: "Option 3: operator tokens checked by the DER" },
    ],
  },
  {
    id: "credentials",
    title: "credential plan",
    source: "§IV.A end, §V",
    values: [
      {
        id: "separate/grid-ca",
        label: "separate: XMPP password + grid-CA certificate end to end",
      },
      // spec: PD-254 DL-CRED-3
      { id: "one/grid-ca", label: "one certificate (grid-operator CA) for TLS and end to end" },
      {
        id: "end-to-end/server-ca",
        label: "end-to-end certificates from the server operator's CA",
      },
      {
        id: "separate/server-ca",
        label: "separate; login certificate from the server operator's CA",
      },
    ],
  },
  {
    id: "keyPlacement",
    title: "group key server",
    source: "§IV.B end",
    values: [
      { id: "separate-kdc", label: "separate key distribution centre" },
      // spec: PD-258 DL-CRED-7
      { id: "vpp", label: "at the VPP/DNO control centre (in its login)" },
    ],
  },
  {
    id: "keyPath",
    title: "group key distribution",
    source: "§V (MUC or not)",
    values: [
      { id: "room", label: "(b) rekeys through the MUC room" },
      { id: "unicast", label: "(a) rekeys to each member directly" },
    ],
  },
];

/** One configuration: a value per dimension. */
export type Combination = Readonly<Record<DimensionId, string>>;

export interface NamedCombination {
  readonly name: string;
  /** Why this one is run. */
  readonly why: string;
  readonly config: Combination;
}

export const BASELINE: Combination = {
  protection: "a-profile",
  access: "none",
  credentials: "separate/grid-ca",
  keyPlacement: "separate-kdc",
  keyPath: "room",
};

/** The documented set: baseline, one dimension at a time, then attack-relevant pairs. */
// spec: PD-235 DL-CMP-2
export function combinations(): NamedCombination[] {
  const out: NamedCombination[] = [{
    name: "baseline",
    why: "the scenario as simulate runs it",
    config: BASELINE,
  }];
  for (const d of DIMENSIONS) {
    for (const v of d.values) {
      if (v.id === BASELINE[d.id]) continue;
      out.push({
        name: `${d.id}=${v.id}`,
        why: `${d.title} changed alone`,
        config: { ...BASELINE, [d.id]: v.id },
      });
    }
  }
  out.push({
    name: "protection=none+access=option-1",
    why: "does the ACL alone keep a stolen DER login off other DERs without end-to-end protection?",
    config: { ...BASELINE, protection: "none", access: "option-1" },
  });
  out.push({
    name: "credentials=one/grid-ca+access=option-1",
    why: "a stolen single credential is also the end-to-end key: what does the ACL still stop?",
    config: { ...BASELINE, credentials: "one/grid-ca", access: "option-1" },
  });
  out.push({
    name: "credentials=end-to-end/server-ca+keyPlacement=vpp",
    why: "the server operator's CA issues the end-to-end certificates: does a key server at the " +
      "VPP keep the group key from it?",
    config: { ...BASELINE, credentials: "end-to-end/server-ca", keyPlacement: "vpp" },
  });
  return out;
}

/** What keeps a combination from running, or undefined when every value is built. */
export function missingFor(c: Combination): string[] {
  const out: string[] = [];
  for (const d of DIMENSIONS) {
    const v = d.values.find((x) => x.id === c[d.id]);
    if (!v) out.push(`${d.id}: unknown value ${c[d.id]}`);
    else if (v.missing) out.push(`${d.title} "${v.label}": ${v.missing}`);
  }
  return out;
}

export const keyPathOf = (c: Combination): KeyPath => c.keyPath as KeyPath;
