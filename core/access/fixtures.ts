/**
 * Deterministic keys, claims and a verifier configuration for the access
 * token tests and vector generator (fixed seeds, not secrets).
 *
 * @module
 */
import { SeededEntropy } from "../entropy.ts";
import { getSuite, type SuiteId } from "../crypto/suite.ts";
import type { TokenSigner } from "./issue.ts";
import { type AccessClaims, AUTHORIZATION_TYPE, type OperatorKey } from "./types.ts";

export const ISSUER = "https://operator.derlink.test";
export const DER = "der1@derlink.test";
export const CONTROL = "cc@derlink.test";
/** 2026-01-01T00:00:00Z in seconds: the fixtures' "now". */
export const NOW_S = 1_767_225_600;
export const NOW_MS = NOW_S * 1000;

export interface FixtureKey {
  readonly signer: TokenSigner;
  readonly publicKey: Uint8Array;
}

/** A signing key from a fixed seed. */
export function fixtureKey(kid: string, suite: SuiteId, seed: string): FixtureKey {
  const pair = getSuite(suite).sig.generate(new SeededEntropy(`access-token/${seed}`));
  return { signer: { kid, suite, privateKey: pair.privateKey }, publicKey: pair.publicKey };
}

/** The operator's two keys (one per algorithm), a second ES256 key, and outsiders' keys. */
export function fixtureKeys() {
  return {
    es256: fixtureKey("op-es256", "p256", "operator-p256"),
    ed25519: fixtureKey("op-ed25519", "x25519-ed25519", "operator-ed25519"),
    es256b: fixtureKey("op-es256-b", "p256", "operator-p256-b"),
    rogueEs256: fixtureKey("op-es256", "p256", "rogue-p256"),
    rogueEd25519: fixtureKey("op-ed25519", "x25519-ed25519", "rogue-ed25519"),
  };
}

export const operatorKeysOf = (ks: ReturnType<typeof fixtureKeys>): OperatorKey[] =>
  [ks.es256, ks.ed25519, ks.es256b].map((k) => ({
    kid: k.signer.kid,
    suite: k.signer.suite,
    publicKey: k.publicKey,
  }));

/** A valid claim set at NOW_S: read on LD1, operate on LD1, read on every LD. */
export function baseClaims(over: Partial<AccessClaims> = {}): AccessClaims {
  return {
    iss: ISSUER,
    sub: CONTROL,
    aud: DER,
    exp: NOW_S + 600,
    nbf: NOW_S - 60,
    iat: NOW_S - 60,
    jti: "jti-0000000000000001",
    client_id: CONTROL,
    authorization_details: [
      { type: AUTHORIZATION_TYPE, actions: ["read", "operate"], identifier: "LD1" },
      { type: AUTHORIZATION_TYPE, actions: ["read"], identifier: "*" },
    ],
    ...over,
  };
}
