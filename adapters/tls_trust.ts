/**
 * Trust configuration of a TLS client connection and the pin check done
 * after every handshake.
 *
 * The TLS stack already verifies the chain and the server name. The pin
 * check repeats the part that matters most for derlink: the chain the server
 * presented must lead, by signatures, to one of the configured trust
 * anchors and to nothing else. Deno's own TLS adds `caCerts` to the system
 * roots instead of replacing them (measured, docs/adapters.md), so without
 * this check any publicly trusted certificate for the name would pass.
 *
 * @module
 */
import { DerlinkError, fail, ok, type Result } from "../core/errors.ts";
import { x509 } from "../core/pki/peculiar.ts";
import { AdapterError } from "./errors.ts";

/** A client certificate and its PKCS#8 key, PEM. The key is secret: never log it. */
export interface ClientCredential {
  readonly certPem: string;
  readonly keyPem: string;
}

/** What a TLS client trusts and checks. */
export interface TlsTrust {
  /** Trust anchors (PEM certificates). Only these; never the system roots (PD-100). */
  readonly anchors: readonly string[];
  /** The name the server certificate must carry (SNI and RFC 6125 check); the JID's domain. */
  readonly serverName: string;
  /** Presented during the handshake when set (R1 mutual authentication). */
  readonly clientCertificate?: ClientCredential;
}

/** Parses the anchors once; throws `adapter/invalid-config` on an empty list or bad PEM. */
export function parseAnchors(pems: readonly string[]): x509.X509Certificate[] {
  if (pems.length === 0) {
    throw invalid("at least one trust anchor is required");
  }
  return pems.map((pem, i) => {
    try {
      return new x509.X509Certificate(pem);
    } catch {
      throw invalid(`trust anchor ${i} is not a PEM certificate`);
    }
  });
}

const invalid = (detail: string) => new DerlinkError(AdapterError["invalid-config"], detail);

/**
 * Checks that `chain` (DER, end entity first, as the server sent it) leads to
 * one of `anchors`: each certificate is signed by the next one or by an
 * anchor, and every certificate up to the anchor is valid at `now`.
 */
// spec: DL-ADAPTER-3 PAPER-R1 PAPER-M1
export async function checkPeerChain(
  chain: readonly Uint8Array[],
  anchors: readonly x509.X509Certificate[],
  now: Date,
): Promise<Result<void>> {
  if (chain.length === 0) {
    return fail(AdapterError["untrusted-peer"], "the server presented no certificate");
  }
  let certs: x509.X509Certificate[];
  try {
    certs = chain.map((der) => new x509.X509Certificate(der as Uint8Array<ArrayBuffer>));
  } catch {
    return fail(AdapterError["untrusted-peer"], "the server's certificate does not parse");
  }
  for (let i = 0; i < certs.length; i++) {
    const cert = certs[i];
    if (now < cert.notBefore || now > cert.notAfter) {
      return fail(AdapterError["untrusted-peer"], `certificate ${i} is outside its validity`);
    }
    for (const anchor of anchors) {
      if (await signedBy(cert, anchor)) return ok(undefined);
    }
    const next = certs[i + 1];
    if (!next || !(await signedBy(cert, next))) break;
  }
  return fail(
    AdapterError["untrusted-peer"],
    "the certificate chain does not lead to a configured trust anchor",
  );
}

async function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate) {
  if (cert.issuer !== issuer.subject) return false;
  try {
    return await cert.verify({ publicKey: issuer, signatureOnly: true });
  } catch {
    return false;
  }
}
