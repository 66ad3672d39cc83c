/**
 * SCRAM client vectors built on the RFC 5802 §5 exchange: valid variants,
 * server-final refusals, and options refused at start.
 *
 * @module
 */
import { bad, finish, type Json, N1, SHA1, SHA256, t } from "./common.ts";
import { serverFirstNegatives } from "./client_server_first.ts";

export function sha1ClientGroup(): Json {
  const badFinal = (
    comment: string,
    spec: string[],
    error: string,
    serverFinal: unknown,
    flags: string[] = [],
  ) =>
    bad(
      comment,
      spec,
      "server-final",
      error,
      { serverFirst: SHA1.serverFirst, serverFinal },
      flags,
    );
  const withExt = finish(
    "SHA-1",
    "pencil",
    SHA1.salt,
    4096,
    "n=user,r=" + SHA1.clientNonce,
    `${SHA1.serverFirst},x=future`,
    `c=biws,r=${N1}`,
  );
  const lowPolicy = finish(
    "SHA-1",
    "pencil",
    SHA1.salt,
    1,
    "n=user,r=" + SHA1.clientNonce,
    `r=${N1},s=${SHA1.salt},i=1`,
    `c=biws,r=${N1}`,
  );
  // RFC 5802 §7 server-error-value → the code the client reports (written out, not computed).
  const serverErrors: [string, string][] = [
    ["invalid-encoding", "sasl/server-invalid-encoding"],
    ["extensions-not-supported", "sasl/server-extensions-not-supported"],
    ["invalid-proof", "sasl/server-invalid-proof"],
    ["channel-bindings-dont-match", "sasl/server-channel-bindings-dont-match"],
    ["server-does-support-channel-binding", "sasl/server-does-support-channel-binding"],
    ["channel-binding-not-supported", "sasl/server-channel-binding-not-supported"],
    ["unsupported-channel-binding-type", "sasl/server-unsupported-channel-binding-type"],
    ["unknown-user", "sasl/server-unknown-user"],
    ["invalid-username-encoding", "sasl/server-invalid-username-encoding"],
    ["no-resources", "sasl/server-no-resources"],
    ["other-error", "sasl/server-other-error"],
  ];
  return {
    type: "scram-client",
    comment: "RFC 5802 §5 client: user/pencil, the RFC's client nonce",
    client: {
      mechanism: "SCRAM-SHA-1",
      username: "user",
      password: "pencil",
      clientNonce: SHA1.clientNonce,
    },
    tests: [
      t("RFC 5802 §5 example exchange, byte for byte", [
        "RFC5802-5.example",
        "RFC5802-2.2",
        "RFC5802-3",
        "RFC5802-5.v",
        "RFC5802-4",
      ], {
        clientFirst: SHA1.clientFirst,
        serverFirst: SHA1.serverFirst,
        clientFinal: SHA1.clientFinal,
        serverFinal: SHA1.serverFinal,
      }, ["rfc-example"]),
      t("password given with a soft hyphen: SASLprep removes it, same exchange", [
        "RFC5802-2.2.normalize",
        "RFC4013-2.1",
      ], {
        client: { password: "pen\u00ADcil" },
        clientFirst: SHA1.clientFirst,
        serverFirst: SHA1.serverFirst,
        clientFinal: SHA1.clientFinal,
        serverFinal: SHA1.serverFinal,
      }, ["saslprep"]),
      t("unknown optional extension after i= is ignored (and covered by AuthMessage)", [
        "RFC5802-7.ext",
      ], {
        serverFirst: `${SHA1.serverFirst},x=future`,
        clientFinal: withExt.clientFinal,
        serverFinal: withExt.serverFinal,
      }),
      t("unknown optional extension after v= is ignored", ["RFC5802-7.ext"], {
        serverFirst: SHA1.serverFirst,
        serverFinal: `${SHA1.serverFinal},x=later`,
      }),
      t("a policy with a lower minimum accepts i=1", ["PD-42"], {
        policy: { minIterations: 1 },
        serverFirst: `r=${N1},s=${SHA1.salt},i=1`,
        clientFinal: lowPolicy.clientFinal,
        serverFinal: lowPolicy.serverFinal,
      }, ["policy"]),
      ...serverFirstNegatives(),
      badFinal(
        "server signature with one character changed",
        ["RFC5802-5.v"],
        "sasl/bad-server-signature",
        "v=smF9pqV8S7suAoZWja4dJRkFsKQ=",
        ["signature"],
      ),
      badFinal(
        "server signature of the RFC 7677 exchange",
        ["RFC5802-5.v"],
        "sasl/bad-server-signature",
        SHA256.serverFinal,
        ["signature"],
      ),
      badFinal(
        "server signature truncated to 15 bytes",
        ["RFC5802-5.v"],
        "sasl/bad-server-signature",
        "v=rmF9pqV8S7suAoZWja4d",
        ["signature"],
      ),
      badFinal(
        "server signature is not base64",
        ["RFC5802-5.v"],
        "sasl/invalid-base64",
        "v=rmF9pqV8S7suAoZWja4dJRkFsKQ",
        ["signature"],
      ),
      badFinal(
        "empty server-final (a <success/> without data)",
        ["RFC6120-6.3.10", "RFC5802-5.v"],
        "sasl/malformed-message",
        "",
        ["missing"],
      ),
      badFinal("v= with an empty value", ["RFC5802-7.syntax"], "sasl/malformed-message", "v=", [
        "syntax",
      ]),
      badFinal(
        "m= before v=",
        ["RFC5802-5.1.m"],
        "sasl/unknown-extension",
        `m=x,${SHA1.serverFinal}`,
        ["extension"],
      ),
      badFinal("r= where v= is expected", ["RFC5802-7.e"], "sasl/malformed-message", `r=${N1}`, [
        "syntax",
      ]),
      ...serverErrors.map(([e, code]) =>
        badFinal(`server error e=${e}`, ["RFC5802-7.e"], code, `e=${e}`, ["server-error"])
      ),
      badFinal(
        "unknown server error value counts as other-error",
        ["RFC5802-7.e"],
        "sasl/server-other-error",
        "e=too-many-cats",
        ["server-error"],
      ),
      bad(
        "username with a control character fails SASLprep",
        ["RFC4013-2.3", "RFC5802-5.1.n"],
        "start",
        "sasl/invalid-username",
        { client: { username: "us\u0007er" } },
        ["saslprep"],
      ),
      bad(
        "username mixing right-to-left and left-to-right letters",
        ["RFC4013-2.4", "PD-40"],
        "start",
        "sasl/invalid-username",
        { client: { username: "\u0627a" } },
        ["saslprep"],
      ),
      bad("empty username", ["RFC5802-5.1.n"], "start", "sasl/invalid-username", {
        client: { username: "" },
      }, ["saslprep"]),
      bad(
        "password with an unassigned code point (stored string)",
        ["RFC4013-2.5", "RFC5802-2.2.normalize"],
        "start",
        "sasl/invalid-password",
        { client: { password: "pen\u0378cil" } },
        ["saslprep"],
      ),
      bad(
        "password with a private-use character",
        ["RFC4013-2.3"],
        "start",
        "sasl/invalid-password",
        { client: { password: "pen\uE000cil" } },
        ["saslprep"],
      ),
      bad("client nonce with a comma", ["RFC5802-5.1.r"], "start", "sasl/invalid-nonce", {
        client: { clientNonce: "abc,def" },
      }, ["nonce"]),
      bad(
        "-PLUS mechanism without binding data",
        ["RFC5802-6.plus", "PD-43"],
        "start",
        "sasl/channel-binding-unsupported",
        { client: { mechanism: "SCRAM-SHA-1-PLUS" } },
        ["channel-binding"],
      ),
      bad("unknown mechanism", ["RFC5802-4"], "start", "sasl/unknown-mechanism", {
        client: { mechanism: "SCRAM-MD5" },
      }),
    ],
  };
}
