/**
 * Mechanism negotiation (RFC 6120 §6.3.3-6.3.4, RFC 5802 §6).
 *
 * The client walks its own preference list, never the server's order, and
 * takes the first offered mechanism that local policy allows here: -PLUS
 * only with binding data the server accepts, PLAIN only over TLS and only
 * when enabled, EXTERNAL only with a client certificate. It never falls back
 * to a mechanism outside its list, and when what is left is only what policy
 * forbids it says `sasl/mechanism-too-weak` instead of picking it.
 *
 * The server side lists what to advertise under the same rules.
 *
 * @module
 */
import { fail, ok, type Result } from "../../../core/errors.ts";
import { SaslError } from "./errors.ts";
import { parseScramMechanism, scramMechanismName } from "./scram_crypto.ts";
import type { ChannelBinding, ChannelBindingType, SaslMechanism, ScramHash } from "./types.ts";

/** Every mechanism name this module implements. */
export const SASL_MECHANISMS: readonly SaslMechanism[] = [
  "SCRAM-SHA-256-PLUS",
  "SCRAM-SHA-1-PLUS",
  "SCRAM-SHA-256",
  "SCRAM-SHA-1",
  "EXTERNAL",
  "OAUTHBEARER",
  "PLAIN",
];

/** A preference list to start from: strongest first, PLAIN last (still subject to policy). */
export const DEFAULT_CLIENT_PREFERENCE: readonly SaslMechanism[] = [
  "SCRAM-SHA-256-PLUS",
  "SCRAM-SHA-1-PLUS",
  "EXTERNAL",
  "OAUTHBEARER",
  "SCRAM-SHA-256",
  "SCRAM-SHA-1",
  "PLAIN",
];

/** What the client has and allows on this stream. */
export interface ClientMechanismCapabilities {
  /** The stream is protected by TLS. */
  readonly tls: boolean;
  /** The client has a password (SCRAM, PLAIN). */
  readonly hasPassword: boolean;
  /** The client presented a certificate during TLS (EXTERNAL). */
  readonly clientCertificate: boolean;
  /** The client holds an OAuth 2.0 bearer token (OAUTHBEARER). */
  readonly bearerToken?: boolean;
  /** Binding data the client can supply, in preference order; empty on Deno today. */
  readonly channelBindings: readonly ChannelBinding[];
  /** PLAIN is enabled by configuration (still only over TLS). */
  readonly plainEnabled: boolean;
  /** Refuse any exchange that is not channel-bound or certificate-based. */
  readonly requireChannelBinding?: boolean;
}

/** The chosen mechanism and what the SCRAM client options need from the choice. */
export interface MechanismChoice {
  readonly mechanism: SaslMechanism;
  /** For a -PLUS mechanism: the binding to use. */
  readonly channelBinding?: ChannelBinding;
  /** For a non-PLUS SCRAM: send the GS2 flag `y` (RFC 5802 §6). */
  readonly clientSupportsBinding: boolean;
}

/**
 * Chooses a mechanism. `offeredBindings` is the server's XEP-0440 list of
 * channel-binding types, when it sent one; without it any type is tried.
 */
export function chooseMechanism(
  offered: readonly string[],
  preference: readonly string[],
  caps: ClientMechanismCapabilities,
  offeredBindings?: readonly string[],
): Result<MechanismChoice> {
  for (const p of preference) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(p)) {
      return fail(SaslError["unknown-mechanism"], `preference lists ${p}`);
    }
  }
  const serverOffersPlus = offered.some((m) => parseScramMechanism(m)?.plus);
  const usableBinding = caps.channelBindings.find((b) =>
    !offeredBindings || offeredBindings.includes(b.type)
  );
  let blockedAsWeak = false;
  // spec: RFC6120-6.3.3
  // Our order, not the server's; nothing outside our list.
  for (const name of preference as readonly SaslMechanism[]) {
    if (!offered.includes(name)) continue;
    const scram = parseScramMechanism(name);
    if (scram?.plus) {
      // spec: RFC5802-6.plus
      if (caps.hasPassword && usableBinding) {
        return ok({ mechanism: name, channelBinding: usableBinding, clientSupportsBinding: true });
      }
    } else if (scram) {
      // spec: PD-43
      if (caps.requireChannelBinding) blockedAsWeak = true;
      else if (caps.hasPassword) {
        // spec: RFC5802-6.client-y
        // We could bind but the server shows no -PLUS: say so with y.
        const y = caps.channelBindings.length > 0 && !serverOffersPlus;
        return ok({ mechanism: name, clientSupportsBinding: y });
      }
    } else if (name === "PLAIN") {
      // spec: RFC6120-13.8.plain PD-44
      if (!caps.tls || !caps.plainEnabled || caps.requireChannelBinding) blockedAsWeak = true;
      else if (caps.hasPassword) return ok({ mechanism: name, clientSupportsBinding: false });
    } else if (name === "EXTERNAL") {
      // spec: RFC6120-6.3.4.external
      if (caps.tls && caps.clientCertificate) {
        return ok({ mechanism: name, clientSupportsBinding: false });
      }
    } else if (name === "OAUTHBEARER" && caps.bearerToken) {
      // spec: RFC7628-3 RFC7628-5
      // A bearer token only ever travels inside TLS.
      if (!caps.tls || caps.requireChannelBinding) blockedAsWeak = true;
      else return ok({ mechanism: name, clientSupportsBinding: false });
    }
  }
  return blockedAsWeak
    ? fail(SaslError["mechanism-too-weak"], "only mechanisms local policy forbids here are left")
    : fail(SaslError["no-acceptable-mechanism"], "no offered mechanism is usable from our list");
}

/** What the server has and allows on this stream. */
export interface ServerMechanismCapabilities {
  readonly tls: boolean;
  /** SCRAM hashes for which credentials are stored, strongest first. */
  readonly scramHashes: readonly ScramHash[];
  /** Binding types the server can compute for this connection. */
  readonly channelBindings: readonly ChannelBindingType[];
  /** The client presented a certificate that verified (EXTERNAL). */
  readonly clientCertificate: boolean;
  readonly plainEnabled: boolean;
  /** A login decision for bearer tokens is configured (OAUTHBEARER, PD-241). */
  readonly oauthBearer?: boolean;
}

/** The mechanisms to advertise, in the server's preference order. */
export function mechanismsToOffer(caps: ServerMechanismCapabilities): SaslMechanism[] {
  const out: SaslMechanism[] = [];
  // spec: RFC6120-6.3.4.external
  if (caps.tls && caps.clientCertificate) out.push("EXTERNAL");
  // spec: RFC7628-3 RFC7628-5 PD-241
  // A bearer token only ever travels inside TLS.
  if (caps.tls && caps.oauthBearer) out.push("OAUTHBEARER");
  for (const hash of caps.scramHashes) {
    // spec: RFC5802-6.plus
    if (caps.tls && caps.channelBindings.length > 0) out.push(scramMechanismName(hash, true));
    out.push(scramMechanismName(hash, false));
  }
  // spec: RFC6120-13.8.plain PD-44
  if (caps.tls && caps.plainEnabled) out.push("PLAIN");
  return out;
}
