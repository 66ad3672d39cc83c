/**
 * Generator of `vectors/sasl-oauthbearer/oauthbearer.json` (run by
 * `deno task vectors`): the client side of OAUTHBEARER (RFC 7628). The
 * RFC's example values (§4.1 token, host and port; the §4.3 and §4.4 error
 * results) are typed in; every expected message and code is written here by
 * hand, never computed by the functions under test.
 *
 * @module
 */
import { VectorFileBuilder } from "../../../tools/vector_file_builder.ts";
import type { TestCase } from "../../../tools/vector_file_builder.ts";

const RFC_TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
/** A compact JWS shaped like a derlink login token (the signature is not checked here). */
const JWT =
  "eyJhbGciOiJFZDI1NTE5IiwidHlwIjoiYXQrand0Iiwia2lkIjoib3AtZWQyNTUxOSJ9.eyJzdWIiOiJkZXIxQGRlcmxpbmsudGVzdCJ9.c2lnbmF0dXJl";
const S = "\x01";
const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

const initialValid: TestCase[] = [
  {
    comment: "RFC 7628 §4.1 IMAP values, auth moved first (PD-221)",
    flags: ["rfc-example", "order"],
    spec: ["RFC7628-3.1", "RFC7628-3.1.auth", "PD-221"],
    token: RFC_TOKEN,
    authzid: "user@example.com",
    host: "server.example.com",
    port: 143,
    message:
      `n,a=user@example.com,${S}auth=Bearer ${RFC_TOKEN}${S}host=server.example.com${S}port=143${S}${S}`,
    result: "valid",
  },
  {
    comment: "RFC 7628 §4.1 SMTP port",
    flags: ["rfc-example", "order"],
    spec: ["RFC7628-3.1", "RFC7628-3.1.port"],
    token: RFC_TOKEN,
    authzid: "user@example.com",
    host: "server.example.com",
    port: 587,
    message:
      `n,a=user@example.com,${S}auth=Bearer ${RFC_TOKEN}${S}host=server.example.com${S}port=587${S}${S}`,
    result: "valid",
  },
  {
    comment: "no authzid: empty GS2 authzid part",
    spec: ["RFC7628-3.1", "RFC5801-4"],
    token: RFC_TOKEN,
    message: `n,,${S}auth=Bearer ${RFC_TOKEN}${S}${S}`,
    result: "valid",
  },
  {
    comment:
      "derlink's own form: bare JID as authzid, a JWS login token (dots are b64token characters)",
    spec: ["RFC7628-3.1", "RFC6750-2.1", "PD-221"],
    token: JWT,
    authzid: "der1@derlink.test",
    message: `n,a=der1@derlink.test,${S}auth=Bearer ${JWT}${S}${S}`,
    result: "valid",
  },
  {
    comment: "',' and '=' in the authzid are escaped =2C and =3D",
    flags: ["escaping"],
    spec: ["RFC5801-4"],
    token: "t",
    authzid: "a,b=c@d",
    message: `n,a=a=2Cb=3Dc@d,${S}auth=Bearer t${S}${S}`,
    result: "valid",
  },
  {
    comment: "every b64token character, padding at the end",
    spec: ["RFC6750-2.1"],
    token: "Az09-._~+/==",
    message: `n,,${S}auth=Bearer Az09-._~+/==${S}${S}`,
    result: "valid",
  },
  {
    comment: "the smallest and largest ports",
    spec: ["RFC7628-3.1.port"],
    token: "t",
    port: 1,
    message: `n,,${S}auth=Bearer t${S}port=1${S}${S}`,
    result: "valid",
  },
  {
    comment: "port 65535",
    spec: ["RFC7628-3.1.port"],
    token: "t",
    port: 65535,
    message: `n,,${S}auth=Bearer t${S}port=65535${S}${S}`,
    result: "valid",
  },
];

const refusedToken = (comment: string, token: string): TestCase => ({
  comment,
  flags: ["token"],
  spec: ["RFC6750-2.1", "RFC7628-3.1.auth"],
  token,
  result: "invalid",
  error: "sasl/invalid-token",
});
const refused = (
  comment: string,
  flag: string,
  error: string,
  over: Record<string, string | number>,
): TestCase => ({
  comment,
  flags: [flag],
  spec: flag === "port" ? ["RFC7628-3.1.port"] : ["RFC7628-3.1", "RFC5801-4"],
  token: "t",
  ...over,
  result: "invalid",
  error,
});

const initialInvalid: TestCase[] = [
  refusedToken("empty token", ""),
  refusedToken("space inside the token", "abc def"),
  refusedToken("%x01 inside the token would end the pair", `ab${S}host=evil`),
  refusedToken("'=' before the end", "ab=cd"),
  refusedToken("only padding", "=="),
  refusedToken("non-ASCII letter", "tök"),
  refusedToken("comma", "a,b"),
  refusedToken("the scheme repeated in the token", "Bearer abc"),
  refusedToken("NUL", "ab\0cd"),
  refused("empty authzid", "authzid", "sasl/invalid-authzid", { authzid: "" }),
  refused("authzid holding %x01", "authzid", "sasl/invalid-authzid", { authzid: `a${S}b@c` }),
  refused("authzid holding NUL", "authzid", "sasl/invalid-authzid", { authzid: "a\0b@c" }),
  refused("host holding %x01", "host", "sasl/malformed-message", { host: `h${S}auth=Bearer x` }),
  refused("host holding a space", "host", "sasl/malformed-message", { host: "a b" }),
  refused("port 0", "port", "sasl/malformed-message", { port: 0 }),
  refused("port 65536", "port", "sasl/malformed-message", { port: 65536 }),
  refused("port not whole", "port", "sasl/malformed-message", { port: 1.5 }),
  refused("negative port", "port", "sasl/malformed-message", { port: -143 }),
];

const RFC_43 =
  '{"status":"invalid_token","scope":"example_scope","openid-configuration":"https://example.com/.well-known/openid-configuration"}';
const RFC_44 =
  '{"status":"invalid_token","schemes":"bearer mac","scope":"https://mail.example.com/"}';
const errorValid: TestCase[] = [
  {
    comment: "RFC 7628 §4.3 error result, answered with %x01",
    flags: ["rfc-example"],
    spec: ["RFC7628-3.2.2", "RFC7628-3.2.3"],
    challenge: b64(RFC_43),
    status: "invalid_token",
    scope: "example_scope",
    openidConfiguration: "https://example.com/.well-known/openid-configuration",
    result: "valid",
  },
  {
    comment: "RFC 7628 §4.4 error result: an unknown member (schemes) is ignored",
    flags: ["rfc-example"],
    spec: ["RFC7628-3.2.2", "RFC7628-3.2.3"],
    challenge: b64(RFC_44),
    status: "invalid_token",
    scope: "https://mail.example.com/",
    result: "valid",
  },
  {
    comment: "status alone",
    spec: ["RFC7628-3.2.2"],
    challenge: b64('{"status":"insufficient_scope"}'),
    status: "insufficient_scope",
    result: "valid",
  },
  {
    comment: "non-text optional members are left out",
    spec: ["RFC7628-3.2.2"],
    challenge: b64('{"status":"invalid_request","scope":7,"openid-configuration":null}'),
    status: "invalid_request",
    result: "valid",
  },
];

const badResult = (comment: string, challenge: string): TestCase => ({
  comment,
  flags: ["error-result"],
  spec: ["RFC7628-3.2.2"],
  challenge,
  result: "invalid",
  error: "sasl/malformed-message",
});
const errorInvalid: TestCase[] = [
  badResult("empty challenge", ""),
  badResult("not JSON", b64("invalid_token")),
  badResult("a JSON array", b64('["invalid_token"]')),
  badResult("a JSON text", b64('"invalid_token"')),
  badResult("JSON null", b64("null")),
  badResult("no status", b64('{"scope":"x"}')),
  badResult("status is a number", b64('{"status":401}')),
  badResult("empty status", b64('{"status":""}')),
  badResult("status holding a control character", b64('{"status":"bad\\u0001"}')),
  badResult("status holding a double quote", b64('{"status":"a\\"b"}')),
  badResult("bytes that are not UTF-8", btoa("{\xff}")),
  badResult("truncated JSON", b64('{"status":"invalid_token"')),
];

/** The whole vector file. */
export function oauthBearerVectorFile() {
  return new VectorFileBuilder({
    suite: "sasl.oauthbearer",
    schema: "sasl-oauthbearer.schema.json",
    source:
      "RFC 7628 §3.1, §3.2.2-3.2.3 and the §4.1, §4.3, §4.4 example values, typed in; the other cases and every expected message and code written by hand in state-machines/xmpp-stream/sasl/oauthbearer_vectors.ts",
    generated: true,
    notes: {
      "rfc-example": "values printed in RFC 7628 §4",
      "order": "derlink sends auth first (PD-221), where the RFC example has host and port first",
      "escaping": "SASLname =2C / =3D escaping of the authzid",
      "token": "a bearer token outside RFC 6750's b64token",
      "authzid": "an authorization identity that cannot be sent",
      "host": "a host value that could break the framing",
      "port": "a port outside 1..65535 or not whole",
      "error-result": "a server challenge that is not an RFC 7628 error result",
    },
  })
    .group("oauthbearer-client-initial", {
      comment: "the initial client response (RFC 7628 §3.1)",
    }, [...initialValid, ...initialInvalid])
    .group("oauthbearer-client-error-result", {
      comment: "a server error result and the client's %x01 answer (RFC 7628 §3.2.2-3.2.3)",
    }, [...errorValid, ...errorInvalid])
    .build();
}

/** For tools/vector_generators.ts. */
export const oauthBearerVectorGenerator = {
  name: "sasl-oauthbearer",
  generate: () => [{ path: "sasl-oauthbearer/oauthbearer.json", content: oauthBearerVectorFile() }],
};
