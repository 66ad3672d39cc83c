/**
 * Vectors for the receiver's OAUTHBEARER path (PD-241): the grid operator's
 * login decision in process (Option 2 of the paper's §V, PD-240), given to
 * the receiver as JSON operator data (issuer, keys, ACL). Valid cases log in
 * with the operator's login token; invalid ones break the initial response
 * (GS2 header, pairs, auth, authzid) or present a token the operator refuses
 * (forged, another account's, expired, unlisted account, an access token),
 * each with the code the receiver reports. `deno task vectors` writes
 * `vectors/xmpp-stream/receiver-oauthbearer.json`; the xmpp-stream checker
 * replays it like the other stream vectors.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import {
  baseClaims,
  fixtureKeys,
  ISSUER,
  NOW_MS,
  NOW_S,
  operatorKeysOf,
} from "../../core/access/fixtures.ts";
import { issueAccessToken } from "../../core/access/issue.ts";
import type { TokenSigner } from "../../core/access/issue.ts";
import { loginTokenFor } from "../../core/operator-auth/decide.ts";
import type { JsonOAuthBearer } from "./replay.ts";
import {
  after,
  findPeer,
  peer,
  rewriteSasl,
  type Scenario,
  type StreamTest,
} from "./stream_vectors.ts";
import { buildTest } from "./stream_vectors.ts";
import { DOMAIN } from "./testing.ts";

const R = "receiver" as const;
const AUTH = /<auth /;
const RESPONSE = /<response/;
const SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
const J = (u: string) => `${u}@${DOMAIN}`;
const KEYS = fixtureKeys();

/** The grid operator's data: its keys and an ACL listing juliet and romeo (not benvolio). */
export const OPERATOR: JsonOAuthBearer = {
  issuer: ISSUER,
  keys: operatorKeysOf(KEYS).map((k) => ({
    kid: k.kid,
    suite: k.suite,
    publicKey: toHex(k.publicKey),
  })),
  acl: {
    version: 1,
    domain: DOMAIN,
    mucService: `rooms.${DOMAIN}`,
    pubsubService: `pubsub.${DOMAIN}`,
    groups: { ders: [J("juliet"), J("romeo")] },
    addressing: [],
    rooms: {},
    nodes: {},
  },
};

let jti = 0;
/** A login token for `account`, issued `ageS` seconds before the vectors' now. */
function login(account: string, o: { signer?: TokenSigner; ageS?: number; issuer?: string } = {}) {
  return loginTokenFor(
    account,
    DOMAIN,
    o.issuer ?? ISSUER,
    o.signer ?? KEYS.ed25519.signer,
    NOW_S - (o.ageS ?? 60),
    `vector-login-${String(++jti).padStart(4, "0")}`,
    600,
  );
}

const server = { oauthBearer: OPERATOR, now: NOW_MS };
const as = (user: string, token: string) => ({ jid: J(user), bearerToken: token, now: NOW_MS });

/** The initial response derlink's client sends, with its parts replaceable. */
const initial = (o: { flag?: string; authzid?: string; pairs?: string[] }) =>
  `${o.flag ?? "n"},${o.authzid === undefined ? "" : `a=${o.authzid}`},\x01` +
  (o.pairs ?? []).map((p) => `${p}\x01`).join("") + "\x01";

/** A case whose `<auth/>` payload is replaced: the receiver refuses it at once. */
const broken = (
  comment: string,
  spec: string[],
  error: string,
  payload: (token: string) => string,
): Scenario => {
  const token = login(J("juliet"));
  return {
    comment,
    flags: ["OAuthBearer", "Malformed"],
    spec: ["PD-241", ...spec],
    role: R,
    client: as("juliet", token),
    server,
    mutate: rewriteSasl(AUTH, () => payload(token)),
    error,
    phase: "awaiting-auth",
  };
};

/** A case the operator refuses: error result, the client's %x01, then failure with the code. */
const refused = (comment: string, spec: string[], error: string, user: string, token: string) => ({
  comment,
  flags: ["OAuthBearer", "Refused"],
  spec: ["PD-241", "RFC7628-3.2.2", "RFC7628-3.2.3", ...spec],
  role: R,
  client: as(user, token),
  server,
  mutate: after(RESPONSE),
  error,
  phase: "awaiting-auth",
});

export const OAUTHBEARER_RECEIVER_VALID: Scenario[] = [
  {
    comment: "login token of a listed account (Ed25519 operator key): bound",
    flags: ["OAuthBearer", "Transcript"],
    spec: ["PD-241", "PD-240", "RFC7628-3.1", "DL-OPT2-1", "DL-OPT2-2", "PAPER-OPT2"],
    role: R,
    client: as("juliet", login(J("juliet"))),
    server,
    phase: "bound",
  },
  {
    comment: "login token signed with the operator's ES256 key: bound",
    flags: ["OAuthBearer", "Transcript"],
    spec: ["PD-241", "PD-222", "RFC7628-3.1"],
    role: R,
    client: as("romeo", login(J("romeo"), { signer: KEYS.es256.signer })),
    server,
    phase: "bound",
  },
  {
    comment: "<auth/> without an initial response: an empty challenge asks for it",
    flags: ["OAuthBearer", "Transcript"],
    spec: ["PD-241", "RFC6120-6.4.2"],
    role: R,
    client: as("juliet", login(J("juliet"))),
    server,
    mutate: (steps) => {
      const i = findPeer(steps, AUTH);
      const a = (steps[i] as { peer: string }).peer;
      const data = />([^<]+)</.exec(a)![1];
      return [
        ...steps.slice(0, i),
        peer(`<auth xmlns='${SASL_NS}' mechanism='OAUTHBEARER'/>`),
        peer(`<response xmlns='${SASL_NS}'>${data}</response>`),
        ...steps.slice(i + 1),
      ];
    },
    phase: "bound",
  },
  (() => {
    const token = login(J("juliet"));
    return {
      comment: "flag y, host and port before auth, scheme written 'bearer': accepted",
      flags: ["OAuthBearer", "Transcript"],
      spec: ["PD-241", "RFC7628-3.1", "RFC7628-3.1.port", "RFC5801-4"],
      role: R,
      client: as("juliet", token),
      server,
      mutate: rewriteSasl(
        AUTH,
        () =>
          initial({
            flag: "y",
            authzid: J("juliet"),
            pairs: [`host=${DOMAIN}`, "port=5222", `auth=bearer ${token}`],
          }),
        100,
      ),
      phase: "bound",
    };
  })(),
];

const A = J("juliet");
const auth = (t: string) => `auth=Bearer ${t}`;

export const OAUTHBEARER_RECEIVER_INVALID: Scenario[] = [
  broken(
    "GS2 flag p=: OAUTHBEARER has no channel binding",
    ["RFC7628-3.1"],
    "sasl/channel-binding-flag-mismatch",
    (t) => initial({ flag: "p=tls-exporter", authzid: A, pairs: [auth(t)] }),
  ),
  broken(
    "GS2 header that is not one: flag x",
    ["RFC5801-4"],
    "sasl/malformed-message",
    (t) => initial({ flag: "x", authzid: A, pairs: [auth(t)] }),
  ),
  broken(
    "no %x01 after the GS2 header",
    ["RFC7628-3.1"],
    "sasl/malformed-message",
    (t) => `n,a=${A},${auth(t)}\x01\x01`,
  ),
  broken(
    "no auth pair (host only)",
    ["RFC7628-3.1.auth"],
    "sasl/malformed-message",
    () => initial({ authzid: A, pairs: [`host=${DOMAIN}`] }),
  ),
  broken(
    "auth pair twice",
    ["RFC7628-3.1"],
    "sasl/malformed-message",
    (t) => initial({ authzid: A, pairs: [auth(t), auth(t)] }),
  ),
  broken(
    "auth is not a Bearer credential",
    ["RFC7628-3.1.auth", "RFC6750-2.1"],
    "sasl/invalid-token",
    () => initial({ authzid: A, pairs: ["auth=Basic anVsaWV0OnB3"] }),
  ),
  broken(
    "bearer token outside RFC 6750's b64token",
    ["RFC6750-2.1"],
    "sasl/invalid-token",
    (t) => initial({ authzid: A, pairs: [`auth=Bearer ${t.slice(0, 20)}!${t.slice(21)}`] }),
  ),
  broken(
    "port with a leading zero",
    ["RFC7628-3.1.port"],
    "sasl/malformed-message",
    (t) => initial({ authzid: A, pairs: [auth(t), "port=05222"] }),
  ),
  broken(
    "the closing %x01 is missing",
    ["RFC7628-3.1"],
    "sasl/malformed-message",
    (t) => `n,a=${A},\x01${auth(t)}\x01`,
  ),
  broken(
    "no authzid: the account logging in is not named",
    ["RFC6120-6.3.8"],
    "sasl/invalid-authzid",
    (t) => initial({ pairs: [auth(t)] }),
  ),
  broken(
    "authzid of another domain",
    ["RFC6120-6.3.8"],
    "sasl/invalid-authzid",
    (t) => initial({ authzid: "juliet@capulet.example", pairs: [auth(t)] }),
  ),
  refused(
    "token signed by a key that is not the operator's (wrong token)",
    ["DL-OPT2-1", "RFC7515-5.2"],
    "access/bad-signature",
    "juliet",
    login(A, { signer: KEYS.rogueEd25519.signer }),
  ),
  refused(
    "token for another account (romeo's token, juliet logs in)",
    ["DL-OPT2-1", "PD-223"],
    "operator-auth/wrong-account",
    "juliet",
    login(J("romeo")),
  ),
  refused(
    "expired token (issued 20 minutes ago for 10)",
    ["RFC7519-4.1.4", "PD-222", "RFC6120-6.5.2"],
    "access/expired",
    "juliet",
    login(A, { ageS: 1_200 }),
  ),
  refused(
    "account the operator's ACL does not list",
    ["DL-OPT2-2", "PAPER-OPT2"],
    "operator-auth/not-listed",
    "benvolio",
    login(J("benvolio")),
  ),
  refused(
    "token from another issuer",
    ["RFC7519-4.1.1"],
    "access/wrong-issuer",
    "juliet",
    login(A, { issuer: "https://rogue.example" }),
  ),
  refused(
    "an Option 3 access token (audience a DER) logs nobody in",
    ["PD-222", "RFC7519-4.1.3"],
    "access/wrong-audience",
    "juliet",
    issueAccessToken(baseClaims({ sub: A, client_id: A }), KEYS.es256.signer),
  ),
  {
    comment: "the answer to the error result is not %x01",
    flags: ["OAuthBearer", "Refused"],
    spec: ["PD-241", "RFC7628-3.2.3"],
    role: R,
    client: as("juliet", login(J("romeo"))),
    server,
    mutate: rewriteSasl(RESPONSE, () => "retry"),
    error: "sasl/malformed-message",
    phase: "awaiting-auth",
  },
  {
    comment: "OAUTHBEARER is not offered without a login decision: unknown mechanism",
    flags: ["OAuthBearer", "Downgrade"],
    spec: ["PD-241", "RFC6120-6.4.2"],
    role: R,
    client: as("juliet", login(A)),
    mutate: (steps) => [
      ...steps.slice(0, findPeer(steps, AUTH)),
      peer(
        `<auth xmlns='${SASL_NS}' mechanism='OAUTHBEARER'>${
          btoa(initial({ authzid: A, pairs: [auth(login(A))] }))
        }</auth>`,
      ),
    ],
    error: "sasl/unknown-mechanism",
    phase: "awaiting-auth",
  },
];

const NOTES: Record<string, string> = {
  OAuthBearer: "the receiver's OAUTHBEARER path with the operator's in-process login decision",
  Transcript: "a complete valid negotiation; `expect.sent` holds every byte the role wrote",
  Malformed: "the initial client response breaks RFC 7628 §3.1 or names no account of this server",
  Refused:
    "the operator refuses the token: error result, the client's %x01, failure with the operator's code",
  Downgrade: "OAUTHBEARER tried where it is not offered",
};

/** `deno task vectors` entry: vectors/xmpp-stream/receiver-oauthbearer.json. */
export const oauthBearerReceiverVectorGenerator = {
  name: "xmpp-stream-oauthbearer",
  generate() {
    let tcId = 0;
    const tests = (scenarios: Scenario[]) =>
      scenarios.map((sc) => {
        tcId++;
        const t: StreamTest = buildTest(sc, `receiver-oauthbearer-${tcId}`);
        return { tcId, ...t };
      });
    const testGroups = [{
      type: "xmpp-stream-replay",
      role: R,
      tests: [...tests(OAUTHBEARER_RECEIVER_VALID), ...tests(OAUTHBEARER_RECEIVER_INVALID)],
    }];
    return [{
      path: "xmpp-stream/receiver-oauthbearer.json",
      content: {
        suite: "xmpp-stream",
        schema: "xmpp-stream.schema.json",
        version: 1,
        source: "generated by deno task vectors from the reference machines with SeededEntropy " +
          "seeds and the fixture operator keys of core/access/fixtures.ts (RFC 7628 §3.1, " +
          "§3.2.2-3.2.3, RFC 6750 §2.1, RFC 6120 §6.4-6.5); config.oauthBearer is the grid " +
          "operator's data from which the in-process login decision is built (PD-240, PD-241)",
        generated: true,
        notes: NOTES,
        numberOfTests: tcId,
        testGroups,
      },
    }];
  },
};
