/**
 * Cases against a receiver that accepts signed-only (integrity-only)
 * messages: the signature alone protects the plaintext body.
 *
 * @module
 */
import { utf8 } from "../../../core/bytes.ts";
import { PkiError } from "../../../core/pki/errors.ts";
import { PerMessageError as E } from "../errors.ts";
import { JIDS, type PerMessagePki, T0 } from "../fixtures.ts";
import { at, c, type Case, data } from "./cases.ts";
import { decoded, mutate, Sender } from "./tools.ts";

/** Cases against a receiver that accepts integrity-only messages. */
export function signOnlyCases(pki: PerMessagePki): Case[] {
  const s = new Sender(pki, pki.vpp, JIDS.der, "signed only", { policy: { encrypt: false } });
  const m1 = s.send("read MMXU1", T0);
  const m2 = s.send("read MMXU2", T0 + 10);
  const enc = new Sender(pki, pki.vpp, JIDS.der, "still encrypted", { peerChain: pki.der.chain })
    .send("operate 1", T0);
  const spec = ["PD-228", "PAPER-R4a"];
  // The held certificate expires between two messages (valid until T0 + 1 h).
  const end = T0 + 3600_000;
  const old = new Sender(pki, pki.expiring, JIDS.der, "expiring", { policy: { encrypt: false } });
  const e1 = old.send("before expiry", end - 60_000);
  old.acknowledged();
  const e2 = old.send("after expiry", end + 60_000);
  return [
    c(
      "signed only, plaintext body, no recipient named",
      ["ValidMessage", "SignedOnly"],
      [],
      at(m1, T0),
      data("read MMXU1"),
      spec,
    ),
    c(
      "an encrypted message is still accepted",
      ["ValidMessage"],
      [],
      at(enc, T0),
      data("operate 1"),
      spec,
    ),
    c(
      "plaintext changed, signature kept",
      ["Invalid", "TamperedBody", "SignedOnly"],
      [],
      at(mutate(m1, (x) => ({ ...x, body: utf8("read XXXXX1") })), T0),
      { error: E["bad-signature"] },
      spec,
    ),
    c(
      "plaintext of another message under this signature",
      ["Invalid", "TamperedBody", "SignedOnly"],
      [],
      at(mutate(m1, (x) => ({ ...x, body: decoded(m2).body })), T0),
      { error: E["bad-signature"] },
      spec,
    ),
    c("the same message again", ["Invalid", "Replay", "SignedOnly"], [at(m1, T0)], at(m1, T0 + 5), {
      error: E.replay,
    }, ["PD-229", "PAPER-AS3"]),
    c(
      "a reference to the held certificate after it expired",
      ["Invalid", "Certificate", "Reference"],
      [at(e1, end - 60_000)],
      at(e2, end + 60_000),
      { error: PkiError.expired },
      ["PD-229", "PAPER-M2"],
    ),
  ];
}
