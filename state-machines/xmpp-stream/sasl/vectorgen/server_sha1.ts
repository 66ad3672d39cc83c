/**
 * SCRAM server vectors built on the RFC 5802 §5 exchange: the example,
 * client-first and client-final refusals.
 *
 * @module
 */
import { concat, toHex, utf8 } from "../../../../core/bytes.ts";
import { bad, cAttr, CB_DATA, finish, type Json, N1, SHA1, t } from "./common.ts";

export function sha1ServerGroup(): Json {
  const sha1 = { username: "user", password: "pencil", salt: SHA1.salt, iterations: 4096 };
  const bare1 = `n=user,r=${SHA1.clientNonce}`;
  const fin1 = (withoutProof: string, password = "pencil") =>
    finish("SHA-1", password, SHA1.salt, 4096, bare1, SHA1.serverFirst, withoutProof).clientFinal;
  const fr = (
    comment: string,
    spec: string[],
    error: string,
    clientFinal: unknown,
    flags: string[] = [],
  ) =>
    bad(comment, spec, "client-final", error, {
      clientFirst: SHA1.clientFirst,
      serverFirst: SHA1.serverFirst,
      clientFinal,
    }, flags);
  const cf = (
    comment: string,
    spec: string[],
    error: string,
    clientFirst: unknown,
    flags: string[] = [],
  ) => bad(comment, spec, "client-first", error, { clientFirst }, flags);
  const extFinal = finish(
    "SHA-1",
    "pencil",
    SHA1.salt,
    4096,
    `${bare1},x=opt`,
    SHA1.serverFirst,
    `c=biws,r=${N1},y=opt`,
  );

  return {
    type: "scram-server",
    comment:
      "RFC 5802 §5 server: user/pencil, the RFC's salt and server nonce; other users refused",
    server: { mechanism: "SCRAM-SHA-1", advertisedPlus: false, channelBindings: {} },
    credentials: sha1,
    unknownUser: "refuse",
    serverNonce: SHA1.serverNonce,
    tests: [
      t("RFC 5802 §5 example exchange, byte for byte", [
        "RFC5802-5.example",
        "RFC5802-5.p",
        "RFC5802-3",
        "RFC5802-7.client-first",
        "RFC5802-7.client-final",
      ], {
        clientFirst: SHA1.clientFirst,
        serverFirst: SHA1.serverFirst,
        clientFinal: SHA1.clientFinal,
        serverFinal: SHA1.serverFinal,
      }, ["rfc-example"]),
      t("optional extensions in client-first and client-final are ignored", ["RFC5802-7.ext"], {
        clientFirst: `n,,${bare1},x=opt`,
        serverFirst: SHA1.serverFirst,
        clientFinal: extFinal.clientFinal,
        serverFinal: extFinal.serverFinal,
      }),
      t("flag y accepted by a server that advertised no -PLUS", ["RFC5802-6.server-y"], {
        clientFirst: `y,,${bare1}`,
        serverFirst: SHA1.serverFirst,
        clientFinal: finish(
          "SHA-1",
          "pencil",
          SHA1.salt,
          4096,
          bare1,
          SHA1.serverFirst,
          `c=${cAttr("y,,")},r=${N1}`,
        ).clientFinal,
        serverFinal: finish(
          "SHA-1",
          "pencil",
          SHA1.salt,
          4096,
          bare1,
          SHA1.serverFirst,
          `c=${cAttr("y,,")},r=${N1}`,
        ).serverFinal,
      }, ["channel-binding"]),
      fr(
        "client proof with one character changed",
        ["RFC5802-5.p"],
        "sasl/not-authorized",
        SHA1.clientFinal.replace("p=v0X8", "p=v0X9"),
        ["proof"],
      ),
      fr(
        "client proof computed from another password",
        ["RFC5802-5.p"],
        "sasl/not-authorized",
        fin1(`c=biws,r=${N1}`, "pencil2"),
        ["proof"],
      ),
      fr(
        "client proof of 15 bytes",
        ["RFC5802-5.p"],
        "sasl/not-authorized",
        `c=biws,r=${N1},p=v0X8v3Bz2T0CJGbJQyF0`,
        ["proof"],
      ),
      fr(
        "client proof is not base64",
        ["RFC5802-7.client-final"],
        "sasl/invalid-base64",
        `c=biws,r=${N1},p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts`,
        ["proof"],
      ),
      fr("p= missing", ["RFC5802-7.client-final"], "sasl/malformed-message", `c=biws,r=${N1}`, [
        "missing",
      ]),
      fr(
        "p= not last",
        ["RFC5802-7.client-final"],
        "sasl/malformed-message",
        `${SHA1.clientFinal},x=late`,
        ["order"],
      ),
      fr(
        "r= before c=",
        ["RFC5802-7.client-final"],
        "sasl/malformed-message",
        `r=${N1},c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=`,
        ["order"],
      ),
      fr(
        "m= in client-final",
        ["RFC5802-5.1.m"],
        "sasl/unknown-extension",
        `c=biws,r=${N1},m=x,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=`,
        ["extension"],
      ),
      fr(
        "c= claims flag y after client-first sent n (valid proof over it)",
        ["RFC5802-6.server-c"],
        "sasl/channel-binding-mismatch",
        fin1(`c=${cAttr("y,,")},r=${N1}`),
        ["channel-binding"],
      ),
      fr(
        "c= carries binding data the exchange did not announce (valid proof)",
        ["RFC5802-6.server-c", "RFC5802-5.1.c"],
        "sasl/channel-binding-mismatch",
        fin1(`c=${cAttr("n,,", CB_DATA)},r=${N1}`),
        ["channel-binding"],
      ),
      fr(
        "c= is not base64",
        ["RFC5802-5.1.c"],
        "sasl/invalid-base64",
        `c=biw,r=${N1},p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=`,
        ["channel-binding"],
      ),
      fr(
        "final nonce differs from the combined one (valid proof over it)",
        ["RFC5802-5.1.r"],
        "sasl/nonce-mismatch",
        fin1(`c=biws,r=${N1}x`),
        ["nonce"],
      ),
      fr(
        "final nonce is only the client nonce",
        ["RFC5802-5.1.r"],
        "sasl/nonce-mismatch",
        `c=biws,r=${SHA1.clientNonce},p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=`,
        ["nonce"],
      ),
      fr("client-final not UTF-8", ["RFC5802-7.syntax"], "sasl/invalid-encoding", {
        hex: toHex(concat(utf8(SHA1.clientFinal), new Uint8Array([0xff]))),
      }, ["encoding"]),
      bad(
        "replayed RFC client-final against a fresh server nonce",
        ["RFC5802-5.1.r"],
        "client-final",
        "sasl/nonce-mismatch",
        {
          serverNonce: "fresh+server+nonce",
          clientFirst: SHA1.clientFirst,
          serverFirst: `r=${SHA1.clientNonce}fresh+server+nonce,s=${SHA1.salt},i=4096`,
          clientFinal: SHA1.clientFinal,
        },
        ["replay"],
      ),
      bad(
        "unknown user, server set to refuse at once",
        ["RFC5802-5.1.n"],
        "credentials",
        "sasl/unknown-user",
        { clientFirst: `n,,n=mallory,r=${SHA1.clientNonce}` },
        ["unknown-user"],
      ),
      cf(
        "username with '=' not followed by 2C or 3D",
        ["RFC5802-5.1.n"],
        "sasl/invalid-username",
        `n,,n=us=41er,r=${SHA1.clientNonce}`,
        ["escaping"],
      ),
      cf(
        "username with lower-case escape =2c",
        ["RFC5802-5.1.n", "PD-41"],
        "sasl/invalid-username",
        `n,,n=us=2cer,r=${SHA1.clientNonce}`,
        ["escaping"],
      ),
      cf(
        "username ending in '='",
        ["RFC5802-5.1.n"],
        "sasl/invalid-username",
        `n,,n=user=,r=${SHA1.clientNonce}`,
        ["escaping"],
      ),
      cf(
        "username with a truncated escape =2",
        ["RFC5802-5.1.n"],
        "sasl/invalid-username",
        `n,,n=user=2,r=${SHA1.clientNonce}`,
        ["escaping"],
      ),
      cf(
        "username with a control character",
        ["RFC5802-5.1.n", "RFC4013-2.3"],
        "sasl/invalid-username",
        `n,,n=us\u0001er,r=${SHA1.clientNonce}`,
        ["saslprep"],
      ),
      cf(
        "username that SASLprep maps to nothing",
        ["RFC5802-5.1.n", "RFC4013-2.1"],
        "sasl/invalid-username",
        `n,,n=\u00AD,r=${SHA1.clientNonce}`,
        ["saslprep"],
      ),
      cf(
        "username breaking the bidi rule",
        ["RFC4013-2.4"],
        "sasl/invalid-username",
        `n,,n=\u0627\u0031,r=${SHA1.clientNonce}`,
        ["saslprep"],
      ),
      cf(
        "authzid with a bad escape",
        ["RFC5802-5.1.a"],
        "sasl/invalid-authzid",
        `n,a=ju=liet,${bare1}`,
        ["escaping"],
      ),
      cf(
        "authzid attribute with an empty value",
        ["RFC5802-7.gs2"],
        "sasl/malformed-message",
        `n,a=,${bare1}`,
        ["syntax"],
      ),
      cf(
        "GS2 header with an unknown flag",
        ["RFC5802-7.gs2"],
        "sasl/malformed-message",
        `x,,${bare1}`,
        ["syntax"],
      ),
      cf("GS2 header missing", ["RFC5802-7.gs2"], "sasl/malformed-message", bare1, ["syntax"]),
      cf(
        "cb-name with an underscore",
        ["RFC5802-7.gs2"],
        "sasl/malformed-message",
        `p=tls_unique,,${bare1}`,
        ["syntax"],
      ),
      cf(
        "something other than a= in the authzid place",
        ["RFC5802-7.gs2"],
        "sasl/malformed-message",
        `n,b=x,${bare1}`,
        ["syntax"],
      ),
      cf(
        "m= first in client-first-bare",
        ["RFC5802-5.1.m"],
        "sasl/unknown-extension",
        `n,,m=ext,${bare1}`,
        ["extension"],
      ),
      cf(
        "m= after r= in client-first",
        ["RFC5802-5.1.m", "PD-41"],
        "sasl/unknown-extension",
        `n,,${bare1},m=ext`,
        ["extension"],
      ),
      cf(
        "r= before n=",
        ["RFC5802-7.client-first"],
        "sasl/malformed-message",
        `n,,r=${SHA1.clientNonce},n=user`,
        ["order"],
      ),
      cf("r= missing", ["RFC5802-7.client-first"], "sasl/malformed-message", "n,,n=user", [
        "missing",
      ]),
      cf(
        "empty username attribute",
        ["RFC5802-7.syntax"],
        "sasl/malformed-message",
        `n,,n=,r=${SHA1.clientNonce}`,
        ["syntax"],
      ),
      cf(
        "client nonce with a space",
        ["RFC5802-5.1.r"],
        "sasl/invalid-nonce",
        "n,,n=user,r=fyko d2lbb",
        ["nonce"],
      ),
      cf("client-first not UTF-8", ["RFC5802-7.syntax"], "sasl/invalid-encoding", {
        hex: toHex(
          concat(utf8("n,,n=us"), new Uint8Array([0xe2, 0x82]), utf8(`,r=${SHA1.clientNonce}`)),
        ),
      }, ["encoding"]),
      cf(
        "flag p with a mechanism that is not -PLUS",
        ["RFC5802-6.plus"],
        "sasl/channel-binding-flag-mismatch",
        `p=tls-exporter,,${bare1}`,
        ["channel-binding"],
      ),
      bad(
        "flag n under policy requiring channel binding",
        ["PD-43"],
        "client-first",
        "sasl/channel-binding-required",
        {
          server: { requireChannelBinding: true },
          clientFirst: SHA1.clientFirst,
        },
        ["channel-binding", "policy"],
      ),
    ],
  };
}
