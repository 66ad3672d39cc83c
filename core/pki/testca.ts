/**
 * Run-specific test PKI: one throw-away CA and the end-entity certificates a
 * test run needs (an XMPP server certificate, client certificates carrying a
 * JID), all fresh per run and never persisted beyond it.
 *
 * Everything is X.509 v3 with ECDSA P-256 / SHA-256 keys made by WebCrypto.
 * Client certificates carry the JID as an otherName of type id-on-xmppAddr
 * (RFC 6120 §13.7.1.4), and both extended key usages, because Prosody checks
 * a client's certificate with the *server* purpose (see PD-51).
 *
 * This is test infrastructure, not a certificate authority for deployment:
 * the CA key lives in memory and in the caller's temp dir only.
 *
 * @module
 */

import { defineErrorCodes, DerlinkError } from "../errors.ts";
import { type EntropySource, systemEntropy } from "../entropy.ts";
import { toHex } from "../bytes.ts";
import { tryParseJid } from "../jid.ts";
import { AsnConvert, AsnUtf8StringConverter, asnX509, x509 } from "./peculiar.ts";

/** Failure codes of the test PKI. */
export const TestCaError = defineErrorCodes("testca", {
  "invalid-name": "a subject name, DNS name or JID given to the test CA is empty or malformed",
  "invalid-ip": "an IP address given to the test CA is not an IPv4 or IPv6 literal",
});

/** OID of the otherName that carries an XMPP address (RFC 6120 §13.7.1.4). */
export const ID_ON_XMPP_ADDR = "1.3.6.1.5.5.7.8.5";
const ID_CE_SUBJECT_ALT_NAME = "2.5.29.17";

/** Extended key usage OIDs the test PKI sets. */
export const EKU = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth as string,
  clientAuth: x509.ExtendedKeyUsage.clientAuth as string,
} as const;

const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;
const CLOCK_SKEW_MS = 5 * 60_000;
const DEFAULT_VALIDITY_MS = 24 * 3600_000;

/** A certificate with its key pair, in parsed and PEM form. */
export interface IssuedCert {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  /** PKCS#8 PEM ("PRIVATE KEY"). Secret: write it only into the run's temp dir. */
  readonly keyPem: string;
  readonly keys: CryptoKeyPair;
}

/** A test CA: its own certificate and key, plus what it needs to issue. */
export interface TestCa extends IssuedCert {
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly entropy: EntropySource;
}

/** Options common to every certificate the test CA makes. */
export interface TestCaOptions {
  /** Subject CN of the CA. Default "derlink test CA <random>". */
  readonly commonName?: string;
  /** Start of validity; certificates are valid from five minutes before. Default now. */
  readonly now?: Date;
  /** Validity in milliseconds. Default one day. */
  readonly validityMs?: number;
  /** Source of serial numbers. Default the system CSPRNG. */
  readonly entropy?: EntropySource;
}

/** What a server certificate names. */
export interface ServerCertOptions {
  /** DNS names for subjectAltName, e.g. ["derlink.test", "localhost"]. The first is the CN. */
  readonly dnsNames: readonly string[];
  /** IP literals for subjectAltName, e.g. ["127.0.0.1"]. */
  readonly ipAddresses?: readonly string[];
}

/** What a client certificate names. */
export interface ClientCertOptions {
  /** The XMPP address (bare JID) the certificate authenticates. */
  readonly jid: string;
}

/** Creates a fresh self-signed CA. */
export async function createTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const entropy = options.entropy ?? systemEntropy;
  const now = options.now ?? new Date();
  const validFrom = new Date(now.getTime() - CLOCK_SKEW_MS);
  const validTo = new Date(now.getTime() + (options.validityMs ?? DEFAULT_VALIDITY_MS));
  const commonName = options.commonName ?? `derlink test CA ${toHex(entropy.bytes(4))}`;
  checkName(commonName, "CA common name");
  const keys = await newKeyPair();
  // spec: DL-TESTCA-1 DL-TESTCA-2 PD-50
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(entropy),
    name: commonNameOf(commonName),
    notBefore: validFrom,
    notAfter: validTo,
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { ...(await bundle(cert, keys)), validFrom, validTo, entropy };
}

/** Issues a TLS server certificate for the XMPP domain (and e.g. localhost, 127.0.0.1). */
export async function issueServerCert(ca: TestCa, options: ServerCertOptions): Promise<IssuedCert> {
  if (options.dnsNames.length === 0) {
    throw new DerlinkError(TestCaError["invalid-name"], "a server certificate needs a DNS name");
  }
  const names: asnX509.GeneralName[] = [];
  for (const dns of options.dnsNames) {
    checkName(dns, "DNS name");
    names.push(new asnX509.GeneralName({ dNSName: dns }));
  }
  for (const ip of options.ipAddresses ?? []) {
    checkIp(ip);
    names.push(new asnX509.GeneralName({ iPAddress: ip }));
  }
  // spec: DL-TESTCA-3
  return await issue(ca, options.dnsNames[0], names, [EKU.serverAuth]);
}

/** Issues a client certificate whose subjectAltName carries `jid` as id-on-xmppAddr. */
export async function issueClientCert(ca: TestCa, options: ClientCertOptions): Promise<IssuedCert> {
  checkName(options.jid, "JID");
  // Only a real JID goes into xmppAddr (RFC 6120 §13.7.1.4); x509's name handling chokes on some non-JIDs.
  if (!tryParseJid(options.jid).ok) {
    throw new DerlinkError(TestCaError["invalid-name"], "the JID is not a valid RFC 7622 address");
  }
  // spec: DL-TESTCA-4
  const xmppAddr = new asnX509.GeneralName({
    otherName: new asnX509.OtherName({
      typeId: ID_ON_XMPP_ADDR,
      value: AsnConvert.serialize(AsnUtf8StringConverter.toASN(options.jid)),
    }),
  });
  // spec: DL-TESTCA-5 PD-51
  return await issue(ca, options.jid, [xmppAddr], [EKU.clientAuth, EKU.serverAuth]);
}

/** The names in a certificate's subjectAltName, by kind. Unknown kinds are ignored. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ip: readonly string[];
  /** id-on-xmppAddr values that are UTF8Strings, as RFC 6120 §13.7.1.4 requires. */
  readonly xmppAddr: readonly string[];
}

/** Reads the subjectAltName of `cert` (empty lists when it has none). */
export function subjectAltNamesOf(cert: x509.X509Certificate): SubjectAltNames {
  const dns: string[] = [];
  const ip: string[] = [];
  const xmppAddr: string[] = [];
  const ext = cert.extensions.find((e) => e.type === ID_CE_SUBJECT_ALT_NAME);
  if (ext) {
    const names = AsnConvert.parse(ext.value, asnX509.SubjectAlternativeName);
    for (const name of names) {
      if (name.dNSName !== undefined) dns.push(name.dNSName);
      else if (name.iPAddress !== undefined) ip.push(name.iPAddress);
      else if (name.otherName?.typeId === ID_ON_XMPP_ADDR) {
        const text = AsnConvert.parse(name.otherName.value, asnX509.DirectoryString);
        if (text.utf8String !== undefined) xmppAddr.push(text.utf8String);
      }
    }
  }
  return { dns, ip, xmppAddr };
}

/** The extended key usage OIDs of `cert` (empty when it has none). */
export function extendedKeyUsagesOf(cert: x509.X509Certificate): readonly string[] {
  const ext = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return ext ? Array.from(ext.usages, String) : [];
}

async function issue(
  ca: TestCa,
  commonName: string,
  altNames: asnX509.GeneralName[],
  usages: readonly string[],
): Promise<IssuedCert> {
  const keys = await newKeyPair();
  // spec: DL-TESTCA-1 PD-50
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(ca.entropy),
    subject: commonNameOf(commonName),
    issuer: ca.cert.subjectName,
    notBefore: ca.validFrom,
    notAfter: ca.validTo,
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([...usages], false),
      new x509.Extension(
        ID_CE_SUBJECT_ALT_NAME,
        false,
        AsnConvert.serialize(new asnX509.SubjectAlternativeName(altNames)),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return await bundle(cert, keys);
}

/** A subject of one UTF8String CN: x509 reads a plain string value starting with "#" as hex (RFC 4514). */
function commonNameOf(commonName: string): x509.Name {
  return new x509.Name([{ CN: [{ utf8String: commonName }] }]);
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
}

async function bundle(cert: x509.X509Certificate, keys: CryptoKeyPair): Promise<IssuedCert> {
  // spec: DL-TESTCA-6
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    cert,
    certPem: cert.toString("pem") + "\n",
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") + "\n",
    keys,
  };
}

/** A positive 128-bit serial (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
function serial(entropy: EntropySource): string {
  const bytes = entropy.bytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return toHex(bytes);
}

function checkName(value: string, what: string): void {
  // Control characters and surrounding blanks never belong in these names.
  // deno-lint-ignore no-control-regex
  if (value.length === 0 || value.trim() !== value || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new DerlinkError(TestCaError["invalid-name"], `${what} is empty or malformed`);
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function checkIp(value: string): void {
  if (IPV4.test(value)) return;
  // IPv6: let the URL parser judge the literal.
  if (value.includes(":")) {
    try {
      new URL(`http://[${value}]/`);
      return;
    } catch {
      // fall through
    }
  }
  throw new DerlinkError(TestCaError["invalid-ip"], `not an IP literal: ${value}`);
}
