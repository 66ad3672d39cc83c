/**
 * The base hierarchy every PKI vector group starts from, and the case
 * records the groups hold. One fixture per suite: a root CA, an issuing
 * intermediate (pathLen 0), an end entity for `ied1@grid.example` with role
 * OPERATOR, and a current CRL from each CA. Cases add forged objects to the
 * group's pool under readable names and refer to them by name.
 *
 * @module
 */
import { toHex } from "../../bytes.ts";
import { SeededEntropy } from "../../entropy.ts";
import type { SuiteId } from "../../crypto/suite.ts";
import { EXTENDED_KEY_USAGE } from "../certificate.ts";
import { DAY, forge, forgeCrl, type Forged } from "./forge.ts";

/** The suites with a vector file each. */
export const PKI_SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];

/** Validation time of every case unless it says otherwise: 2025-06-01T00:00:00Z. */
export const NOW = Date.UTC(2025, 5, 1);
export const EE_JID = "ied1@grid.example";
export const EE_CN = "IED-1 inverter";
export const ORG = "derlink test grid";
/** A serial on every base CRL that belongs to no certificate of the fixture. */
export const UNRELATED_SERIAL = "7f0000000000000000000000000000aa";

/** Objects of the base hierarchy: a case using only these fails because of its policy. */
const BASE_OBJECTS = new Set(["root", "int", "ee", "crl-root", "crl-int"]);

/** What a valid case's identity must be (hex for bytes). */
export interface ExpectedIdentity {
  readonly jid?: string;
  readonly commonName?: string;
  readonly roles: readonly string[];
  readonly suite: SuiteId;
  readonly serial: string;
  readonly publicKey: string;
}

/** One chain-validation case; objects are named in the group's pool. */
export interface PkiCase {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  readonly chain: readonly string[];
  readonly anchors: readonly string[];
  readonly crls: readonly string[];
  readonly now: number;
  readonly expectedJid?: string;
  readonly requiredEku?: readonly string[];
  readonly allowedSuites?: readonly SuiteId[];
  readonly requireCrl?: boolean;
  readonly result: "valid" | "invalid";
  readonly error?: string;
  readonly identity?: ExpectedIdentity;
}

/** The base objects of one suite plus the pool and case list being built. */
export class Fixture {
  readonly e: SeededEntropy;
  readonly root: Forged;
  readonly int: Forged;
  readonly ee: Forged;
  readonly objects = new Map<string, Uint8Array>();
  readonly cases: PkiCase[] = [];
  /** Names of objects whose bytes were changed after signing. */
  readonly mutated = new Set<string>();
  readonly #names = new Map<string, string>();

  constructor(readonly suite: SuiteId, seed: string) {
    this.e = new SeededEntropy(seed);
    this.root = this.forge("root", {
      suite,
      subject: { commonName: "Grid operator root CA", organization: ORG },
      ca: {},
      notBefore: NOW - 365 * DAY,
      notAfter: NOW + 3650 * DAY,
    });
    this.int = this.forge("int", {
      issuer: this.root,
      subject: { commonName: "DER issuing CA", organization: ORG },
      ca: { pathLen: 0 },
      notBefore: NOW - 365 * DAY,
      notAfter: NOW + 1825 * DAY,
    });
    this.ee = this.forge("ee", {
      issuer: this.int,
      subject: { commonName: EE_CN, organization: ORG },
      jids: [EE_JID],
      roles: ["OPERATOR"],
      extendedKeyUsage: [EXTENDED_KEY_USAGE.clientAuth],
    });
    this.add("crl-root", this.crl(this.root));
    this.add("crl-int", this.crl(this.int));
  }

  /** Registers `der` under `name` (or returns the name it already has). */
  add(name: string, der: Uint8Array): string {
    const key = toHex(der);
    const known = this.#names.get(key);
    if (known) return known;
    if (this.objects.has(name)) throw new Error(`object name ${name} used twice`);
    this.objects.set(name, der);
    this.#names.set(key, name);
    return name;
  }

  /** Registers bytes changed after signing (flagged Mutated in the vectors). */
  mutate(name: string, der: Uint8Array): string {
    this.mutated.add(name);
    return this.add(name, der);
  }

  /** Forges a certificate and registers it. */
  forge(name: string, spec: Parameters<typeof forge>[0]): Forged {
    const forged = forge(spec, this.e, NOW);
    this.add(name, forged.der);
    return forged;
  }

  /** A current CRL of `issuer` listing the unrelated serial and `revoked`. */
  crl(issuer: Forged, revoked: readonly string[] = [], spec?: Parameters<typeof forgeCrl>[2]) {
    return forgeCrl(issuer, {
      thisUpdate: NOW - DAY,
      nextUpdate: NOW + DAY,
      revoked: [UNRELATED_SERIAL, ...revoked].map((serial) => ({ serial, date: NOW - DAY })),
    }, spec);
  }

  /** The identity a validation of `cert` must report. */
  identity(cert: Forged, fields: Partial<ExpectedIdentity> = {}): ExpectedIdentity {
    return {
      jid: EE_JID,
      commonName: EE_CN,
      roles: ["OPERATOR"],
      suite: cert.key.suite,
      serial: cert.serialHex,
      publicKey: toHex(cert.key.publicKey),
      ...fields,
    };
  }

  /** Adds a case; unspecified fields are those of the base chain and policy. */
  push(c: Partial<PkiCase> & Pick<PkiCase, "comment" | "spec" | "result">): void {
    const full: PkiCase = {
      flags: [],
      chain: ["ee", "int"],
      anchors: ["root"],
      crls: ["crl-root", "crl-int"],
      now: NOW,
      expectedJid: EE_JID,
      requireCrl: true,
      ...c,
    };
    const names = [...full.chain, ...full.anchors, ...full.crls];
    const flag = full.result === "valid"
      ? "Valid"
      : names.some((n) => this.mutated.has(n))
      ? "Mutated"
      : names.some((n) => !BASE_OBJECTS.has(n))
      ? "Forged"
      : "Policy";
    this.cases.push({ ...full, flags: [flag, ...full.flags] });
  }

  valid(c: Partial<PkiCase> & Pick<PkiCase, "comment" | "spec">, of: Forged = this.ee): void {
    this.push({ identity: this.identity(of), ...c, result: "valid" });
  }

  invalid(error: string, c: Partial<PkiCase> & Pick<PkiCase, "comment" | "spec">): void {
    this.push({ ...c, result: "invalid", error });
  }
}
