/**
 * Cases for an initiator under test: after its `start` (the group's prefix),
 * the DER's honest response, accepted, then mutated field by field, broken
 * structurally, changed and re-signed with the DER's real key (downgrades,
 * integrity-only, stale times, bad key shares), answered by the wrong
 * certificates or sender, replayed, or never sent.
 *
 * @module
 */
import type { SuiteId } from "../../../core/crypto/suite.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { SeededEntropy } from "../../../core/entropy.ts";
import { AProfileError as E } from "../errors.ts";
import { JIDS, T0, type TestPki } from "../fixtures.ts";
import type { JsonConfig } from "../replay.ts";
import { SIGNATURE_ALGORITHMS } from "../tokens.ts";
import type { AProfilePolicy } from "../types.ts";
import type { XmlElement } from "../xml.ts";
import { AT, type Case, expectCode, recv } from "./case.ts";
import { structureCases } from "./structure_cases.ts";
import {
  all,
  at,
  badKeyShare,
  edit,
  flipBase64,
  HonestInitiator,
  HonestResponder,
  resignResponse,
  setText,
} from "./tools.ts";

const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];
const MIN5 = 5 * 60_000;

/** The request the initiator under test sends for a configuration override. */
export type IutRequest = (config?: Partial<JsonConfig>) => XmlElement;

const respond = (
  pki: TestPki,
  request: XmlElement,
  policy: Partial<AProfilePolicy> = {},
  who = pki.der,
) => new HonestResponder(pki, "vectors peer responder", policy, who).respond(request, AT);

export function responseCases(pki: TestPki, iutRequest: IutRequest): Case[] {
  const Q = iutRequest();
  const S = respond(pki, Q);
  const tok = (e: XmlElement) => at(e, "clear-token");
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const from = JIDS.der;
  const flip = (
    comment: string,
    change: (e: XmlElement) => void,
    expect: readonly string[],
    spec = ["PD-87", "PAPER-R2"],
  ) => add({ comment, flags: ["FieldFlip"], spec, expect, steps: [recv(edit(S, change), from)] });
  const resigned = (
    comment: string,
    change: Parameters<typeof resignResponse>[2],
    expect: "valid" | readonly string[],
    spec: string[],
    flags = ["Resigned"],
    config?: Partial<JsonConfig>,
  ) => {
    const q = config ? iutRequest(config) : Q;
    const s = config ? respond(pki, q) : S;
    add({
      comment,
      flags,
      spec,
      expect,
      config,
      steps: [recv(resignResponse(q, s, change, pki.der.signer), from)],
    });
  };

  // ---- valid
  add({
    comment: "honest response: verified, established",
    flags: ["ValidTranscript"],
    spec: ["PAPER-R2", "PAPER-M3", "PD-86", "PD-88"],
    expect: "valid",
    steps: [recv(S.toString(), from)],
  });
  add({
    comment: "responder chose the second offered mode",
    flags: ["ValidTranscript"],
    spec: ["PD-89"],
    expect: "valid",
    steps: [recv(respond(pki, Q, { modes: ["aes-128-gcm"] }).toString(), from)],
  });
  for (const d of [-MIN5, MIN5]) {
    resigned(
      `response time ${d / 60000} min from local time: at the window's edge, accepted`,
      (t) => ({ ...t, time: AT + d }),
      "valid",
      ["PD-86"],
      ["Timestamp", "Resigned"],
    );
  }

  // ---- fields flipped, not re-signed
  const assoc = tok(S).attrs.association!;
  for (const i of [0, 31]) {
    const changed = assoc.slice(0, i) + (assoc[i] === "0" ? "1" : "0") + assoc.slice(i + 1);
    flip(
      `association id digit ${i} changed`,
      (e) => tok(e).attrs.association = changed,
      expectCode(E["association-mismatch"]),
      ["PD-86"],
    );
  }
  for (const i of [0, -1]) {
    flip(
      `echoed nonce byte ${i} flipped`,
      (e) => tok(e).attrs.echo = flipBase64(tok(e).attrs.echo!, i),
      expectCode(E["nonce-mismatch"]),
      ["PD-86"],
    );
    flip(
      `responder nonce byte ${i} flipped`,
      (e) => tok(e).attrs.nonce = flipBase64(tok(e).attrs.nonce!, i),
      expectCode(E["bad-signature"]),
    );
  }
  for (const d of [1, -1]) {
    flip(
      `time changed by ${d} ms`,
      (e) => tok(e).attrs.time = String(AT + d),
      expectCode(E["bad-signature"]),
    );
  }
  flip(
    "time changed by ten minutes",
    (e) => tok(e).attrs.time = String(AT + 2 * MIN5),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
  );
  for (const m of ["aes-128-gcm", "hmac-sha256"]) {
    flip(
      `chosen mode changed to ${m}`,
      (e) => tok(e).attrs.mode = m,
      expectCode(E["bad-signature"]),
      ["PD-87", "PD-89"],
    );
  }
  for (const s of SUITES.filter((s) => s !== pki.suite)) {
    flip(
      `chosen suite renamed to ${s}`,
      (e) => tok(e).attrs.suite = s,
      expectCode(E["bad-signature"], E.malformed),
      ["PD-87", "PD-89"],
    );
    flip(
      `signature algorithm renamed to ${SIGNATURE_ALGORITHMS[s]}`,
      (e) => tok(e).attrs["signature-algorithm"] = SIGNATURE_ALGORITHMS[s],
      expectCode(E["bad-signature"]),
    );
  }
  for (const i of [1, 20, -1]) {
    flip(
      `ephemeral key byte ${i} flipped`,
      (e) => tok(e).attrs.key = flipBase64(tok(e).attrs.key!, i),
      expectCode(E["bad-signature"]),
    );
  }
  for (const [which, n] of [["end-entity", 0], ["intermediate", 1]] as const) {
    for (const i of [12, 200, -3]) {
      flip(
        `${which} certificate byte ${i} flipped`,
        (e) => {
          const c = all(tok(e), "certificate")[n];
          setText(c, flipBase64(c.children[0] as string, i));
        },
        expectCode("pki/*", E["bad-signature"]),
        ["PAPER-M2", "PAPER-R2"],
      );
    }
  }
  flip(
    "intermediate certificate removed",
    (e) => {
      const t = tok(e);
      t.children.splice(t.children.indexOf(all(t, "certificate")[1]), 1);
    },
    expectCode("pki/untrusted"),
    ["PAPER-M2"],
  );
  for (const i of [0, 10, -1]) {
    flip(
      `signature byte ${i} flipped`,
      (e) => setText(at(e, "signature"), flipBase64(at(e, "signature").children[0] as string, i)),
      expectCode(E["bad-signature"]),
    );
  }

  // ---- changed and re-signed with the DER's real key
  resigned(
    "time 5 min 1 ms early, re-signed",
    (t) => ({ ...t, time: AT - MIN5 - 1 }),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
    ["Resigned", "Timestamp"],
  );
  resigned(
    "time 5 min 1 ms late, re-signed",
    (t) => ({ ...t, time: AT + MIN5 + 1 }),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
    ["Resigned", "Timestamp"],
  );
  resigned(
    "association id changed, re-signed",
    (t) => ({ ...t, association: t.association.map((b, i) => i === 0 ? b ^ 1 : b) }),
    expectCode(E["association-mismatch"]),
    ["PD-86"],
  );
  resigned(
    "echo changed, re-signed",
    (t) => ({ ...t, echo: t.echo.map((b, i) => i === 0 ? b ^ 1 : b) }),
    expectCode(E["nonce-mismatch"]),
    ["PD-86"],
  );
  resigned(
    "ephemeral key refused by the suite, re-signed",
    (t) => ({ ...t, key: badKeyShare(t.suite) }),
    expectCode(E["bad-key-share"]),
    ["PD-89"],
  );
  resigned(
    "integrity-only chosen while the initiator requires confidentiality, re-signed",
    (t) => ({ ...t, mode: "hmac-sha256" }),
    expectCode(E["confidentiality-required"]),
    ["PAPER-R6a", "PD-89"],
    ["Resigned", "Confidentiality"],
  );
  resigned(
    "integrity-only chosen, not offered, initiator does not require confidentiality, re-signed",
    (t) => ({ ...t, mode: "hmac-sha256" }),
    expectCode(E.downgrade),
    ["PD-89"],
    ["Resigned", "Downgrade"],
    { policy: { requireConfidentiality: false } },
  );
  resigned(
    "mode not offered (aes-128-gcm when only aes-256-gcm was), re-signed",
    (t) => ({ ...t, mode: "aes-128-gcm" }),
    expectCode(E.downgrade),
    ["PD-89"],
    ["Resigned", "Downgrade"],
    { policy: { modes: ["aes-256-gcm"] } },
  );
  for (const s of SUITES.filter((s) => s !== pki.suite)) {
    const key = getSuite(s).kex.generate(new SeededEntropy(`downgrade ${s}`)).publicKey;
    resigned(
      `suite ${s} chosen, not offered, with a valid key share, re-signed`,
      (t) => ({ ...t, suite: s, key }),
      expectCode(E.downgrade),
      ["PD-89"],
      ["Resigned", "Downgrade"],
    );
    resigned(
      `token claims signature algorithm ${SIGNATURE_ALGORITHMS[s]}, re-signed with the real key`,
      (t) => ({ ...t, signatureSuite: s }),
      expectCode(E["bad-signature"]),
      ["PAPER-R2", "PD-87"],
    );
  }
  add({
    comment: "signed by the third party's key over the DER's chain",
    flags: ["Certificate", "Resigned"],
    spec: ["PAPER-R2"],
    expect: expectCode(E["bad-signature"]),
    steps: [recv(resignResponse(Q, S, (t) => t, pki.mallory.signer), from)],
  });

  // ---- identities and certificates
  add({
    comment: "the third party answers with its own valid certificate",
    flags: ["Identity", "Certificate"],
    spec: ["PAPER-R2", "PD-86"],
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(respond(pki, Q, {}, pki.mallory).toString(), JIDS.mallory)],
  });
  add({
    comment: "the third party answers, sender address forged as the DER",
    flags: ["Identity"],
    spec: ["PAPER-R2", "PD-86"],
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(respond(pki, Q, {}, pki.mallory).toString(), from)],
  });
  add({
    comment: "the DER's response relayed from the third party's JID",
    flags: ["Identity"],
    spec: ["PD-86"],
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(S.toString(), JIDS.mallory)],
  });
  add({
    comment: "responder certificate from another root CA",
    flags: ["Certificate"],
    spec: ["PAPER-M2"],
    expect: expectCode("pki/untrusted"),
    steps: [recv(respond(pki, Q, {}, pki.foreign).toString(), from)],
  });
  add({
    comment: "responder certificate expired",
    flags: ["Certificate"],
    spec: ["PAPER-M2"],
    expect: expectCode("pki/expired"),
    steps: [recv(respond(pki, Q, {}, pki.expired).toString(), from)],
  });
  add({
    comment: "responder certificate revoked",
    flags: ["Certificate"],
    spec: ["PAPER-M2", "PAPER-M7"],
    expect: expectCode("pki/revoked"),
    steps: [recv(respond(pki, Q, {}, pki.revoked).toString(), from)],
  });

  // ---- replay, order, silence
  add({
    comment: "the response delivered twice: the second is unexpected, the association stays",
    flags: ["Replay"],
    spec: ["PD-97"],
    expect: expectCode(E["unexpected-message"]),
    steps: [recv(S.toString(), from), recv(S.toString(), from, AT + 1)],
  });
  const older = new HonestInitiator(pki, "an earlier handshake").request(T0 - 60_000);
  add({
    comment: "a response of an earlier handshake replayed",
    flags: ["Replay"],
    spec: ["PD-86", "PAPER-AS3"],
    expect: expectCode(E["association-mismatch"]),
    steps: [recv(respond(pki, older).toString(), from)],
  });
  add({
    comment: "a request instead of a response",
    flags: ["Structure"],
    spec: ["PD-97"],
    expect: expectCode(E["unexpected-message"]),
    steps: [recv(older.toString(), from)],
  });
  add({
    comment: "no response within the handshake timeout",
    flags: ["Timeout"],
    spec: ["PD-94"],
    expect: expectCode(E.timeout),
    steps: [{ input: { type: "tick", now: T0 + 30_000 } }],
  });
  add({
    comment: "a tick before the timeout changes nothing, the response then establishes",
    flags: ["ValidTranscript"],
    spec: ["PD-94"],
    expect: "valid",
    steps: [{ input: { type: "tick", now: T0 + 29_999 } }, recv(S.toString(), from, T0 + 29_999)],
  });

  cases.push(...structureCases(S, "response", (xml) => [recv(xml, from)]));
  return cases;
}
