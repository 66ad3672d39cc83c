/**
 * SCRAM client vectors built on the RFC 7677 §3 exchange: escaping, SASLprep, -PLUS and y.
 *
 * @module
 */
import { toHex } from "../../../../core/bytes.ts";
import { bad, cAttr, CB_DATA, finish, type Json, N256, SHA1, SHA256, t } from "./common.ts";

export function otherClientGroups(): Json[] {
  const bareUser = (n: string) => `n=${n},r=${SHA256.clientNonce}`;
  const escaped = finish(
    "SHA-256",
    "pencil",
    SHA256.salt,
    4096,
    bareUser("us=2Cer=3D1"),
    SHA256.serverFirst,
    `c=${cAttr("n,a=admin=2Cx=3Dy@example.org,")},r=${N256}`,
  );
  const plusGs2 = "p=tls-exporter,,";
  const plus = finish(
    "SHA-256",
    "pencil",
    SHA256.salt,
    4096,
    bareUser("user"),
    SHA256.serverFirst,
    `c=${cAttr(plusGs2, CB_DATA)},r=${N256}`,
  );
  const y = finish(
    "SHA-256",
    "pencil",
    SHA256.salt,
    4096,
    bareUser("user"),
    SHA256.serverFirst,
    `c=${cAttr("y,,")},r=${N256}`,
  );
  const prepped = finish(
    "SHA-256",
    "pencil",
    SHA256.salt,
    4096,
    bareUser("IX"),
    SHA256.serverFirst,
    `c=biws,r=${N256}`,
  );
  return [{
    type: "scram-client",
    comment: "RFC 7677 §3 client, and cases built on it",
    client: {
      mechanism: "SCRAM-SHA-256",
      username: "user",
      password: "pencil",
      clientNonce: SHA256.clientNonce,
    },
    tests: [
      t("RFC 7677 §3 example exchange, byte for byte", [
        "RFC7677-3",
        "RFC7677-2",
        "RFC5802-3",
        "RFC5802-5.v",
      ], {
        clientFirst: SHA256.clientFirst,
        serverFirst: SHA256.serverFirst,
        clientFinal: SHA256.clientFinal,
        serverFinal: SHA256.serverFinal,
      }, ["rfc-example"]),
      t("username and authzid with ',' and '=' are escaped as =2C and =3D", [
        "RFC5802-5.1.n",
        "RFC5802-5.1.a",
        "RFC5802-7.gs2",
      ], {
        client: { username: "us,er=1", authzid: "admin,x=y@example.org" },
        clientFirst: `n,a=admin=2Cx=3Dy@example.org,${bareUser("us=2Cer=3D1")}`,
        serverFirst: SHA256.serverFirst,
        clientFinal: escaped.clientFinal,
        serverFinal: escaped.serverFinal,
      }, ["escaping"]),
      t("username SASLprep: soft hyphen removed, NFKC maps the roman numeral nine to IX", [
        "RFC4013-2.1",
        "RFC4013-2.2",
        "RFC5802-5.1.n",
      ], {
        client: { username: "\u2168\u00AD" },
        clientFirst: `n,,${bareUser("IX")}`,
        serverFirst: SHA256.serverFirst,
        clientFinal: prepped.clientFinal,
        serverFinal: prepped.serverFinal,
      }, ["saslprep"]),
      t("SCRAM-SHA-256-PLUS with tls-exporter data: flag p, c= carries header and data", [
        "RFC5802-6.plus",
        "RFC5802-5.1.c",
        "RFC5802-6.types",
      ], {
        client: {
          mechanism: "SCRAM-SHA-256-PLUS",
          channelBinding: { type: "tls-exporter", data: toHex(CB_DATA) },
        },
        clientFirst: `${plusGs2}${bareUser("user")}`,
        serverFirst: SHA256.serverFirst,
        clientFinal: plus.clientFinal,
        serverFinal: plus.serverFinal,
      }, ["channel-binding"]),
      t("client able to bind, no -PLUS offered: flag y", ["RFC5802-6.client-y", "PD-43"], {
        client: { clientSupportsBinding: true },
        clientFirst: `y,,${bareUser("user")}`,
        serverFirst: SHA256.serverFirst,
        clientFinal: y.clientFinal,
        serverFinal: y.serverFinal,
      }, ["channel-binding"]),
      bad(
        "server signature of the RFC 5802 exchange given to a SHA-256 client",
        ["RFC5802-5.v", "RFC7677-2"],
        "server-final",
        "sasl/bad-server-signature",
        {
          serverFirst: SHA256.serverFirst,
          serverFinal: SHA1.serverFinal,
        },
        ["signature"],
      ),
      bad(
        "server-final of the -PLUS exchange for an unbound exchange",
        ["RFC5802-5.v", "RFC5802-5.1.c"],
        "server-final",
        "sasl/bad-server-signature",
        {
          serverFirst: SHA256.serverFirst,
          serverFinal: plus.serverFinal,
        },
        ["signature", "channel-binding"],
      ),
      bad(
        "RFC 5802 server-first sent to the RFC 7677 client (other nonce)",
        ["RFC5802-5.1.r"],
        "server-first",
        "sasl/nonce-mismatch",
        {
          serverFirst: SHA1.serverFirst,
        },
        ["nonce"],
      ),
    ],
  }];
}
