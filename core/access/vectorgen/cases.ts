/**
 * The access-token vector cases: positives, then every refusal the profile
 * names, each with the one defect that decides its code (verify.ts order).
 * Tokens are signed by the fixture keys with deterministic signatures, so the
 * file regenerates byte for byte.
 *
 * @module
 */
import { base64url } from "jose";
import type { TestCase } from "../../../tools/vector_file_builder.ts";
import { AccessError } from "../errors.ts";
import { baseClaims, CONTROL, DER, fixtureKeys, NOW_MS, NOW_S } from "../fixtures.ts";
import {
  encodeJson,
  issueAccessToken,
  signCompact,
  tokenHeader,
  type TokenSigner,
} from "../issue.ts";
import { publicJwk } from "../keys.ts";
import { type AccessClaims, AUTHORIZATION_TYPE } from "../types.ts";
import { editHeader, hs256, nonCanonicalSignature, parts } from "./tamper.ts";

type Case = TestCase;
const E = AccessError;
const ks = fixtureKeys();
const ES = ks.es256.signer, ED = ks.ed25519.signer;
let jtiCounter = 100;
/** A fresh jti per token, so cases never collide in the replay cache of a `before` list. */
const freshJti = () => `jti-case-${String(++jtiCounter).padStart(8, "0")}`;
const claims = (over: Partial<AccessClaims> = {}) => baseClaims({ jti: freshJti(), ...over });
const tok = (over: Partial<AccessClaims> = {}, s: TokenSigner = ES) =>
  issueAccessToken(claims(over), s);
const raw = (header: object, payload: object, s = ES) => signCompact(header, payload, s);

function ok(comment: string, token: string, spec: string[], extra: Partial<Case> = {}): Case {
  return { comment, spec, result: "valid", token, now: NOW_MS, peer: CONTROL, ...extra };
}
function bad(
  comment: string,
  token: string,
  error: string,
  spec: string[],
  extra: Partial<Case> = {},
): Case {
  return { comment, spec, result: "invalid", error, token, now: NOW_MS, peer: CONTROL, ...extra };
}

export function positiveCases(): Case[] {
  const t1 = tok();
  return [
    ok("ES256 token from the operator", tok(), ["RFC7515-5.2", "PAPER-OPT3"]),
    ok("Ed25519 token from the operator (RFC 9864 name)", tok({}, ED), ["RFC9864-2.2"]),
    ok("second operator ES256 key", tok({}, ks.es256b.signer), ["RFC7515-4.1.4"]),
    ok("audience as a list holding this DER", tok({ aud: ["der9@derlink.test", DER] }), [
      "RFC7519-4.1.3",
    ]),
    ok("typ application/at+jwt", raw({ ...tokenHeader(ES), typ: "application/at+jwt" }, claims()), [
      "RFC9068-4",
    ]),
    ok("expiry one second beyond the skew", tok({ exp: NOW_S - 59, iat: NOW_S - 600 }), [
      "RFC7519-4.1.4",
      "PD-203",
    ]),
    ok("not-before exactly at the skew", tok({ nbf: NOW_S + 60 }), ["RFC7519-4.1.5", "PD-203"]),
    ok("lifetime exactly the maximum", tok({ iat: NOW_S - 100, exp: NOW_S - 100 + 3600 }), [
      "PD-203",
    ]),
    ok("two different tokens, both accepted", tok(), ["RFC7519-4.1.7"], { before: [tok()] }),
    ok("read on LD1 granted", t1, ["PD-207"], {
      request: { service: "read", logicalDevices: ["LD1"] },
    }),
    ok("operate on LD1 granted", tok(), ["PD-207"], {
      request: { service: "operate", logicalDevices: ["LD1"] },
    }),
    ok("read on any LD through '*'", tok(), ["PD-207"], {
      request: { service: "read", logicalDevices: ["LD7"] },
    }),
    ok("server directory (no LD) needs read on some LD", tok(), ["PD-207"], {
      request: { service: "read", logicalDevices: [] },
    }),
    ok(
      "one-time group command token",
      tok({
        authorization_details: [{
          type: AUTHORIZATION_TYPE,
          actions: ["group-command"],
          identifier: "*",
        }],
      }),
      ["PD-208"],
      { request: { service: "group-command", logicalDevices: ["LD1"] } },
    ),
    ok(
      "Ed25519 token, tariff publication",
      tok({
        authorization_details: [{
          type: AUTHORIZATION_TYPE,
          actions: ["tariff-publish"],
          identifier: "*",
        }],
      }, ED),
      ["PD-208"],
      { request: { service: "tariff-publish", logicalDevices: [] } },
    ),
    ok("no peer binding asked (one-time token checked without an association)", tok(), [
      "PD-205",
    ], { peer: undefined }),
  ];
}

export function structureCases(): Case[] {
  const t = tok();
  const [h, p, s] = parts(t);
  return [
    bad("empty string", "", E.malformed, ["RFC7515-7.1"]),
    bad("two parts", `${h}.${p}`, E.malformed, ["RFC7515-7.1"]),
    bad("four parts", `${t}.${s}`, E.malformed, ["RFC7515-7.1"]),
    bad(
      "'+' in the header (base64, not base64url)",
      `${h.slice(0, 4)}+${h.slice(5)}.${p}.${s}`,
      E.malformed,
      ["RFC7515-2"],
    ),
    bad("padding '=' on the payload", `${h}.${p}=.${s}`, E.malformed, ["RFC7515-2"]),
    bad(
      "signature in non-canonical base64url (same bytes)",
      nonCanonicalSignature(t),
      E.malformed,
      [
        "RFC7515-2",
        "PD-206",
      ],
    ),
    bad(
      "header is not JSON",
      `${base64url.encode(new TextEncoder().encode("{alg"))}.${p}.${s}`,
      E.malformed,
      ["RFC7515-5.2"],
    ),
    bad("header is a JSON array", `${encodeJson(["ES256"])}.${p}.${s}`, E.malformed, [
      "RFC7515-5.2",
    ]),
    bad(
      "header is not UTF-8",
      `${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.${p}.${s}`,
      E.malformed,
      ["RFC8725-3.7"],
    ),
    bad(
      "payload is a JSON array (validly signed)",
      raw(tokenHeader(ES), [1] as never),
      E.malformed,
      [
        "RFC7519-7.2",
      ],
    ),
    bad(
      "payload is not JSON",
      `${h}.${base64url.encode(new TextEncoder().encode("x"))}.${s}`,
      E.malformed,
      ["RFC7519-7.2"],
    ),
    bad("empty signature", `${h}.${p}.`, E.malformed, ["RFC7515-5.2"]),
    bad("surrounding whitespace", ` ${t}`, E.malformed, ["RFC7515-7.1"]),
    bad("a non-ASCII character", `${t}é`, E.malformed, ["RFC7515-7.1"]),
    bad("8193 characters", `${h}.${p}.${"A".repeat(8192 - h.length - p.length)}`, E.oversize, [
      "PD-203",
    ]),
    bad(
      "validly signed but over the size limit",
      tok({ client_id: "c".repeat(8000) }),
      E.oversize,
      [
        "PD-203",
      ],
    ),
    bad("alg missing", raw({ typ: "at+jwt", kid: ES.kid }, claims()), E.malformed, [
      "RFC7515-4.1.1",
    ]),
    bad("alg is a number", raw({ alg: 256, typ: "at+jwt", kid: ES.kid }, claims()), E.malformed, [
      "RFC7515-4.1.1",
    ]),
    bad("kid is a number", raw({ ...tokenHeader(ES), kid: 7 }, claims()), E.malformed, [
      "RFC7515-4.1.4",
    ]),
    bad("not a string at all", 42 as never, E.malformed, ["PD-206"]),
  ];
}

export function headerCases(): Case[] {
  const c = claims();
  const hdr = (alg: string, kid = ES.kid) => ({ alg, typ: "at+jwt", kid });
  const esJwk = publicJwk("p256", ks.es256.publicKey);
  const t = tok();
  const [, p] = parts(t);
  return [
    bad("alg none, empty signature", `${encodeJson(hdr("none"))}.${p}.`, E["alg-none"], [
      "RFC8725-3.1",
      "RFC7518-3.6",
    ]),
    bad(
      "alg none with the original signature kept",
      editHeader(t, (x) => ({ ...x, alg: "none" })),
      E["alg-none"],
      ["RFC8725-3.1"],
    ),
    bad("alg None (not a profile algorithm)", raw(hdr("None"), c), E["alg-not-allowed"], [
      "RFC8725-3.2",
    ]),
    bad(
      "HS256 keyed with the operator's raw public key",
      hs256(hdr("HS256"), c, ks.es256.publicKey),
      E["alg-not-allowed"],
      ["RFC8725-2.1", "RFC8725-3.1"],
    ),
    bad(
      "HS256 keyed with the operator key's JWK text",
      hs256(hdr("HS256"), c, new TextEncoder().encode(JSON.stringify(esJwk))),
      E["alg-not-allowed"],
      [
        "RFC8725-2.1",
        "RFC8725-3.1",
      ],
    ),
    bad("HS512", hs256(hdr("HS512"), c, ks.es256.publicKey), E["alg-not-allowed"], ["RFC8725-3.1"]),
    bad("RS256 named", raw(hdr("RS256"), c), E["alg-not-allowed"], ["RFC8725-3.2"]),
    bad("ES384 named", raw(hdr("ES384"), c), E["alg-not-allowed"], ["RFC8725-3.2"]),
    bad(
      "polymorphic EdDSA instead of Ed25519",
      raw(hdr("EdDSA", ED.kid), c, ED),
      E["alg-not-allowed"],
      ["RFC9864-2.2", "PD-202"],
    ),
    bad(
      "ES256 header on the Ed25519 key (signed with it)",
      raw(hdr("ES256", ED.kid), c, ED),
      E["alg-key-mismatch"],
      ["RFC8725-3.1", "PD-202"],
    ),
    bad(
      "Ed25519 header on the ES256 key (signed with it)",
      raw(hdr("Ed25519", ES.kid), c, ES),
      E["alg-key-mismatch"],
      ["RFC8725-3.1", "PD-202"],
    ),
    bad(
      "unknown kid (an outsider's key)",
      raw(hdr("ES256", "attacker"), c, ks.rogueEs256.signer),
      E["unknown-key"],
      ["RFC7515-4.1.4"],
    ),
    bad("kid missing", raw({ alg: "ES256", typ: "at+jwt" }, c), E["unknown-key"], [
      "RFC7515-4.1.4",
    ]),
    bad(
      "attacker's key embedded as jwk",
      raw(
        {
          ...hdr("ES256"),
          jwk: publicJwk("p256", ks.rogueEs256.publicKey),
        },
        c,
        ks.rogueEs256.signer,
      ),
      E["unexpected-header"],
      ["RFC8725-3.10", "PD-201"],
    ),
    bad(
      "jku header",
      raw({ ...hdr("ES256"), jku: "https://attacker.example/keys" }, c),
      E["unexpected-header"],
      ["PD-201"],
    ),
    bad(
      "x5u header",
      raw({ ...hdr("ES256"), x5u: "https://attacker.example/c.pem" }, c),
      E["unexpected-header"],
      ["PD-201"],
    ),
    bad("x5c header", raw({ ...hdr("ES256"), x5c: ["MIIB"] }, c), E["unexpected-header"], [
      "PD-201",
    ]),
    bad("crit header", raw({ ...hdr("ES256"), crit: ["exp"] }, c), E["unexpected-header"], [
      "RFC7515-4.1.11",
    ]),
    bad(
      "b64 false (unencoded payload)",
      raw({ ...hdr("ES256"), b64: false }, c),
      E["unexpected-header"],
      ["PD-201"],
    ),
    bad("zip header", raw({ ...hdr("ES256"), zip: "DEF" }, c), E["unexpected-header"], [
      "RFC8725-3.6",
    ]),
    bad("typ missing", raw({ alg: "ES256", kid: ES.kid }, c), E["wrong-type"], ["RFC8725-3.11"]),
    bad("typ JWT", raw({ ...hdr("ES256"), typ: "JWT" }, c), E["wrong-type"], ["RFC8725-3.11"]),
    bad(
      "typ of another JWT kind (dpop+jwt)",
      raw({ ...hdr("ES256"), typ: "dpop+jwt" }, c),
      E["wrong-type"],
      ["RFC8725-3.11", "RFC8725-3.12"],
    ),
  ];
}
