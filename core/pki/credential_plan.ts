/**
 * The credential plan (issue 9 item 2, paper §IV.A and §V, PAPER-OPT4): who
 * issues which certificate, and whether one certificate serves both the
 * hop-to-hop TLS link and the end-to-end layers or each has its own.
 *
 * Three plain values (PD-230):
 * - `sharing`: `"separate"` (default) — a TLS client certificate and an
 *   end-to-end certificate per party — or `"shared"`, one certificate for
 *   both;
 * - `endToEndIssuer`: who enrols the end-to-end certificates (A-profile,
 *   per-message, group keying): `"grid-operator"` (default; IEC 62351-9-style
 *   enrolment by the DNO/VPP's CA) or `"xmpp-operator"`;
 * - `tlsIssuer`: who issues the XMPP server's certificate and, when
 *   separate, the clients' TLS certificates: `"xmpp-operator"` (default) or
 *   `"grid-operator"`.
 *
 * The plan issues every certificate (deterministically from a seed) and
 * says what each party must trust for each purpose ({@link trustMatrix}).
 * The consequence that decides between them: whoever holds the end-to-end
 * issuer's CA key can mint a certificate for any DER's JID that control
 * centres accept end to end ({@link mint} is that capability; the test in
 * tests/options/ runs it against real endpoints).
 *
 * @module
 */
import type { EntropySource } from "../entropy.ts";
import { SeededEntropy } from "../entropy.ts";
import { defineErrorCodes, DerlinkError } from "../errors.ts";
import type { SuiteId } from "../crypto/suite.ts";
import {
  createRootCa,
  EXTENDED_KEY_USAGE,
  type IssuedCertificate,
  issueEndEntity,
  KeyUsageFlags,
} from "./certificate.ts";
import { createCrl } from "./crl.ts";
import type { CertificateDer } from "./types.ts";

export const CredentialPlanError = defineErrorCodes("credentials", {
  "invalid-plan": "a credential plan value is not one of the defined options",
  "unsupported-tls-suite":
    "one certificate for TLS and end to end needs a suite TLS peers support (p256 or x25519-ed25519)",
  "unknown-party": "the plan has no party of that name",
});

export type Issuer = "grid-operator" | "xmpp-operator";
export type CredentialSharing = "shared" | "separate";

export interface CredentialPlanOptions {
  readonly sharing: CredentialSharing;
  readonly endToEndIssuer: Issuer;
  readonly tlsIssuer: Issuer;
}

// spec: PD-230 PAPER-OPT4
export const DEFAULT_CREDENTIAL_PLAN: CredentialPlanOptions = Object.freeze({
  sharing: "separate",
  endToEndIssuer: "grid-operator",
  tlsIssuer: "xmpp-operator",
});

export const ISSUERS: readonly Issuer[] = ["grid-operator", "xmpp-operator"];
export const SHARINGS: readonly CredentialSharing[] = ["separate", "shared"];

/** A certificate chain with its key (the key is secret: test and simulation material only). */
export interface Credential {
  readonly chain: readonly CertificateDer[];
  readonly key: { readonly suite: SuiteId; readonly privateKey: Uint8Array };
}

export type PartyRole = "control-centre" | "der" | "key-server" | "market";

export interface PartySpec {
  readonly name: string;
  readonly jid: string;
  readonly role: PartyRole;
}

export interface PartyCredentials extends PartySpec {
  readonly endToEnd: Credential;
  /** The TLS client certificate: the very same object as `endToEnd` when shared. */
  readonly tls: Credential;
  /** Anchors for end-to-end peers (A-profile, per-message, group keying, signed tariffs). */
  readonly endToEndAnchors: readonly CertificateDer[];
  /** Anchors for the XMPP server's TLS certificate. */
  readonly tlsAnchors: readonly CertificateDer[];
}

/** An operator's CA; its key is what a compromise of that operator hands over. */
export interface Operator {
  readonly root: IssuedCertificate;
  readonly crl: Uint8Array;
}

export interface CredentialPlan {
  readonly options: CredentialPlanOptions;
  readonly suite: SuiteId;
  readonly domain: string;
  readonly now: number;
  readonly operators: Readonly<Record<Issuer, Operator>>;
  readonly parties: Readonly<Record<string, PartyCredentials>>;
  /** CRLs for end-to-end validation (the end-to-end issuer's). */
  readonly endToEndCrls: readonly Uint8Array[];
  readonly server: {
    readonly tls: Credential;
    /** Anchors the server uses to authenticate client certificates. */
    readonly clientAnchors: readonly CertificateDer[];
    /**
     * True when the clients' TLS certificates come from the grid operator's CA while
     * another operator runs the server: the server then needs the grid operator's
     * list of admitted JIDs (paper §IV.A), since that CA vouches for parties the
     * server has no contract with.
     */
    readonly needsAccessList: boolean;
  };
}

export interface PlanRequest {
  readonly options?: Partial<CredentialPlanOptions>;
  /** Suite of the end-to-end keys (TLS keys are P-256 unless shared). */
  readonly suite: SuiteId;
  /** The XMPP domain: the server certificate's DNS name. */
  readonly domain: string;
  readonly parties: readonly PartySpec[];
  /** Issue time (ms); certificates are valid from a day before for a year. */
  readonly now: number;
  readonly seed: string;
}

const DAY = 86_400_000;
const TLS_SUITES: readonly SuiteId[] = ["p256", "x25519-ed25519"];
/** End-to-end keys sign and are the per-message encryption recipients (PD-228). */
const END_TO_END_USAGE = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement;
const TLS_CLIENT_EKU = [EXTENDED_KEY_USAGE.clientAuth, EXTENDED_KEY_USAGE.serverAuth];

function resolve(o: Partial<CredentialPlanOptions> = {}): CredentialPlanOptions {
  const options = { ...DEFAULT_CREDENTIAL_PLAN, ...o };
  const bad = (what: string) => new DerlinkError(CredentialPlanError["invalid-plan"], what);
  if (!SHARINGS.includes(options.sharing)) throw bad(`sharing ${options.sharing}`);
  if (!ISSUERS.includes(options.endToEndIssuer)) {
    throw bad(`endToEndIssuer ${options.endToEndIssuer}`);
  }
  if (!ISSUERS.includes(options.tlsIssuer)) throw bad(`tlsIssuer ${options.tlsIssuer}`);
  return options;
}

const NAMES: Readonly<Record<Issuer, string>> = {
  "grid-operator": "grid operator (DNO/VPP) CA",
  "xmpp-operator": "XMPP server operator CA",
};

function operator(issuer: Issuer, suite: SuiteId, now: number, e: EntropySource): Operator {
  const root = createRootCa(suite, {
    subject: { commonName: NAMES[issuer], organization: issuer },
    notBefore: now - DAY,
    notAfter: now + 3650 * DAY,
  }, e);
  return { root, crl: createCrl(root, { thisUpdate: now - DAY, nextUpdate: now + DAY }) };
}

const credentialOf = (c: IssuedCertificate): Credential => ({
  chain: [c.der],
  key: { suite: c.key.suite, privateKey: c.key.privateKey },
});

/** Issues every certificate of the plan. */
// spec: PD-230 PAPER-OPT4 PAPER-M1 PAPER-M2
export function issuePlan(request: PlanRequest): CredentialPlan {
  const options = resolve(request.options);
  const shared = options.sharing === "shared";
  if (shared && !TLS_SUITES.includes(request.suite)) {
    throw new DerlinkError(CredentialPlanError["unsupported-tls-suite"], request.suite);
  }
  const e = new SeededEntropy(`credential plan ${request.seed}`);
  // Both operators run a CA. TLS material is P-256 unless it is the end-to-end certificate, and
  // a CA that signs TLS certificates has a key TLS stacks can verify (rustls has no brainpool).
  const tlsSuite: SuiteId = shared ? request.suite : "p256";
  const clientIssuer: Issuer = shared ? options.endToEndIssuer : options.tlsIssuer;
  const caSuite = (issuer: Issuer): SuiteId =>
    issuer === options.tlsIssuer || issuer === clientIssuer ? tlsSuite : request.suite;
  const operators = {
    "grid-operator": operator(
      "grid-operator",
      caSuite("grid-operator"),
      request.now,
      e.fork("grid"),
    ),
    "xmpp-operator": operator(
      "xmpp-operator",
      caSuite("xmpp-operator"),
      request.now,
      e.fork("xmpp"),
    ),
  };
  const validity = { notBefore: request.now - DAY, notAfter: request.now + 365 * DAY };
  const e2eCa = operators[options.endToEndIssuer].root;
  const tlsCa = operators[options.tlsIssuer].root;
  const parties: Record<string, PartyCredentials> = {};
  for (const p of request.parties) {
    const pe = e.fork(`party ${p.name}`);
    const e2e = issueEndEntity(e2eCa, {
      subject: { commonName: p.name, organization: options.endToEndIssuer },
      jids: [p.jid],
      suite: request.suite,
      keyUsage: END_TO_END_USAGE,
      // spec: PD-51
      extendedKeyUsage: shared ? TLS_CLIENT_EKU : undefined,
      ...validity,
    }, pe);
    const endToEnd = credentialOf(e2e);
    const tls = shared ? endToEnd : credentialOf(
      issueEndEntity(tlsCa, {
        subject: { commonName: p.jid, organization: options.tlsIssuer },
        jids: [p.jid],
        suite: "p256",
        extendedKeyUsage: TLS_CLIENT_EKU,
        ...validity,
      }, pe.fork("tls")),
    );
    parties[p.name] = {
      ...p,
      endToEnd,
      tls,
      endToEndAnchors: [e2eCa.der],
      tlsAnchors: [tlsCa.der],
    };
  }
  const serverCert = issueEndEntity(tlsCa, {
    subject: { commonName: request.domain, organization: options.tlsIssuer },
    dnsNames: [request.domain, "localhost"],
    suite: tlsSuite,
    extendedKeyUsage: [EXTENDED_KEY_USAGE.serverAuth],
    ...validity,
  }, e.fork("server"));
  return {
    options,
    suite: request.suite,
    domain: request.domain,
    now: request.now,
    operators,
    parties,
    endToEndCrls: [operators[options.endToEndIssuer].crl],
    server: {
      tls: credentialOf(serverCert),
      clientAnchors: [operators[clientIssuer].root.der],
      needsAccessList: clientIssuer === "grid-operator",
    },
  };
}

/** One party's credentials; throws `credentials/unknown-party`. */
export function partyOf(plan: CredentialPlan, name: string): PartyCredentials {
  const p = plan.parties[name];
  if (!p) throw new DerlinkError(CredentialPlanError["unknown-party"], name);
  return p;
}

/**
 * What an operator holding its CA key can do: issue a certificate for any
 * JID (for example a DER's). Whether anyone accepts it end to end depends
 * only on the plan's end-to-end issuer.
 */
export function mint(plan: CredentialPlan, by: Issuer, jid: string, seed: string): Credential {
  const root = plan.operators[by].root;
  const c = issueEndEntity(root, {
    subject: { commonName: `minted for ${jid}`, organization: by },
    jids: [jid],
    suite: plan.suite,
    keyUsage: END_TO_END_USAGE,
    notBefore: plan.now - DAY,
    notAfter: plan.now + 30 * DAY,
  }, new SeededEntropy(`mint ${seed}`));
  return credentialOf(c);
}

export type Purpose = "tls-server-auth" | "tls-client-auth" | "end-to-end";

export interface TrustRow {
  /** Who verifies. */
  readonly verifier: PartyRole | "xmpp-server";
  readonly purpose: Purpose;
  /** The operators whose CA the verifier must hold as anchor for this purpose. */
  readonly trusts: Issuer;
  /** Whose certificates it checks this way. */
  readonly of: string;
}

/** What each party must trust under the plan, for each purpose. */
// spec: PD-230 PAPER-M2 PAPER-TA2 PAPER-TA5
export function trustMatrix(options: Partial<CredentialPlanOptions> = {}): TrustRow[] {
  const o = resolve(options);
  const clientIssuer: Issuer = o.sharing === "shared" ? o.endToEndIssuer : o.tlsIssuer;
  const rows: TrustRow[] = [];
  for (const verifier of ["der", "control-centre", "key-server", "market"] as const) {
    rows.push({ verifier, purpose: "tls-server-auth", trusts: o.tlsIssuer, of: "the XMPP server" });
    rows.push({
      verifier,
      purpose: "end-to-end",
      trusts: o.endToEndIssuer,
      of: verifier === "der"
        ? "control centres, key server, market"
        : "DERs and the other grid parties",
    });
  }
  rows.push({
    verifier: "xmpp-server",
    purpose: "tls-client-auth",
    trusts: clientIssuer,
    of: "every client (DERs, control centres, key server, market)",
  });
  return rows;
}

/** The operators able to impersonate any party end to end under the plan. */
export const endToEndImpersonators = (options: Partial<CredentialPlanOptions> = {}): Issuer[] => [
  resolve(options).endToEndIssuer,
];
