/**
 * The TLS side of a credential plan as files and settings: PEM certificates
 * and PKCS#8 keys for the XMPP server (a harness writes them for Prosody or
 * ejabberd) and, for each client, the trust settings of the transport
 * adapters (`adapters/tls_trust.ts` TlsTrust: anchors, server name, client
 * certificate). Keys go through WebCrypto's JWK import to get their PKCS#8
 * form, hence async.
 *
 * @module
 */
import { DerlinkError } from "../errors.ts";
import { getSuite } from "../crypto/suite.ts";
import { x509 } from "./peculiar.ts";
import { certificatePem } from "./pem.ts";
import {
  type Credential,
  type CredentialPlan,
  CredentialPlanError,
  partyOf,
} from "./credential_plan.ts";

const b64u = (b: Uint8Array) => b.toBase64({ alphabet: "base64url", omitPadding: true });

/** A certificate key as PKCS#8 PEM ("PRIVATE KEY"). Secret: write it only where it is needed. */
// spec: PD-230
export async function pkcs8Pem(key: Credential["key"]): Promise<string> {
  const pub = getSuite(key.suite).sig.publicFromPrivate(key.privateKey);
  let jwk: JsonWebKey, algorithm: EcKeyImportParams | Algorithm;
  if (key.suite === "p256") {
    jwk = {
      kty: "EC",
      crv: "P-256",
      d: b64u(key.privateKey),
      x: b64u(pub.slice(1, 33)),
      y: b64u(pub.slice(33)),
    };
    algorithm = { name: "ECDSA", namedCurve: "P-256" };
  } else if (key.suite === "x25519-ed25519") {
    jwk = { kty: "OKP", crv: "Ed25519", d: b64u(key.privateKey), x: b64u(pub) };
    algorithm = { name: "Ed25519" };
  } else {
    throw new DerlinkError(CredentialPlanError["unsupported-tls-suite"], key.suite);
  }
  const imported = await crypto.subtle.importKey("jwk", jwk, algorithm, true, ["sign"]);
  const der = await crypto.subtle.exportKey("pkcs8", imported);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

/** The transport settings of a client under the plan (the shape of the adapters' TlsTrust). */
export async function clientTls(plan: CredentialPlan, name: string) {
  const p = partyOf(plan, name);
  return {
    anchors: p.tlsAnchors.map((a) => certificatePem(a)),
    serverName: plan.domain,
    clientCertificate: {
      certPem: certificatePem(...p.tls.chain),
      keyPem: await pkcs8Pem(p.tls.key),
    },
  };
}

/** The XMPP server's files: its certificate and key, and the CA certificates it accepts clients of. */
export async function serverTls(plan: CredentialPlan) {
  return {
    certPem: certificatePem(...plan.server.tls.chain),
    keyPem: await pkcs8Pem(plan.server.tls.key),
    clientCaPem: certificatePem(...plan.server.clientAnchors),
  };
}
