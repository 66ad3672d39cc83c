/**
 * Generator of `vectors/sasl/scram.json` (run by `deno task vectors`).
 *
 * The two RFC example exchanges are typed in below from RFC 5802 §5 and
 * RFC 7677 §3. Every other case is derived from them: a table of edits with
 * the code each must produce, written by hand. Where a derived case needs a
 * valid proof or signature over changed messages (for instance a c= that
 * carries the wrong binding but a correct proof), this file computes it from
 * the key-schedule primitives directly — not through the client and server
 * functions under test — so the vectors check the message handling against
 * an independent assembly of AuthMessage.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromBase64, toBase64, toHex, utf8 } from "../../../core/bytes.ts";
import {
  clientSignature,
  deriveScramKeys,
  formatScramStoredCredentials,
  saltedPassword,
  scramCredentialsFromPassword,
  serverSignature,
  xor,
} from "./scram_crypto.ts";
import type { ScramHash } from "./types.ts";

// RFC 5802 §5 (SCRAM-SHA-1, user "user", password "pencil").
// spec: RFC5802-5.example
const SHA1 = {
  clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
  serverNonce: "3rfcNHYJY1ZVvWVs7j",
  salt: "QSXCR+Q6sek8bf92",
  clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  serverFirst: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
} as const;

// RFC 7677 §3 (SCRAM-SHA-256, user "user", password "pencil").
// spec: RFC7677-3
const SHA256 = {
  clientNonce: "rOprNGfwEbeRWgbNEkqO",
  serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
  salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst:
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal:
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
} as const;

const N1 = SHA1.clientNonce + SHA1.serverNonce;
const N256 = SHA256.clientNonce + SHA256.serverNonce;
/** Made-up binding data for the -PLUS cases (32 bytes, like tls-exporter's). */
const CB_DATA = sha256(utf8("derlink example tls-exporter channel binding"));
const OTHER_CB_DATA = sha256(utf8("derlink another connection"));

/** client-final and server-final for given messages, computed from the primitives. */
function finish(
  hash: ScramHash,
  password: string,
  saltB64: string,
  iterations: number,
  clientFirstBare: string,
  serverFirst: string,
  withoutProof: string,
): { clientFinal: string; serverFinal: string } {
  const keys = deriveScramKeys(
    hash,
    saltedPassword(hash, password, fromBase64(saltB64), iterations),
  );
  const auth = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const proof = xor(keys.clientKey, clientSignature(hash, keys.storedKey, auth));
  return {
    clientFinal: `${withoutProof},p=${toBase64(proof)}`,
    serverFinal: `v=${toBase64(serverSignature(hash, keys.serverKey, auth))}`,
  };
}
const cAttr = (gs2: string, data: Uint8Array = new Uint8Array(0)) =>
  toBase64(concat(utf8(gs2), data));

type Json = Record<string, unknown>;
let nextId = 1;
const t = (comment: string, spec: string[], fields: Json, flags: string[] = []): Json => {
  const { error, ...rest } = fields;
  return {
    tcId: nextId++,
    comment,
    flags,
    spec,
    result: error === undefined ? "valid" : "invalid",
    ...(error === undefined ? {} : { error }),
    ...rest,
  };
};
const bad = (
  comment: string,
  spec: string[],
  failsAt: string,
  error: string,
  fields: Json,
  flags: string[] = [],
) => t(comment, spec, { ...fields, failsAt, error }, flags);

function sha1ClientGroup(): Json {
  const badFirst = (
    comment: string,
    spec: string[],
    error: string,
    serverFirst: unknown,
    flags: string[] = [],
  ) => bad(comment, spec, "server-first", error, { serverFirst }, flags);
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
      badFirst(
        "server nonce does not start with the client nonce",
        ["RFC5802-5.1.r"],
        "sasl/nonce-mismatch",
        `r=Xyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "server nonce is a different nonce altogether",
        ["RFC5802-5.1.r"],
        "sasl/nonce-mismatch",
        `r=3rfcNHYJY1ZVvWVs7jfyko+d2lbbFgONRv9qkxdawL,s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "server nonce equals the client nonce (no server part)",
        ["RFC5802-5.1.r"],
        "sasl/nonce-mismatch",
        `r=${SHA1.clientNonce},s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "server nonce is a prefix of the client nonce",
        ["RFC5802-5.1.r"],
        "sasl/nonce-mismatch",
        `r=fyko+d2lbbFgONRv9qkxdaw,s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "nonce contains a space",
        ["RFC5802-5.1.r"],
        "sasl/invalid-nonce",
        `r=${N1} x,s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "nonce contains a non-ASCII character",
        ["RFC5802-5.1.r"],
        "sasl/invalid-nonce",
        `r=${N1}\u00e9,s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "nonce contains DEL",
        ["RFC5802-5.1.r"],
        "sasl/invalid-nonce",
        `r=${N1}\u007f,s=${SHA1.salt},i=4096`,
        ["nonce"],
      ),
      badFirst(
        "iteration count 4095 is below the default minimum",
        ["RFC7677-4", "PD-42"],
        "sasl/iterations-too-low",
        `r=${N1},s=${SHA1.salt},i=4095`,
        ["iterations"],
      ),
      badFirst(
        "iteration count 1",
        ["RFC7677-4", "PD-42"],
        "sasl/iterations-too-low",
        `r=${N1},s=${SHA1.salt},i=1`,
        ["iterations"],
      ),
      badFirst(
        "iteration count 600001 is above the default maximum",
        ["PD-42"],
        "sasl/iterations-too-high",
        `r=${N1},s=${SHA1.salt},i=600001`,
        ["iterations"],
      ),
      badFirst(
        "iteration count with 25 digits",
        ["PD-42"],
        "sasl/iterations-too-high",
        `r=${N1},s=${SHA1.salt},i=9999999999999999999999999`,
        ["iterations"],
      ),
      bad(
        "a policy with a lower maximum refuses 4096",
        ["PD-42"],
        "server-first",
        "sasl/iterations-too-high",
        { policy: { maxIterations: 4095, minIterations: 1 }, serverFirst: SHA1.serverFirst },
        ["iterations", "policy"],
      ),
      badFirst(
        "iteration count 0",
        ["RFC5802-5.1.i"],
        "sasl/malformed-message",
        `r=${N1},s=${SHA1.salt},i=0`,
        ["iterations"],
      ),
      badFirst(
        "iteration count with a leading zero",
        ["RFC5802-5.1.i", "PD-41"],
        "sasl/malformed-message",
        `r=${N1},s=${SHA1.salt},i=04096`,
        ["iterations"],
      ),
      badFirst(
        "negative iteration count",
        ["RFC5802-5.1.i"],
        "sasl/malformed-message",
        `r=${N1},s=${SHA1.salt},i=-4096`,
        ["iterations"],
      ),
      badFirst(
        "iteration count with trailing letters",
        ["RFC5802-5.1.i"],
        "sasl/malformed-message",
        `r=${N1},s=${SHA1.salt},i=4096x`,
        ["iterations"],
      ),
      badFirst(
        "salt is not base64",
        ["RFC5802-5.1.s"],
        "sasl/invalid-base64",
        `r=${N1},s=QSXCR*Q6sek8bf92,i=4096`,
        ["salt"],
      ),
      badFirst(
        "salt has a wrong base64 length",
        ["RFC5802-5.1.s"],
        "sasl/invalid-base64",
        `r=${N1},s=QSXCR+Q6sek8bf9,i=4096`,
        ["salt"],
      ),
      badFirst(
        "salt base64 with non-zero padding bits",
        ["RFC5802-5.1.s", "PD-41"],
        "sasl/invalid-base64",
        `r=${N1},s=QR==,i=4096`,
        ["salt"],
      ),
      badFirst(
        "salt base64 without its padding",
        ["RFC5802-5.1.s", "PD-41"],
        "sasl/invalid-base64",
        `r=${N1},s=W22ZaJ0SNY7soEsUEjb6gQ,i=4096`,
        ["salt"],
      ),
      badFirst(
        "empty salt attribute",
        ["RFC5802-7.syntax", "PD-41"],
        "sasl/malformed-message",
        `r=${N1},s=,i=4096`,
        ["salt"],
      ),
      badFirst(
        "mandatory extension m= first",
        ["RFC5802-5.1.m"],
        "sasl/unknown-extension",
        `m=ext,${SHA1.serverFirst}`,
        ["extension"],
      ),
      badFirst(
        "mandatory extension m= after i=",
        ["RFC5802-5.1.m", "PD-41"],
        "sasl/unknown-extension",
        `${SHA1.serverFirst},m=ext`,
        ["extension"],
      ),
      badFirst(
        "s= before r=",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `s=${SHA1.salt},r=${N1},i=4096`,
        ["order"],
      ),
      badFirst(
        "i= before s=",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `r=${N1},i=4096,s=${SHA1.salt}`,
        ["order"],
      ),
      badFirst(
        "i= missing",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `r=${N1},s=${SHA1.salt}`,
        ["missing"],
      ),
      badFirst(
        "s= missing",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `r=${N1},i=4096`,
        ["missing"],
      ),
      badFirst(
        "r= missing",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `s=${SHA1.salt},i=4096`,
        ["missing"],
      ),
      badFirst("empty message", ["RFC5802-7.syntax"], "sasl/malformed-message", "", ["missing"]),
      badFirst(
        "trailing comma",
        ["RFC5802-7.syntax"],
        "sasl/malformed-message",
        `${SHA1.serverFirst},`,
        ["syntax"],
      ),
      badFirst(
        "attribute name in upper case",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `R=${N1},s=${SHA1.salt},i=4096`,
        ["syntax"],
      ),
      badFirst(
        "attribute without '='",
        ["RFC5802-7.syntax"],
        "sasl/malformed-message",
        `r${N1},s=${SHA1.salt},i=4096`,
        ["syntax"],
      ),
      badFirst(
        "duplicate r=",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        `r=${N1},r=${N1},s=${SHA1.salt},i=4096`,
        ["syntax"],
      ),
      badFirst(
        "NUL inside a value",
        ["RFC5802-7.syntax"],
        "sasl/malformed-message",
        `r=${N1},s=${SHA1.salt},i=4096,x=a\u0000b`,
        ["syntax"],
      ),
      badFirst(
        "e= where server-first is expected",
        ["RFC5802-7.server-first"],
        "sasl/malformed-message",
        "e=other-error",
        ["syntax"],
      ),
      badFirst("not UTF-8", ["RFC5802-7.syntax"], "sasl/invalid-encoding", {
        hex: toHex(
          concat(utf8(`r=${N1}`), new Uint8Array([0xc3, 0x28]), utf8(`,s=${SHA1.salt},i=4096`)),
        ),
      }, ["encoding"]),
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

function otherClientGroups(): Json[] {
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

function serverGroups(): Json[] {
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
    },
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

/** The whole vector file. */
export function scramVectorFile(): Json {
  nextId = 1;
  const testGroups = [sha1ClientGroup(), ...otherClientGroups(), ...serverGroups()];
  return {
    suite: "sasl.scram",
    schema: "scram.schema.json",
    version: 1,
    source:
      "RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256) example exchanges, typed in; every other case derived from them by state-machines/xmpp-stream/sasl/scram_vectors.ts with hand-written expected codes",
    generated: true,
    notes: {
      "rfc-example": "an exchange printed in the RFC, reproduced byte for byte",
      "saslprep": "exercises SASLprep (RFC 4013) of a username or password",
      "policy": "depends on the policy given in the test",
      "nonce": "nonce syntax or nonce continuity",
      "iterations": "iteration-count syntax or bounds",
      "salt": "salt encoding",
      "extension": "mandatory (m=) or optional extensions",
      "order": "attributes out of their defined order",
      "missing": "a required attribute or message is missing",
      "syntax": "other syntax errors",
      "encoding": "bytes that are not UTF-8",
      "signature": "the server signature does not verify",
      "proof": "the client proof does not verify",
      "server-error": "the server's e= value and the code it maps to",
      "channel-binding": "GS2 flags, -PLUS and the c= attribute",
      "downgrade": "an attempt to strip channel binding",
      "escaping": "SASLname =2C / =3D escaping",
      "unknown-user": "a username the server does not know",
      "replay": "a message from an earlier exchange",
    },
    numberOfTests: testGroups.reduce((n, g) => n + (g.tests as unknown[]).length, 0),
    testGroups,
  };
}

/** For tools/vector_generators.ts. */
export const scramVectorGenerator = {
  name: "sasl.scram",
  generate: () => [{ path: "sasl/scram.json", content: scramVectorFile() }],
};
