/**
 * Fixed configurations for tests, property runs and vector generation: a
 * server for `example.net` with two accounts, and clients for them. All
 * randomness comes from seeds, so every run is replayable.
 *
 * The accounts' passwords are test fixtures, not secrets.
 *
 * @module
 */
import { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import type { InitiatorConfig } from "./initiator.ts";
import type { Xel } from "./messages.ts";
import type { ReceiverConfig } from "./receiver.ts";
import type { ReceiverAccount } from "./sasl_server.ts";
import {
  scramCredentialsFromPassword,
  type ScramHash,
  type ScramStoredCredentials,
} from "./sasl/mod.ts";
import type { ChannelBinding } from "./types.ts";

export const DOMAIN = "example.net";
export const PASSWORDS: Readonly<Record<string, string>> = {
  juliet: "r0m30myr0m30",
  romeo: "jul13t-4ever",
};

const cache = new Map<string, ScramStoredCredentials>();

/** Stored SCRAM credentials for a fixture user (salt fixed by name, 4096 iterations). */
export function storedFor(user: string, hash: ScramHash): ScramStoredCredentials {
  const key = `${user}/${hash}`;
  let c = cache.get(key);
  if (!c) {
    const salt = new SeededEntropy(`salt/${key}`).bytes(16);
    const r = scramCredentialsFromPassword(hash, PASSWORDS[user], salt, 4096);
    if (!r.ok) throw r.error;
    c = r.value;
    cache.set(key, c);
  }
  return c;
}

export function fixtureUsers(): Record<string, ReceiverAccount> {
  const out: Record<string, ReceiverAccount> = {};
  for (const user of Object.keys(PASSWORDS)) {
    out[user] = {
      scram: { "SHA-256": storedFor(user, "SHA-256"), "SHA-1": storedFor(user, "SHA-1") },
    };
  }
  return out;
}

export function serverConfig(
  seed: string | number,
  over: Partial<ReceiverConfig> = {},
): ReceiverConfig {
  return {
    domain: DOMAIN,
    entropy: new SeededEntropy(`server/${seed}`),
    users: fixtureUsers(),
    ...over,
  };
}

export function clientConfig(
  seed: string | number,
  user = "juliet",
  over: Partial<InitiatorConfig> = {},
): InitiatorConfig {
  return {
    jid: `${user}@${DOMAIN}`,
    password: PASSWORDS[user],
    resource: "balcony",
    entropy: new SeededEntropy(`client/${seed}`),
    ...over,
  };
}

/** Made-up channel-binding data both simulated TLS ends agree on. */
export const FAKE_BINDING: ChannelBinding = {
  type: "tls-exporter",
  data: new Uint8Array(32).map((_, i) => i * 7 + 1),
};

/** A chat message. */
export const chat = (to: string, body: string, id?: string): Xel =>
  new Element("message", { to, type: "chat", id }).c("body").t(body).root();

/** An iq request with one payload child. */
export const iqGet = (to: string | undefined, id: string, ns = "jabber:iq:version"): Xel =>
  new Element("iq", { type: "get", id, to }).c("query", { xmlns: ns }).root();
