/**
 * Access-token vector cases, second half: signatures, claims, subject
 * binding, replay and authorization refusals.
 *
 * @module
 */
import { p256 } from "@noble/curves/nist.js";
import type { TestCase } from "../../../tools/vector_file_builder.ts";
import { AccessError } from "../errors.ts";
import { baseClaims, CONTROL, fixtureKeys, NOW_MS, NOW_S } from "../fixtures.ts";
import { issueAccessToken, signCompact, tokenHeader, type TokenSigner } from "../issue.ts";
import { type AccessClaims, AUTHORIZATION_TYPE } from "../types.ts";
import { editHeader, editPayload, flipSignature, signatureOf, withSignature } from "./tamper.ts";

type Case = TestCase;
const E = AccessError;
const ks = fixtureKeys();
const ES = ks.es256.signer, ED = ks.ed25519.signer;
let n = 500;
const claims = (over: Partial<AccessClaims> = {}) =>
  baseClaims({ jti: `jti-claims-${String(++n).padStart(8, "0")}`, ...over });
const tok = (over: Partial<AccessClaims> = {}, s: TokenSigner = ES) =>
  issueAccessToken(claims(over), s);
const rawClaims = (c: object, s: TokenSigner = ES) => signCompact(tokenHeader(s), c, s);
const without = (name: string) => {
  const c: Record<string, unknown> = { ...claims() };
  delete c[name];
  return rawClaims(c);
};
const detail = (actions: unknown, identifier: unknown = "LD1", extra = {}) => ({
  type: AUTHORIZATION_TYPE,
  actions,
  identifier,
  ...extra,
});
function bad(comment: string, token: string, error: string, spec: string[], extra = {}): Case {
  return { comment, spec, result: "invalid", error, token, now: NOW_MS, peer: CONTROL, ...extra };
}

export function signatureCases(): Case[] {
  const t = tok(), te = tok({}, ED);
  const sig = signatureOf(t);
  const highS = p256.Signature.fromBytes(sig, "compact");
  const flipped = new p256.Signature(highS.r, p256.Point.CURVE().n - highS.s).toBytes("compact");
  return [
    bad(
      "ES256 signed by an outsider under the operator's kid",
      tok({}, ks.rogueEs256.signer),
      E["bad-signature"],
      ["RFC7515-5.2", "PAPER-OPT3"],
    ),
    bad(
      "Ed25519 signed by an outsider under the operator's kid",
      tok({}, ks.rogueEd25519.signer),
      E["bad-signature"],
      ["RFC7515-5.2"],
    ),
    bad("signature of another token", withSignature(t, signatureOf(tok())), E["bad-signature"], [
      "RFC7515-5.2",
    ]),
    bad(
      "ES256 signature truncated to 63 bytes",
      withSignature(t, sig.subarray(0, 63)),
      E["bad-signature"],
      ["RFC7518-3.4"],
    ),
    bad(
      "ES256 signature DER-encoded instead of r||s",
      withSignature(t, highS.toBytes("der")),
      E["bad-signature"],
      ["RFC7518-3.4"],
    ),
    bad("ES256 signature, first byte flipped", flipSignature(t, 0), E["bad-signature"], [
      "RFC7515-5.2",
    ]),
    bad("ES256 signature, last byte flipped", flipSignature(t, 63, 0x80), E["bad-signature"], [
      "RFC7515-5.2",
    ]),
    bad("Ed25519 signature, byte 40 flipped", flipSignature(te, 40), E["bad-signature"], [
      "RFC7515-5.2",
    ]),
    bad(
      "Ed25519 signature of 65 bytes",
      withSignature(te, new Uint8Array([...signatureOf(te), 0])),
      E["bad-signature"],
      ["RFC7515-5.2"],
    ),
    bad(
      "payload: sub changed, signature kept",
      editPayload(t, (c) => ({ ...c, sub: "evil@derlink.test" })),
      E["bad-signature"],
      ["RFC7515-5.2"],
    ),
    bad(
      "payload: exp extended, signature kept",
      editPayload(t, (c) => ({ ...c, exp: NOW_S + 86400 })),
      E["bad-signature"],
      ["RFC7515-5.2"],
    ),
    bad(
      "payload: write added, signature kept",
      editPayload(t, (c) => ({
        ...c,
        authorization_details: [detail(["read", "write", "operate"], "*")],
      })),
      E["bad-signature"],
      ["RFC7515-5.2"],
    ),
    bad(
      "header: kid switched to the other ES256 operator key",
      editHeader(t, (h) => ({
        ...h,
        kid: ks.es256b.signer.kid,
      })),
      E["bad-signature"],
      ["RFC7515-5.2", "RFC7515-4.1.4"],
    ),
    bad(
      "header: re-encoded with another member order",
      editHeader(t, (h) => ({
        kid: h.kid,
        typ: h.typ,
        alg: h.alg,
      })),
      E["bad-signature"],
      ["RFC7515-5.2"],
    ),
    {
      comment: "ES256 high-S form of a valid signature (standard ECDSA accepts it)",
      spec: ["RFC7518-3.4"],
      flags: ["high-s"],
      result: "acceptable",
      token: withSignature(tok(), flipped),
      now: NOW_MS,
      peer: CONTROL,
    },
  ];
}

export function claimCases(): Case[] {
  const missing = [
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "client_id",
    "authorization_details",
  ]
    .map((name) =>
      bad(`${name} missing`, without(name), E["missing-claim"], ["RFC9068-2.2", "RFC7519-7.2"])
    );
  return [
    ...missing,
    bad("another issuer", tok({ iss: "https://rogue.derlink.test" }), E["wrong-issuer"], [
      "RFC8725-3.8",
      "RFC7519-4.1.1",
    ]),
    bad(
      "issuer differing in case",
      tok({ iss: "https://Operator.derlink.test" }),
      E["wrong-issuer"],
      [
        "RFC7519-4.1.1",
      ],
    ),
    bad("audience is another DER", tok({ aud: "der2@derlink.test" }), E["wrong-audience"], [
      "RFC8725-3.9",
      "RFC7519-4.1.3",
    ]),
    bad(
      "audience list without this DER",
      tok({ aud: ["der2@derlink.test", "der3@derlink.test"] }),
      E["wrong-audience"],
      ["RFC7519-4.1.3"],
    ),
    bad("audience is the XMPP server", tok({ aud: "derlink.test" }), E["wrong-audience"], [
      "RFC8725-3.9",
    ]),
    bad("expired beyond the skew", tok({ exp: NOW_S - 61, iat: NOW_S - 600 }), E.expired, [
      "RFC7519-4.1.4",
    ]),
    bad(
      "expired exactly at the skew boundary",
      tok({ exp: NOW_S - 60, iat: NOW_S - 600 }),
      E.expired,
      ["RFC7519-4.1.4", "PD-203"],
    ),
    bad("not before is ahead beyond the skew", tok({ nbf: NOW_S + 61 }), E["not-yet-valid"], [
      "RFC7519-4.1.5",
    ]),
    bad("issued in the future", tok({ iat: NOW_S + 120 }), E["issued-in-future"], [
      "RFC7519-4.1.6",
      "PD-203",
    ]),
    bad(
      "lifetime of two hours",
      tok({ iat: NOW_S - 10, exp: NOW_S + 7190 }),
      E["lifetime-too-long"],
      [
        "PD-203",
      ],
    ),
    bad("exp with a fraction", tok({ exp: NOW_S + 600.5 }), E["invalid-claim"], [
      "PD-200",
      "RFC7519-2",
    ]),
    bad("exp as text", rawClaims({ ...claims(), exp: String(NOW_S + 600) }), E["invalid-claim"], [
      "RFC7519-4.1.4",
    ]),
    bad("jti of 8 characters", tok({ jti: "short-id" }), E["invalid-claim"], ["PD-200"]),
    bad("jti with a space", tok({ jti: "jti with a space 000" }), E["invalid-claim"], ["PD-200"]),
    bad("sub is not a JID", tok({ sub: "@@" }), E["invalid-claim"], ["PD-205", "RFC7519-4.1.2"]),
    bad("sub is a full JID", tok({ sub: `${CONTROL}/desk` }), E["invalid-claim"], ["PD-205"]),
    bad("sub not in canonical form", tok({ sub: "CC@derlink.test" }), E["invalid-claim"], [
      "PD-205",
    ]),
    bad(
      "authorization_details is an object",
      rawClaims({
        ...claims(),
        authorization_details: detail(["read"]),
      }),
      E["invalid-claim"],
      ["RFC9396-2"],
    ),
    bad("authorization_details is empty", tok({ authorization_details: [] }), E["invalid-claim"], [
      "RFC9396-2",
    ]),
    bad(
      "entry of another type",
      tok({
        authorization_details: [{ ...detail(["read"]), type: "payment_initiation" } as never],
      }),
      E["invalid-claim"],
      ["RFC9396-2", "PD-200"],
    ),
    bad(
      "unknown action",
      tok({ authorization_details: [detail(["read", "shutdown"]) as never] }),
      E["invalid-claim"],
      ["PD-200"],
    ),
    bad(
      "action listed twice",
      tok({ authorization_details: [detail(["read", "read"]) as never] }),
      E["invalid-claim"],
      ["PD-200"],
    ),
    bad(
      "entry with an extra field",
      tok({
        authorization_details: [detail(["read"], "LD1", { locations: ["x"] }) as never],
      }),
      E["invalid-claim"],
      ["PD-200"],
    ),
    bad(
      "logical device name with '/'",
      tok({ authorization_details: [detail(["read"], "LD1/LLN0") as never] }),
      E["invalid-claim"],
      ["PD-200"],
    ),
  ];
}

export function bindingCases(): Case[] {
  const t = tok();
  const a = tok({ exp: NOW_S + 100 }), b = tok({ exp: NOW_S + 200 }), c = tok({ exp: NOW_S + 100 });
  return [
    bad(
      "subject is not the authenticated peer",
      t,
      E["subject-mismatch"],
      ["PD-205", "PAPER-OPT3"],
      {
        peer: "cc2@derlink.test",
      },
    ),
    bad("the same token presented twice", t, E.replayed, ["RFC7519-4.1.7", "PD-204"], {
      before: [t],
    }),
    bad(
      "the same jti re-signed by the other operator key",
      issueAccessToken(
        { ...baseClaims({ jti: "jti-replayed-00000001" }) },
        ED,
      ),
      E.replayed,
      ["RFC7519-4.1.7", "PD-204"],
      {
        before: [issueAccessToken(baseClaims({ jti: "jti-replayed-00000001" }), ES)],
      },
    ),
    bad("evicted from a full cache: expires no later than the floor", c, E["replay-floor"], [
      "PD-204",
    ], { before: [a, b], group: "small-cache" }),
  ];
}

export function authorizationCases(): Case[] {
  const only = (actions: string[], identifier = "LD1") =>
    tok({ authorization_details: [detail(actions, identifier) as never] });
  return [
    bad("write not granted", only(["read", "operate"]), E["service-not-allowed"], ["PD-207"], {
      request: { service: "write", logicalDevices: ["LD1"] },
    }),
    bad("operate on another logical device", only(["operate"]), E["service-not-allowed"], [
      "PD-207",
    ], {
      request: { service: "operate", logicalDevices: ["LD2"] },
    }),
    bad("read on two LDs, only one granted", only(["read"]), E["service-not-allowed"], ["PD-207"], {
      request: { service: "read", logicalDevices: ["LD1", "LD2"] },
    }),
    bad(
      "group command not granted",
      only(["read", "write", "operate"], "*"),
      E["service-not-allowed"],
      ["PD-207", "PD-208"],
      { request: { service: "group-command", logicalDevices: [] } },
    ),
    bad("tariff publication not granted", only(["read"], "*"), E["service-not-allowed"], [
      "PD-207",
    ], { request: { service: "tariff-publish", logicalDevices: [] } }),
    bad("request after the token expired", tok({ exp: NOW_S + 10 }), E.expired, ["PD-207"], {
      request: { service: "read", logicalDevices: ["LD1"], now: NOW_MS + 71_000 },
    }),
  ];
}
