/**
 * The simulation's credentials, provisioned before the run as a grid
 * operator would (offline, paper §III.B.2.a): one grid PKI (root and
 * issuing CA) with a certificate per entity — the control centre, the key
 * server, the market operator and every DER, each carrying its JID — used
 * end to end (A-profile, group registration, signed tariffs); and the XMPP
 * server's own TLS certificate under a separate test CA (the server
 * operator's PKI). Issuing 10^4 certificates takes a while, so the result
 * can be kept in a cache file per seed, suite and fleet size; the same seed
 * gives the same certificates either way. That is the default credential
 * plan; the others (`credentials`, credentials.ts, PD-254) are issued by
 * core/pki/credential_plan.ts.
 *
 * @module
 */
import { fromBase64, toBase64 } from "../core/bytes.ts";
import { SeededEntropy } from "../core/entropy.ts";
import type { SuiteId } from "../core/crypto/suite.ts";
import { KeyUsageFlags } from "../core/pki/certificate.ts";
import { createHierarchy } from "../core/pki/hierarchy.ts";
import { createTestCa, issueServerCert } from "../core/pki/testca.ts";
import type { CertificateDer } from "../core/pki/types.ts";
import type { LocalSigner } from "../state-machines/a-profile/types.ts";
import type { CredentialPlan } from "../core/pki/credential_plan.ts";
import { type CredentialsChoice, isDefaultCredentials, provisionPlan } from "./credentials.ts";

/** One entity's certificate chain and signing key. */
export interface Identity {
  /** Bare JID the certificate names. */
  readonly jid: string;
  readonly chain: readonly CertificateDer[];
  readonly signer: LocalSigner;
}

export interface GridPki {
  readonly suite: SuiteId;
  readonly anchors: readonly CertificateDer[];
  readonly crls: readonly Uint8Array[];
  readonly cc: Identity;
  readonly ks: Identity;
  readonly market: Identity;
  readonly ders: readonly Identity[];
}

/** The XMPP server's TLS chain and the anchors clients trust for it. */
export interface XmppServerPki {
  readonly chain: readonly Uint8Array[];
  readonly anchors: readonly Uint8Array[];
}

/** Logins by client certificate (SASL EXTERNAL) instead of passwords. */
export interface LoginCertificates {
  /** What the XMPP server validates client certificates against. */
  readonly anchors: readonly Uint8Array[];
  /** Each account's TLS client chain, by localpart. */
  readonly chains: Readonly<Record<string, readonly Uint8Array[]>>;
}

export interface Provisioned {
  readonly grid: GridPki;
  readonly xmpp: XmppServerPki;
  /** Set when the accounts log in by client certificate (PD-254). */
  readonly logins?: LoginCertificates;
  /** The credential plan the certificates come from; absent for the default grid hierarchy. */
  readonly plan?: CredentialPlan;
  /** True when read from the cache file. */
  readonly cached: boolean;
}

export interface ProvisionOptions {
  readonly seed: string;
  readonly suite: SuiteId;
  readonly domain: string;
  /** Localparts: control centre, key server, market operator, then the DERs. */
  readonly cc: string;
  readonly ks: string;
  readonly market: string;
  readonly ders: readonly string[];
  /** Issue time (the run's start). */
  readonly now: number;
  /** Directory of cache files; none: issue every time. */
  readonly cacheDir?: string;
  /** The credential plan (default separate/grid-ca: this file's grid hierarchy). */
  readonly credentials?: CredentialsChoice;
}

/**
 * Version 2: end-entity certificates carry keyUsage keyAgreement too (per-message
 * encryption, PD-228/PD-248); a version-1 cache file is not reused.
 */
const FORMAT = "derlink-simulation-pki/2";

/**
 * Every entity's end-to-end certificate: signatures (A-profile, group
 * registration, tariffs, per-message) and key agreement (per-message
 * encryption to the certificate key, PD-228), as the credential plan issues
 * them (core/pki/credential_plan.ts).
 */
// spec: PD-248 PD-228
const END_TO_END_USAGE = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement;

/** Issues (or reads back) every credential of the scenario. */
// spec: PD-191
export async function provision(o: ProvisionOptions): Promise<Provisioned> {
  // spec: PD-254
  if (!isDefaultCredentials(o.credentials)) return provisionPlan(o, o.credentials!);
  const file = o.cacheDir === undefined ? undefined : `${o.cacheDir}/${cacheName(o)}`;
  if (file) {
    const hit = await readCache(file);
    if (hit) return { ...hit, cached: true };
  }
  const names = [o.cc, o.ks, o.market, ...o.ders];
  const jid = (l: string) => `${l}@${o.domain}`;
  const h = createHierarchy({
    suite: o.suite,
    now: o.now,
    peers: names.map((n) => ({ commonName: n, jid: jid(n), keyUsage: END_TO_END_USAGE })),
  }, new SeededEntropy(`${o.seed}/grid-pki`));
  const ids: Identity[] = names.map((n, i) => ({
    jid: jid(n),
    chain: h.chains[i],
    signer: { suite: h.peers[i].key.suite, privateKey: h.peers[i].key.privateKey },
  }));
  const grid: GridPki = {
    suite: o.suite,
    anchors: h.policy.anchors,
    crls: h.crls,
    cc: ids[0],
    ks: ids[1],
    market: ids[2],
    ders: ids.slice(3),
  };
  const ca = await createTestCa({
    commonName: "derlink simulation XMPP server CA",
    now: new Date(o.now),
    validityMs: 30 * 86_400_000,
    entropy: new SeededEntropy(`${o.seed}/xmpp-ca`),
  });
  const server = await issueServerCert(ca, { dnsNames: [o.domain] });
  const xmpp: XmppServerPki = {
    chain: [new Uint8Array(server.cert.rawData), new Uint8Array(ca.cert.rawData)],
    anchors: [new Uint8Array(ca.cert.rawData)],
  };
  if (file) await writeCache(file, grid, xmpp);
  return { grid, xmpp, cached: false };
}

function cacheName(o: ProvisionOptions): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");
  // The format's version in the name: files of another version are left alone, not overwritten.
  return `pki-v${FORMAT.split("/")[1]}-${
    safe(o.seed)
  }-${o.suite}-${o.domain}-${o.ders.length}-${o.now}.json`;
}

interface CachedIdentity {
  readonly jid: string;
  readonly chain: readonly string[];
  readonly key: string;
}

const b64 = (bytes: readonly Uint8Array[]) => bytes.map((b) => toBase64(b));
const bin = (texts: readonly string[]) => texts.map((t) => fromBase64(t));

async function writeCache(file: string, grid: GridPki, xmpp: XmppServerPki): Promise<void> {
  const id = (i: Identity): CachedIdentity => ({
    jid: i.jid,
    chain: b64(i.chain),
    key: toBase64(i.signer.privateKey),
  });
  const text = JSON.stringify({
    format: FORMAT,
    suite: grid.suite,
    anchors: b64(grid.anchors),
    crls: b64(grid.crls),
    ids: [grid.cc, grid.ks, grid.market, ...grid.ders].map(id),
    xmpp: { chain: b64(xmpp.chain), anchors: b64(xmpp.anchors) },
  });
  await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
  const tmp = `${file}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, file);
}

async function readCache(file: string): Promise<Omit<Provisioned, "cached"> | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return undefined;
  }
  const c = JSON.parse(text);
  if (c.format !== FORMAT) return undefined;
  // Chains share the issuing CA certificate: keep one copy of its bytes.
  const shared = new Map<string, Uint8Array>();
  const cert = (t: string) => shared.get(t) ?? shared.set(t, fromBase64(t)).get(t)!;
  const ids: Identity[] = c.ids.map((i: CachedIdentity) => ({
    jid: i.jid,
    chain: i.chain.map(cert),
    signer: { suite: c.suite, privateKey: fromBase64(i.key) },
  }));
  return {
    grid: {
      suite: c.suite,
      anchors: bin(c.anchors),
      crls: bin(c.crls),
      cc: ids[0],
      ks: ids[1],
      market: ids[2],
      ders: ids.slice(3),
    },
    xmpp: { chain: bin(c.xmpp.chain), anchors: bin(c.xmpp.anchors) },
  };
}
