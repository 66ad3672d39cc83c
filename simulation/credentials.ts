/**
 * The simulation's credential plans (issue 9 item 2, paper §IV.A end and §V,
 * PD-254): who issues the end-to-end certificates, and how each party logs
 * in to the XMPP server. Four choices, named as `deno task compare` names
 * them:
 *
 * - `separate/grid-ca` (default): an XMPP password per account (SCRAM) and
 *   an end-to-end certificate from the grid operator's PKI — the plan the
 *   simulation always ran (pki.ts's grid hierarchy, unchanged, so its
 *   digest stays the same);
 * - `one/grid-ca`: one certificate from the grid operator's CA per party,
 *   for the TLS login (client certificate, SASL EXTERNAL) and end to end;
 * - `end-to-end/server-ca`: XMPP passwords, end-to-end certificates from
 *   the XMPP server operator's CA;
 * - `separate/server-ca`: a login certificate from the server operator's CA
 *   (SASL EXTERNAL instead of a password), end to end from the grid CA.
 *
 * Every choice but the default is issued by core/pki/credential_plan.ts's
 * `issuePlan` (the options apps/options.ts's COMPARE_VALUES names), and the
 * plan is kept with the result: its operators' CA keys are what an attack by
 * an operator uses (simulation/compare). Certificate logins need a network
 * that validates client certificates (memory_network.ts).
 *
 * @module
 */
import { COMPARE_VALUES } from "../apps/options.ts";
import {
  type CredentialPlan,
  type CredentialPlanOptions,
  issuePlan,
  type PartyCredentials,
  type PartyRole,
} from "../core/pki/credential_plan.ts";
import type { GridPki, Identity, LoginCertificates, Provisioned, ProvisionOptions } from "./pki.ts";

export type CredentialsChoice =
  | "separate/grid-ca"
  | "one/grid-ca"
  | "end-to-end/server-ca"
  | "separate/server-ca";

export type LoginMethod = "password" | "certificate";

export const DEFAULT_CREDENTIALS: CredentialsChoice = "separate/grid-ca";

/** The login method of each choice (the certificate plan is COMPARE_VALUES.credentials'). */
// spec: PD-254 PAPER-OPT4
export const LOGIN_OF: Readonly<Record<CredentialsChoice, LoginMethod>> = {
  "separate/grid-ca": "password",
  "one/grid-ca": "certificate",
  "end-to-end/server-ca": "password",
  "separate/server-ca": "certificate",
};

export const CREDENTIAL_CHOICES = Object.keys(LOGIN_OF) as readonly CredentialsChoice[];

export const isCredentialsChoice = (v: string): v is CredentialsChoice =>
  (CREDENTIAL_CHOICES as readonly string[]).includes(v);

/** The credential plan options of a choice. */
export const planOptionsOf = (c: CredentialsChoice): CredentialPlanOptions =>
  COMPARE_VALUES.credentials[c];

/** Whether the choice is the grid hierarchy the simulation always used. */
export const isDefaultCredentials = (c: CredentialsChoice | undefined) =>
  c === undefined || c === DEFAULT_CREDENTIALS;

const issued = new Map<string, Omit<Provisioned, "cached">>();

/** Issues every credential of a non-default choice (kept per process: the same seed, the same certificates). */
// spec: PD-254 PD-230 PAPER-OPT4
export function provisionPlan(
  o: ProvisionOptions,
  choice: CredentialsChoice,
): Provisioned {
  const key = JSON.stringify([
    choice,
    o.seed,
    o.suite,
    o.domain,
    o.now,
    o.cc,
    o.ks,
    o.market,
    o.ders,
  ]);
  const hit = issued.get(key);
  if (hit) return { ...hit, cached: true };
  const party = (name: string, role: PartyRole) => ({ name, jid: `${name}@${o.domain}`, role });
  const plan = issuePlan({
    options: planOptionsOf(choice),
    suite: o.suite,
    domain: o.domain,
    now: o.now,
    seed: o.seed,
    parties: [
      party(o.cc, "control-centre"),
      party(o.ks, "key-server"),
      party(o.market, "market"),
      ...o.ders.map((d) => party(d, "der")),
    ],
  });
  const out = fromPlan(plan, o, LOGIN_OF[choice]);
  issued.set(key, out);
  return { ...out, cached: false };
}

const identityOf = (p: PartyCredentials): Identity => ({
  jid: p.jid,
  chain: p.endToEnd.chain,
  signer: { suite: p.endToEnd.key.suite, privateKey: p.endToEnd.key.privateKey },
});

function fromPlan(
  plan: CredentialPlan,
  o: ProvisionOptions,
  login: LoginMethod,
): Omit<Provisioned, "cached"> {
  const p = (name: string) => plan.parties[name];
  const cc = p(o.cc);
  const grid: GridPki = {
    suite: plan.suite,
    anchors: cc.endToEndAnchors,
    crls: plan.endToEndCrls,
    cc: identityOf(cc),
    ks: identityOf(p(o.ks)),
    market: identityOf(p(o.market)),
    ders: o.ders.map((d) => identityOf(p(d))),
  };
  // spec: PD-254 PD-255 DL-CRED-2
  const logins: LoginCertificates | undefined = login === "certificate"
    ? {
      anchors: plan.server.clientAnchors,
      chains: Object.fromEntries(Object.values(plan.parties).map((x) => [x.name, x.tls.chain])),
    }
    : undefined;
  return {
    grid,
    xmpp: { chain: plan.server.tls.chain, anchors: cc.tlsAnchors },
    ...(logins ? { logins } : {}),
    plan,
  };
}
