/**
 * The per-message vector cases for one suite: a DER (the receiver under
 * test) and the control centre sending to it. Valid cases are honest
 * messages from the reference sender; invalid ones are the negative cases
 * Wycheproof-style: forged signatures and tampered fields, wrong signer and
 * recipient, certificates that are expired, revoked or foreign, stale
 * times, replays, and the grammar.
 *
 * @module
 */
import { toHex, utf8 } from "../../../core/bytes.ts";
import { structure } from "./structure_cases.ts";
import { PkiError } from "../../../core/pki/errors.ts";
import type { XmlElement } from "../../a-profile/xml.ts";
import { PerMessageError as E } from "../errors.ts";
import { JIDS, type PerMessagePki, T0 } from "../fixtures.ts";
import { decoded, type Delivery, digestOf, flip, mutate, resign, Sender, xmlOf } from "./tools.ts";

export type Expect =
  | { readonly error: string }
  | { readonly out: "data"; readonly payload: string }
  | { readonly out: "released" | "aborted" };

export interface Case {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  readonly before?: readonly Delivery[];
  readonly message: Delivery;
  readonly expect: Expect;
}

/** The full JIDs the XMPP server stamps. */
export const STAMP = { vpp: `${JIDS.vpp}/control`, mallory: `${JIDS.mallory}/x` } as const;
const WINDOW = 5 * 60_000;
export const data = (s: string): Expect => ({ out: "data", payload: toHex(utf8(s)) });
export const at = (e: XmlElement, now: number, from: string = STAMP.vpp): Delivery => ({
  xml: xmlOf(e),
  from,
  now,
});
const xmlAt = (xml: string, now: number): Delivery => ({ xml, from: STAMP.vpp, now });
const SIG = ["PD-228", "PD-229", "PAPER-R2", "PAPER-R4a"];

/** Cases against a receiver that requires encryption (the default policy). */
export function encryptedCases(pki: PerMessagePki): Case[] {
  const vpp = () => new Sender(pki, pki.vpp, JIDS.der, "sender vpp", { peerChain: pki.der.chain });
  const s = vpp();
  const m = [s.send("operate 1", T0)];
  s.acknowledged();
  for (let k = 1; k < 66; k++) m.push(s.send(`operate ${k + 1}`, T0 + 10 * k));
  const [m1, m2, m3] = m;
  const m66 = m[65];
  const later = new Sender(pki, pki.vpp, JIDS.der, "sender vpp restarted", {
    peerChain: pki.der.chain,
  });
  const b1 = later.send("after restart", T0 + 5000);
  const rel = vpp();
  const r1 = rel.send("last", T0);
  const r2 = rel.send("", T0 + 1, "release");
  const ab = vpp();
  const a1 = ab.send("x", T0);
  const a2 = ab.send("", T0 + 1, "abort");
  const empty = vpp().send("", T0);
  const other = (who: typeof pki.vpp, seed: string, o = {}) =>
    new Sender(pki, who, JIDS.der, seed, { peerChain: pki.der.chain, ...o }).send("operate 1", T0);
  const plain = new Sender(pki, pki.vpp, JIDS.der, "plain", {
    peerChain: pki.der.chain,
    policy: { encrypt: false },
  }).send("operate 1", T0);
  const toOtherCert = new Sender(pki, pki.vpp, JIDS.der, "other cert", {
    peerChain: pki.signOnly.chain,
    policy: { requireKeyAgreementUsage: false },
  }).send("operate 1", T0);
  const fromMallory = new Sender(pki, pki.mallory, JIDS.der, "mallory", {
    peerChain: pki.der.chain,
  }).send("operate 1", T0);
  const badPoint = pki.suite === "x25519-ed25519"
    ? new Uint8Array(32)
    : flip(new Uint8Array(65), 0);
  const text = xmlOf(m1);
  const edit = (from: string | RegExp, to: string) => {
    const out = text.replace(from, to);
    if (out === text) throw new Error(`edit did not apply: ${from}`);
    return out;
  };
  const body = decoded(m1).body;

  const valid: Case[] = [
    c(
      "the first message: chain carried, encrypted, signed",
      ["ValidMessage"],
      [],
      at(m1, T0),
      data("operate 1"),
    ),
    c(
      "a later message naming the signer's certificate by reference",
      ["ValidMessage", "Reference"],
      [at(m1, T0)],
      at(m2, T0 + 10),
      data("operate 2"),
    ),
    c(
      "reordered delivery inside the window",
      ["ValidMessage", "Window"],
      [at(m1, T0), at(m3, T0 + 20)],
      at(m2, T0 + 20),
      data("operate 2"),
    ),
    c(
      "the message time at the window's past edge",
      ["ValidMessage", "Timestamp"],
      [],
      at(m1, T0 + WINDOW),
      data("operate 1"),
    ),
    c(
      "the message time at the window's future edge",
      ["ValidMessage", "Timestamp"],
      [],
      at(m1, T0 - WINDOW),
      data("operate 1"),
    ),
    c(
      "a restarted sender (new instance id, later time) is accepted",
      ["ValidMessage", "Replay"],
      [at(m1, T0)],
      at(b1, T0 + 5000),
      data("after restart"),
    ),
    c("an empty payload", ["ValidMessage"], [], at(empty, T0), data("")),
    c(
      "a signed release after a message",
      ["ValidMessage", "Release"],
      [at(r1, T0)],
      at(r2, T0 + 1),
      { out: "released" },
    ),
    c("a signed abort after a message", ["ValidMessage", "Release"], [at(a1, T0)], at(a2, T0 + 1), {
      out: "aborted",
    }),
  ];
  const bad = (
    comment: string,
    flags: string[],
    message: Delivery,
    error: string,
    before?: Delivery[],
    spec = SIG,
  ) => c(comment, ["Invalid", ...flags], before ?? [], message, { error }, spec);
  const invalid: Case[] = [
    // Forged and tampered, not signed again.
    bad(
      "signature bit flipped",
      ["ForgedSignature"],
      at(mutate(m1, (x) => ({ ...x, signature: flip(x.signature, -1) })), T0),
      E["bad-signature"],
    ),
    bad(
      "the signature of another message",
      ["ForgedSignature"],
      at(mutate(m1, (x) => ({ ...x, signature: decoded(m2).signature })), T0),
      E["bad-signature"],
    ),
    bad(
      "ciphertext byte flipped",
      ["TamperedCiphertext"],
      at(mutate(m1, (x) => ({ ...x, body: flip(x.body, 0) })), T0),
      E["bad-signature"],
    ),
    bad(
      "GCM tag byte flipped",
      ["TamperedCiphertext"],
      at(mutate(m1, (x) => ({ ...x, body: flip(x.body, -1) })), T0),
      E["bad-signature"],
    ),
    bad(
      "ciphertext truncated by one byte",
      ["TamperedCiphertext"],
      at(mutate(m1, (x) => ({ ...x, body: x.body.slice(0, -1) })), T0),
      E["bad-signature"],
    ),
    bad(
      "time moved by 1 ms",
      ["FieldFlip"],
      at(mutate(m1, (x) => ({ ...x, header: { ...x.header, time: T0 + 1 } })), T0),
      E["bad-signature"],
    ),
    bad(
      "sequence number changed",
      ["FieldFlip"],
      at(mutate(m1, (x) => ({ ...x, header: { ...x.header, seq: 7 } })), T0),
      E["bad-signature"],
    ),
    bad(
      "kind changed to abort",
      ["FieldFlip"],
      at(mutate(m1, (x) => ({ ...x, header: { ...x.header, kind: "abort" } })), T0),
      E["bad-signature"],
    ),
    bad(
      "ephemeral key replaced by another valid one",
      ["FieldFlip"],
      at(mutate(m1, (x) => ({ ...x, header: { ...x.header, epk: decoded(m2).header.epk } })), T0),
      E["bad-signature"],
    ),
    bad(
      "sender instance id changed",
      ["FieldFlip"],
      at(mutate(m1, (x) => ({ ...x, header: { ...x.header, sid: flip(x.header.sid, 0) } })), T0),
      E["bad-signature"],
    ),
    bad(
      "the signature algorithm renamed",
      ["FieldFlip"],
      at(
        mutate(
          m1,
          (x) => ({
            ...x,
            header: { ...x.header, suite: pki.suite === "p256" ? "brainpool256" : "p256" },
          }),
        ),
        T0,
      ),
      E["algorithm-mismatch"],
    ),
    // Signed again with a real key.
    bad(
      "ciphertext tampered and signed again by the sender's own key",
      ["TamperedCiphertext", "Resigned"],
      at(resign(m1, pki.vpp, (x) => ({ ...x, body: flip(x.body, 0) })), T0),
      E["bad-ciphertext"],
    ),
    bad(
      "ciphertext re-signed by another valid certificate claiming the sender's JID",
      ["WrongSigner", "Resigned"],
      at(
        resign(
          m1,
          pki.mallory,
          (x) => ({
            ...x,
            chain: pki.mallory.chain,
            header: { ...x.header, signer: digestOf(pki.mallory) },
          }),
        ),
        T0,
      ),
      E["wrong-signer"],
    ),
    bad(
      "another valid certificate carried under the sender's signer digest",
      ["WrongSigner"],
      at(mutate(m1, (x) => ({ ...x, chain: pki.mallory.chain })), T0),
      E["certificate-mismatch"],
    ),
    bad(
      "a third party's honest message to the DER",
      ["WrongSigner"],
      at(fromMallory, T0, STAMP.mallory),
      E["unexpected-peer"],
    ),
    bad(
      "the XMPP server stamps another sender",
      ["WrongSigner"],
      at(m1, T0, STAMP.mallory),
      E["sender-mismatch"],
    ),
    bad(
      "addressed to another JID (signed again)",
      ["WrongRecipient", "Resigned"],
      at(
        resign(m1, pki.vpp, (x) => ({ ...x, header: { ...x.header, to: "der2@grid.example" } })),
        T0,
      ),
      E["wrong-recipient"],
    ),
    bad(
      "encrypted to another certificate of the DER's JID",
      ["WrongRecipient"],
      at(toOtherCert, T0),
      E["wrong-recipient"],
    ),
    bad(
      "encrypted without naming the recipient certificate (signed again)",
      ["WrongRecipient", "Resigned"],
      at(resign(m1, pki.vpp, (x) => ({ ...x, header: { ...x.header, rcpt: undefined } })), T0),
      E["wrong-recipient"],
    ),
    bad(
      "ephemeral key not on the curve (signed again)",
      ["BadKeyShare", "Resigned"],
      at(resign(m1, pki.vpp, (x) => ({ ...x, header: { ...x.header, epk: badPoint } })), T0),
      E["bad-key-share"],
    ),
    bad(
      "first sequence number beyond the maximum gap (signed again)",
      ["Window", "Resigned"],
      at(resign(m1, pki.vpp, (x) => ({ ...x, header: { ...x.header, seq: (1 << 20) + 1 } })), T0),
      E["sequence-gap"],
    ),
    // Certificates.
    bad(
      "the signer's certificate expired",
      ["Certificate"],
      at(other(pki.expired, "expired"), T0),
      PkiError.expired,
      undefined,
      ["PD-229", "PAPER-M2"],
    ),
    bad(
      "the signer's certificate is revoked",
      ["Certificate"],
      at(other(pki.revoked, "revoked"), T0),
      PkiError.revoked,
      undefined,
      ["PD-229", "PAPER-M7"],
    ),
    bad(
      "the signer's certificate is from another CA",
      ["Certificate"],
      at(other(pki.foreign, "foreign"), T0),
      PkiError.untrusted,
      undefined,
      ["PD-229", "PAPER-M2"],
    ),
    bad(
      "a reference to a certificate never seen",
      ["Certificate", "Reference"],
      at(m2, T0 + 10),
      E["unknown-certificate"],
    ),
    // Time and replay.
    bad(
      "1 ms older than the window",
      ["Timestamp"],
      at(m1, T0 + WINDOW + 1),
      E["stale-timestamp"],
      undefined,
      ["PD-229", "RFC3923-6-timestamps"],
    ),
    bad(
      "1 ms further in the future than the window",
      ["Timestamp"],
      at(m1, T0 - WINDOW - 1),
      E["stale-timestamp"],
      undefined,
      ["PD-229", "RFC3923-6-timestamps"],
    ),
    bad("the same message again", ["Replay"], at(m1, T0 + 1), E.replay, [at(m1, T0)], [
      "PD-229",
      "PAPER-AS3",
    ]),
    bad("a message again after later ones", ["Replay"], at(m2, T0 + 30), E.replay, [
      at(m1, T0),
      at(m2, T0 + 10),
      at(m3, T0 + 20),
    ], ["PD-229", "PAPER-AS3"]),
    bad("below the receive window", ["Replay", "Window"], at(m2, T0 + 700), E["out-of-window"], [
      at(m1, T0),
      at(m66, T0 + 650),
    ], ["PD-229", "PAPER-AS3"]),
    bad(
      "a message of the sender's previous instance after its restart",
      ["Replay"],
      at(m2, T0 + 5000),
      E.replay,
      [at(m1, T0), at(b1, T0 + 5000)],
      ["PD-229", "PAPER-AS3"],
    ),
    bad(
      "not encrypted while the DER requires encryption",
      ["Confidentiality"],
      at(plain, T0),
      E["confidentiality-required"],
      undefined,
      ["PD-228", "PAPER-R6a"],
    ),
    // Grammar (refused before any signature check).
    ...structure(text, edit, body).map(([comment, xml, error]) =>
      bad(comment, ["Structure"], xmlAt(xml, T0), error, undefined, ["PD-225"])
    ),
  ];
  return [...valid, ...invalid];
}

export function c(
  comment: string,
  flags: string[],
  before: Delivery[],
  message: Delivery,
  expect: Expect,
  spec: readonly string[] = ["PD-228", "PD-229", "PAPER-R2", "PAPER-R4a", "PAPER-R6a"],
): Case {
  return { comment, flags, spec, before: before.length ? before : undefined, message, expect };
}
