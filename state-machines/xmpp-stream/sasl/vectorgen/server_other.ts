/**
 * SCRAM server vectors: stored credentials, -PLUS binding, downgrade to y, decoy users.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { fromBase64, toBase64, toHex, utf8 } from "../../../../core/bytes.ts";
import { formatScramStoredCredentials, scramCredentialsFromPassword } from "../scram_crypto.ts";
import {
  bad,
  cAttr,
  CB_DATA,
  finish,
  type Json,
  N1,
  N256,
  OTHER_CB_DATA,
  SHA1,
  SHA256,
  t,
} from "./common.ts";

export function otherServerGroups(): Json[] {
  const sha1 = { username: "user", password: "pencil", salt: SHA1.salt, iterations: 4096 };
  const sha256Stored = scramCredentialsFromPassword(
    "SHA-256",
    "pencil",
    fromBase64(SHA256.salt),
    4096,
  );
  if (!sha256Stored.ok) throw sha256Stored.error;

  const bare256 = `n=user,r=${SHA256.clientNonce}`;
  const plusGs2 = "p=tls-exporter,,";
  const fin256 = (gs2: string, data?: Uint8Array) =>
    finish(
      "SHA-256",
      "pencil",
      SHA256.salt,
      4096,
      bare256,
      SHA256.serverFirst,
      `c=${cAttr(gs2, data)},r=${N256}`,
    );
  const plusOk = fin256(plusGs2, CB_DATA);
  const decoySalt = toBase64(sha256(utf8("derlink decoy salt")).subarray(0, 16));
  const decoyFirst = `r=${SHA1.clientNonce}${SHA1.serverNonce},s=${decoySalt},i=4096`;
  const decoyFinal = finish(
    "SHA-1",
    "pencil",
    decoySalt,
    4096,
    `n=mallory,r=${SHA1.clientNonce}`,
    decoyFirst,
    `c=biws,r=${N1}`,
  );

  return [
    {
      type: "scram-server",
      comment: "RFC 7677 §3 server with credentials loaded from RFC 5803 stored text",
      server: { mechanism: "SCRAM-SHA-256", advertisedPlus: false, channelBindings: {} },
      credentials: { username: "user", stored: formatScramStoredCredentials(sha256Stored.value) },
      serverNonce: SHA256.serverNonce,
      tests: [
        t("RFC 7677 §3 example exchange from stored keys, byte for byte", [
          "RFC7677-3",
          "RFC5803-3",
          "RFC5802-5.p",
        ], {
          clientFirst: SHA256.clientFirst,
          serverFirst: SHA256.serverFirst,
          clientFinal: SHA256.clientFinal,
          serverFinal: SHA256.serverFinal,
        }, ["rfc-example"]),
        bad(
          "RFC 5802 (SHA-1) client-final given to the SHA-256 server",
          ["RFC5802-5.1.r"],
          "client-final",
          "sasl/nonce-mismatch",
          {
            clientFirst: SHA256.clientFirst,
            clientFinal: SHA1.clientFinal,
          },
          ["nonce"],
        ),
        bad(
          "proof of the right nonce but computed with SHA-1 keys",
          ["RFC7677-2", "RFC5802-5.p"],
          "client-final",
          "sasl/not-authorized",
          {
            clientFirst: SHA256.clientFirst,
            clientFinal: finish(
              "SHA-1",
              "pencil",
              SHA256.salt,
              4096,
              bare256,
              SHA256.serverFirst,
              `c=biws,r=${N256}`,
            ).clientFinal,
          },
          ["proof"],
        ),
      ],
    },
    {
      type: "scram-server",
      comment: "SCRAM-SHA-256-PLUS server on a connection with tls-exporter binding data",
      server: {
        mechanism: "SCRAM-SHA-256-PLUS",
        advertisedPlus: true,
        channelBindings: { "tls-exporter": toHex(CB_DATA) },
      },
      credentials: { username: "user", password: "pencil", salt: SHA256.salt, iterations: 4096 },
      serverNonce: SHA256.serverNonce,
      tests: [
        t("bound exchange with matching tls-exporter data", [
          "RFC5802-6.plus",
          "RFC5802-6.server-c",
          "RFC5802-5.1.c",
        ], {
          clientFirst: `${plusGs2}${bare256}`,
          serverFirst: SHA256.serverFirst,
          clientFinal: plusOk.clientFinal,
          serverFinal: plusOk.serverFinal,
        }, ["channel-binding"]),
        bad(
          "binding data of another connection (valid proof over it): man in the middle",
          ["RFC5802-6.server-c"],
          "client-final",
          "sasl/channel-binding-mismatch",
          {
            clientFirst: `${plusGs2}${bare256}`,
            clientFinal: fin256(plusGs2, OTHER_CB_DATA).clientFinal,
          },
          ["channel-binding"],
        ),
        bad(
          "binding data left out of c= (valid proof over it)",
          ["RFC5802-6.server-c", "RFC5802-5.1.c"],
          "client-final",
          "sasl/channel-binding-mismatch",
          {
            clientFirst: `${plusGs2}${bare256}`,
            clientFinal: fin256(plusGs2).clientFinal,
          },
          ["channel-binding"],
        ),
        bad(
          "c= names another binding type than client-first (valid proof over it)",
          ["RFC5802-6.server-c"],
          "client-final",
          "sasl/channel-binding-mismatch",
          {
            clientFirst: `${plusGs2}${bare256}`,
            clientFinal: fin256("p=tls-unique,,", CB_DATA).clientFinal,
          },
          ["channel-binding"],
        ),
        bad(
          "tls-unique requested, only tls-exporter available",
          ["RFC5802-6.server-p"],
          "client-first",
          "sasl/channel-binding-unsupported",
          {
            clientFirst: `p=tls-unique,,${bare256}`,
          },
          ["channel-binding"],
        ),
        bad(
          "binding type nobody defined",
          ["RFC5802-6.server-p"],
          "client-first",
          "sasl/channel-binding-unsupported",
          {
            clientFirst: `p=tls-foo,,${bare256}`,
          },
          ["channel-binding"],
        ),
        bad(
          "flag n with a -PLUS mechanism",
          ["RFC5802-6.plus"],
          "client-first",
          "sasl/channel-binding-flag-mismatch",
          {
            clientFirst: SHA256.clientFirst,
          },
          ["channel-binding"],
        ),
        bad(
          "flag y with a -PLUS mechanism",
          ["RFC5802-6.plus"],
          "client-first",
          "sasl/channel-binding-flag-mismatch",
          {
            clientFirst: `y,,${bare256}`,
          },
          ["channel-binding"],
        ),
      ],
    },
    {
      type: "scram-server",
      comment: "SCRAM-SHA-256 (no -PLUS chosen) on a server that advertised -PLUS",
      server: {
        mechanism: "SCRAM-SHA-256",
        advertisedPlus: true,
        channelBindings: { "tls-exporter": toHex(CB_DATA) },
      },
      credentials: { username: "user", password: "pencil", salt: SHA256.salt, iterations: 4096 },
      serverNonce: SHA256.serverNonce,
      tests: [
        t("flag n: the client cannot bind, accepted", ["RFC5802-6.server-y", "PD-43"], {
          clientFirst: SHA256.clientFirst,
          serverFirst: SHA256.serverFirst,
          clientFinal: SHA256.clientFinal,
          serverFinal: SHA256.serverFinal,
        }, ["channel-binding"]),
        bad(
          "flag y although -PLUS was advertised: downgrade",
          ["RFC5802-6.server-y"],
          "client-first",
          "sasl/channel-binding-downgrade",
          {
            clientFirst: `y,,${bare256}`,
          },
          ["channel-binding", "downgrade"],
        ),
        bad(
          "flag y with an authzid although -PLUS was advertised",
          ["RFC5802-6.server-y"],
          "client-first",
          "sasl/channel-binding-downgrade",
          {
            clientFirst: `y,a=user@example.org,${bare256}`,
          },
          ["channel-binding", "downgrade"],
        ),
        bad(
          "flag p with the non-PLUS mechanism",
          ["RFC5802-6.plus"],
          "client-first",
          "sasl/channel-binding-flag-mismatch",
          {
            clientFirst: `${plusGs2}${bare256}`,
          },
          ["channel-binding"],
        ),
        bad(
          "c= rewritten from y to n after a stripped -PLUS (valid proof over it)",
          ["RFC5802-6.server-c"],
          "client-final",
          "sasl/channel-binding-mismatch",
          {
            clientFirst: SHA256.clientFirst,
            clientFinal: fin256("y,,").clientFinal,
          },
          ["channel-binding", "downgrade"],
        ),
      ],
    },
    {
      type: "scram-server",
      comment: "unknown users get a decoy salt and count and fail like a wrong password",
      server: { mechanism: "SCRAM-SHA-1", advertisedPlus: false, channelBindings: {} },
      credentials: sha1,
      unknownUser: { decoySalt, decoyIterations: 4096 },
      serverNonce: SHA1.serverNonce,
      tests: [
        bad(
          "unknown user: decoy server-first, then not-authorized",
          ["RFC5802-9.enum", "PD-44"],
          "client-final",
          "sasl/not-authorized",
          {
            clientFirst: `n,,n=mallory,r=${SHA1.clientNonce}`,
            serverFirst: decoyFirst,
            clientFinal: decoyFinal.clientFinal,
          },
          ["unknown-user"],
        ),
        t("the known user still authenticates", ["RFC5802-5.p"], {
          clientFirst: SHA1.clientFirst,
          serverFirst: SHA1.serverFirst,
          clientFinal: SHA1.clientFinal,
          serverFinal: SHA1.serverFinal,
        }),
      ],
    },
  ];
}
