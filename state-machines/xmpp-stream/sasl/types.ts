/**
 * Public types of the SASL mechanisms: mechanism names, channel binding,
 * policies, stored credentials and the immutable SCRAM states.
 *
 * Everything here is plain data. States hold secrets (the prepared password,
 * derived keys) as fields, so snapshot them only in tests and never log them.
 * Messages are the raw mechanism bytes (before the stream's own base64).
 *
 * @module
 */

/** The SCRAM hash functions this profile implements (RFC 5802, RFC 7677). */
export type ScramHash = "SHA-1" | "SHA-256";

/** SCRAM mechanism names (RFC 5802 §4, RFC 7677 §2). */
export type ScramMechanism =
  | "SCRAM-SHA-1"
  | "SCRAM-SHA-1-PLUS"
  | "SCRAM-SHA-256"
  | "SCRAM-SHA-256-PLUS";

/** Every mechanism name this module implements. */
export type SaslMechanism = ScramMechanism | "PLAIN" | "EXTERNAL" | "OAUTHBEARER";

/** TLS channel-binding types: RFC 5929 (tls-unique, tls-server-end-point), RFC 9266 (tls-exporter). */
export type ChannelBindingType = "tls-unique" | "tls-exporter" | "tls-server-end-point";

/** The binding data of the current TLS connection, computed by the adapter. */
export interface ChannelBinding {
  readonly type: ChannelBindingType;
  readonly data: Uint8Array;
}

/**
 * The GS2 channel-binding flag (RFC 5802 §6-7): `n` the client cannot bind;
 * `y` it can but thinks the server cannot; `p` it binds with the named type.
 * A parsed `p` keeps any syntactically valid cb-name, known or not.
 */
export type Gs2CbFlag =
  | { readonly kind: "n" }
  | { readonly kind: "y" }
  | { readonly kind: "p"; readonly type: string };

/** Bounds a SCRAM client applies to what the server asks of it. */
export interface ScramClientPolicy {
  /** Smallest iteration count accepted (RFC 7677 §4 asks servers for at least 4096). */
  readonly minIterations: number;
  /** Largest iteration count accepted: a bound on the work a server can demand. */
  readonly maxIterations: number;
}

/** What a SCRAM client needs to start. */
export interface ScramClientOptions {
  /** The mechanism chosen (see `chooseMechanism`); a -PLUS one needs `channelBinding`. */
  readonly mechanism: ScramMechanism;
  /** The simple user name (RFC 6120 §6.3.7: the localpart for c2s), before SASLprep. */
  readonly username: string;
  /** The password, before SASLprep. */
  readonly password: string;
  /** Authorization identity; omit unless acting for another entity (RFC 6120 §6.3.8). */
  readonly authzid?: string;
  /** The client nonce: printable ASCII without comma, e.g. `scramNonce(entropy.bytes(18))`. */
  readonly clientNonce: string;
  /** Required with a -PLUS mechanism: the type and data of this connection's binding. */
  readonly channelBinding?: ChannelBinding;
  /**
   * For a non-PLUS mechanism: true when the client could bind but the server
   * advertised no -PLUS mechanism, so the flag is `y` instead of `n`
   * (RFC 5802 §6). `chooseMechanism` computes it.
   */
  readonly clientSupportsBinding?: boolean;
}

/** Client after sending client-first, waiting for server-first. */
export interface ScramClientAwaitingServerFirst {
  readonly phase: "scram-client/awaiting-server-first";
  readonly hash: ScramHash;
  readonly gs2Header: string;
  readonly cbData: Uint8Array;
  readonly clientNonce: string;
  readonly clientFirstBare: string;
  /** SASLprep'd password (secret). */
  readonly password: string;
}

/** Client after sending client-final, waiting for server-final. */
export interface ScramClientAwaitingServerFinal {
  readonly phase: "scram-client/awaiting-server-final";
  readonly hash: ScramHash;
  /** The ServerSignature the server must send back (secret until it does). */
  readonly expectedServerSignature: Uint8Array;
}

/**
 * What a server stores per user and hash (RFC 5802 §3): never the password.
 * Build it with `scramCredentialsFromPassword` or load it from storage
 * (`parseScramStoredCredentials`).
 */
export interface ScramStoredCredentials {
  readonly hash: ScramHash;
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

/**
 * The adapter's answer to "credentials for this username?". `unknown` with a
 * decoy runs the exchange to the end with made-up salt and count, so a
 * client cannot tell a missing user from a wrong password (RFC 5802 §9);
 * `unknown` without a decoy refuses at once with `sasl/unknown-user`.
 */
export type ScramCredentialLookup =
  | { readonly kind: "found"; readonly credentials: ScramStoredCredentials }
  | {
    readonly kind: "unknown";
    readonly decoy?: { readonly salt: Uint8Array; readonly iterations: number };
  };

/** How the server side is set up for one exchange. */
export interface ScramServerConfig {
  /** The mechanism the client selected in `<auth mechanism=...>`. */
  readonly mechanism: ScramMechanism;
  /** True when this server advertised any -PLUS mechanism on this stream. */
  readonly advertisedPlus: boolean;
  /** Binding data this server can compute for this connection, by type. */
  readonly channelBindings: Readonly<Partial<Record<ChannelBindingType, Uint8Array>>>;
  /** Refuse clients that do not bind (flag n or y). Default false. */
  readonly requireChannelBinding?: boolean;
}

/** Server after reading client-first: it now needs the user's credentials. */
export interface ScramServerNeedsCredentials {
  readonly phase: "scram-server/needs-credentials";
  readonly hash: ScramHash;
  /** The SASLprep'd username to look up. */
  readonly username: string;
  /** The authorization identity the client asked for, if any (decoded). */
  readonly authzid: string | undefined;
  readonly gs2Header: string;
  /** The binding data the client's c= must carry (empty for n and y). */
  readonly expectedCbData: Uint8Array;
  readonly clientNonce: string;
  readonly clientFirstBare: string;
}

/** Server after sending server-first, waiting for client-final. */
export interface ScramServerAwaitingClientFinal {
  readonly phase: "scram-server/awaiting-client-final";
  readonly hash: ScramHash;
  readonly username: string;
  readonly authzid: string | undefined;
  readonly gs2Header: string;
  readonly expectedCbData: Uint8Array;
  readonly nonce: string;
  readonly clientFirstBare: string;
  readonly serverFirst: string;
  /** False for a decoy exchange: it always ends in `sasl/not-authorized`. */
  readonly userKnown: boolean;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

/**
 * A successful end of the server side. The proof only shows who the client
 * is (`username`); whether it may act as `authzid` is the caller's
 * authorization decision (RFC 6120 §6.3.8).
 */
export interface ScramServerSuccess {
  readonly phase: "scram-server/succeeded";
  /** server-final-message, sent as the additional data of `<success/>` (RFC 6120 §6.3.10). */
  readonly message: Uint8Array;
  readonly username: string;
  readonly authzid: string | undefined;
  /** Whether the exchange was bound to the channel (flag p). */
  readonly channelBound: boolean;
}
