/**
 * Trust configuration of a TLS client connection and the pin check done
 * after every handshake.
 *
 * The TLS stack already verifies the chain and the server name. The pin
 * check repeats the part that matters most for derlink with the project's
 * own path validation (core/pki validateChain, RFC 5280): the chain the
 * server presented must validate up to one of the configured trust anchors,
 * and to nothing else, with extended key usage serverAuth. Deno's own TLS
 * adds `caCerts` to the system roots instead of replacing them (measured,
 * docs/adapters.md), so without this check any publicly trusted certificate
 * for the name would pass.
 *
 * @module
 */
import { DerlinkError, fail, ok, type Result } from "../core/errors.ts";
import { EXTENDED_KEY_USAGE, fromPem, validateChain } from "../core/pki/mod.ts";
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

const invalid = (detail: string) => new DerlinkError(AdapterError["invalid-config"], detail);

/** Decodes the anchors (DER); throws `adapter/invalid-config` on an empty list or bad PEM. */
export function parseAnchors(pems: readonly string[]): Uint8Array[] {
  if (pems.length === 0) throw invalid("at least one trust anchor is required");
  return pems.map((pem, i) => {
    let ders: Uint8Array[];
    try {
      ders = fromPem(pem);
    } catch {
      throw invalid(`trust anchor ${i} is not a PEM certificate`);
    }
    if (ders.length !== 1) throw invalid(`trust anchor ${i} must hold exactly one certificate`);
    return ders[0];
  });
}

/**
 * Checks that `chain` (DER, end entity first, as the server sent it)
 * validates up to one of `anchors` (DER) at `now`, for serverAuth. A
 * failure is `adapter/untrusted-peer` with the PKI module's code in the
 * detail.
 */
// spec: DL-ADAPTER-3 PAPER-R1 PAPER-M1
export function checkPeerChain(
  chain: readonly Uint8Array[],
  anchors: readonly Uint8Array[],
  now: Date,
): Result<void> {
  if (chain.length === 0) {
    return fail(AdapterError["untrusted-peer"], "the server presented no certificate");
  }
  const r = validateChain(chain, {
    anchors,
    now: now.getTime(),
    requiredEku: [EXTENDED_KEY_USAGE.serverAuth],
  });
  if (!r.ok) return fail(AdapterError["untrusted-peer"], `${r.error.code}: ${r.error.detail}`);
  return ok(undefined);
}
