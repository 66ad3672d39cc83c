/**
 * PEM text for certificates and CRLs (RFC 7468), for tools that read files:
 * OpenSSL in the interop tests, XMPP servers, operators. Encoding and
 * decoding are @peculiar/x509's PemConverter.
 *
 * @module
 */
import { x509 } from "./peculiar.ts";
import type { CertificateDer } from "./types.ts";
import { bufferOf } from "./algorithms.ts";

/** One or more certificates as PEM, each block ending in a newline. */
export function certificatePem(...ders: CertificateDer[]): string {
  return ders.map((d) => x509.PemConverter.encode(bufferOf(d), "CERTIFICATE") + "\n").join("");
}

/** One or more CRLs as PEM ("X509 CRL" blocks). */
export function crlPem(...ders: Uint8Array[]): string {
  return ders.map((d) => x509.PemConverter.encode(bufferOf(d), "X509 CRL") + "\n").join("");
}

/** Every DER block of a PEM text, in order. */
export function fromPem(text: string): Uint8Array[] {
  return x509.PemConverter.decode(text).map((b) => new Uint8Array(b));
}
