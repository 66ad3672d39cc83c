/**
 * Registration vectors for the key server: each case drives the key server
 * machine through a request and a proof (some edited, some signed here) with
 * real certificates.
 *
 * @module
 */
import { concat } from "../../../core/bytes.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { validateChain } from "../../../core/pki/mod.ts";
import { GdoiError } from "../errors.ts";
import { transcriptHash } from "../key_download.ts";
import {
  decodeMessage,
  encodeRequest,
  proofBody,
  type PullChallenge,
  type PullProof,
  SIGNATURE_LABEL,
  withSignature,
} from "../messages.ts";
import { type Fixture, GROUP_ID, T0 } from "../testing.ts";
import { flip, type TestCase, toJson } from "./common.ts";
import { keyServer } from "../key_server.ts";
import type { KeyServerInput } from "../key_server_types.ts";
import {
  DAY,
  DER1,
  DER2,
  INTRUDER,
  ksOut,
  msgIn,
  replay,
  run,
  SPEC,
  type Step,
  SUITE_ID,
  transcript,
} from "./registration_common.ts";

export function keyServerTests(f: Fixture, seed: string): TestCase[] {
  const ok = run(f, DER1, { ksSeed: seed });
  const tests: TestCase[] = [];
  const req = (data: Uint8Array, from = DER1, now = T0): Step => ({
    input: msgIn(data, from, now),
    expect: { out: ksOut(ok.k1) },
  });
  const good = req(ok.request);
  const t = transcript;
  const fails = (data: Uint8Array, error: string, from = DER1, now = T0): Step => ({
    input: msgIn(data, from, now),
    expect: { error },
  });
  const proven: Step = { input: msgIn(ok.proof!, DER1, T0), expect: { out: ksOut(ok.k2!) } };
  tests.push(
    t("a member in the policy registers", ["valid"], [...SPEC, "RFC6407-3.authz", "RFC6407-3.kd"], [
      good,
      proven,
    ]),
  );
  tests.push(
    t("the completed proof replayed", ["replay"], ["RFC6407-3.nonce"], [
      good,
      proven,
      fails(ok.proof!, GdoiError["registration-replay"]),
    ], GdoiError["registration-replay"]),
  );
  const intr = run(f, INTRUDER, { ksSeed: seed });
  tests.push(
    t(
      "a certified JID that the policy does not list",
      ["policy"],
      ["RFC6407-3.authz", "PAPER-M5"],
      [
        { input: msgIn(intr.request, INTRUDER, T0), expect: { out: ksOut(intr.k1) } },
        fails(intr.proof!, GdoiError["not-authorized"], INTRUDER),
      ],
      GdoiError["not-authorized"],
    ),
  );
  const proof = decodeMessage(ok.proof!).message as PullProof;
  const nrAt = 7 + GROUP_ID.length + 32;
  tests.push(
    t("a proof naming no registration (Nr changed)", ["nonce"], ["RFC6407-3.nonce"], [
      good,
      fails(flip(ok.proof!, nrAt, 0), GdoiError["unknown-registration"]),
    ], GdoiError["unknown-registration"]),
  );
  tests.push(
    t("a proof before any request", ["nonce"], ["RFC6407-3.nonce"], [
      fails(ok.proof!, GdoiError["unknown-registration"]),
    ], GdoiError["unknown-registration"]),
  );
  tests.push(
    t("a proof echoing another Ni", ["nonce"], ["RFC6407-3.nonce"], [
      good,
      fails(flip(ok.proof!, 7 + GROUP_ID.length, 0), GdoiError["nonce-mismatch"]),
    ], GdoiError["nonce-mismatch"]),
  );
  tests.push(
    t("a proof after the registration timed out", ["timeout"], ["PD-121"], [
      good,
      fails(ok.proof!, GdoiError["registration-expired"], DER1, T0 + 30_001),
    ], GdoiError["registration-expired"]),
  );
  const edge = run(f, DER1, { ksSeed: seed, proofAt: T0 + 30_000 });
  tests.push(
    t("a proof exactly at the timeout", ["timeout"], ["PD-121"], [good, {
      input: msgIn(edge.proof!, DER1, T0 + 30_000),
      expect: { out: ksOut(edge.k2!) },
    }]),
  );
  tests.push(
    t("a request sent by another JID", ["identity"], ["RFC6407-3.authn"], [
      fails(ok.request, GdoiError["identity-mismatch"], DER2),
    ], GdoiError["identity-mismatch"]),
  );
  tests.push(
    t("a proof sent by another JID", ["identity"], ["RFC6407-3.authn"], [
      good,
      fails(ok.proof!, GdoiError["identity-mismatch"], DER2),
    ], GdoiError["identity-mismatch"]),
  );
  // der1's request answered, then a proof carrying the intruder's chain, signed by the intruder.
  const cs = getSuite(f.suite);
  const intruderKey = f.certs.get(INTRUDER)!.cert.key.privateKey;
  const der1Key = f.certs.get(DER1)!.cert.key.privateKey;
  const signProof = (body: Uint8Array, key: Uint8Array) =>
    withSignature(
      body,
      cs.sig.sign(
        key,
        concat(SIGNATURE_LABEL.proof, transcriptHash(cs, ok.request, ok.challenge), body),
      ),
    );
  const foreign = signProof(
    proofBody({ ...proof, chain: f.certs.get(INTRUDER)!.chain }),
    intruderKey,
  );
  const verdict = validateChain(f.certs.get(INTRUDER)!.chain, {
    anchors: f.hierarchy.policy.anchors,
    now: T0,
    crls: f.hierarchy.crls,
    expectedJid: DER1,
    allowedSuites: [f.suite],
  });
  const wrongId = verdict.ok ? "none" : verdict.error.code;
  tests.push(
    t(
      "a proof whose certificate names another JID",
      ["identity", "certificate"],
      ["RFC6407-3.authn", "PD-112"],
      [good, fails(foreign, wrongId)],
      wrongId,
    ),
  );
  tests.push(
    t("a proof signature changed", ["forged", "signature"], ["RFC6407-3.authn"], [
      good,
      fails(flip(ok.proof!, -3, 0), GdoiError["bad-signature"]),
    ], GdoiError["bad-signature"]),
  );
  tests.push(
    t("a proof key share changed after signing", ["forged"], ["RFC6407-3.authn"], [
      good,
      fails(flip(ok.proof!, nrAt + 32 + 1, 0), GdoiError["bad-signature"]),
    ], GdoiError["bad-signature"]),
  );
  tests.push(
    t(
      "a proof signed by the right key over the wrong transcript",
      ["forged"],
      ["RFC6407-3.authn"],
      [
        good,
        fails(
          withSignature(
            proofBody(proof),
            cs.sig.sign(der1Key, concat(SIGNATURE_LABEL.proof, proofBody(proof))),
          ),
          GdoiError["bad-signature"],
        ),
      ],
      GdoiError["bad-signature"],
    ),
  );
  tests.push(
    t("a proof whose key share is a small-order point", ["key-share"], ["PD-111"], [
      good,
      fails(
        signProof(proofBody({ ...proof, keyShare: new Uint8Array(32) }), der1Key),
        GdoiError["bad-key-share"],
      ),
    ], GdoiError["bad-key-share"]),
  );
  const late = T0 + 400 * DAY;
  // The member itself refuses the key server's expired certificate, so the proof is signed here.
  const lateRun = run(f, DER1, { ksSeed: seed, now: late });
  const lateChallenge = decodeMessage(lateRun.challenge).message as PullChallenge;
  const lateBody = proofBody({ ...proof, ni: lateChallenge.ni, nr: lateChallenge.nr });
  const lateProof = withSignature(
    lateBody,
    cs.sig.sign(
      der1Key,
      concat(
        SIGNATURE_LABEL.proof,
        transcriptHash(cs, lateRun.request, lateRun.challenge),
        lateBody,
      ),
    ),
  );
  const lateVerdict = validateChain(f.certs.get(DER1)!.chain, {
    anchors: f.hierarchy.policy.anchors,
    now: late,
    crls: f.hierarchy.crls,
    expectedJid: DER1,
    allowedSuites: [f.suite],
  });
  const lateCode = lateVerdict.ok ? "none" : lateVerdict.error.code;
  tests.push(
    t("a member certificate past its validity", ["certificate"], ["RFC6407-3.authn", "PD-112"], [{
      input: msgIn(lateRun.request, DER1, late),
      expect: { out: ksOut(lateRun.k1) },
    }, fails(lateProof, lateCode, DER1, late)], lateCode),
  );
  tests.push(
    t("a request for another suite", ["suite"], ["RFC8052-stream"], [
      fails(
        encodeRequest({ groupId: GROUP_ID, suite: "p256", jid: DER1, ni: new Uint8Array(32) }),
        GdoiError["unsupported-suite"],
      ),
    ], GdoiError["unsupported-suite"]),
  );
  tests.push(
    t("a request for another group", ["group"], ["RFC6407-3"], [
      fails(
        encodeRequest({
          groupId: "other-group",
          suite: SUITE_ID,
          jid: DER1,
          ni: new Uint8Array(32),
        }),
        GdoiError["wrong-group"],
      ),
    ], GdoiError["wrong-group"]),
  );
  tests.push(
    t("a request cut short", ["truncated"], ["RFC6407-3"], [
      fails(ok.request.slice(0, ok.request.length - 1), GdoiError.malformed),
    ], GdoiError.malformed),
  );
  tests.push(
    t("a request with a byte after it", ["trailing"], ["RFC6407-3"], [
      fails(concat(ok.request, new Uint8Array(1)), GdoiError.malformed),
    ], GdoiError.malformed),
  );
  tests.push(
    t("a challenge sent to the key server", ["unexpected"], ["RFC6407-3"], [
      fails(ok.challenge, GdoiError["unexpected-message"]),
    ], GdoiError["unexpected-message"]),
  );
  // After a registration: rotation, ticks, eviction.
  const T = T0 + 1000;
  const due = T0 + 3_600_000 - 60_000;
  const lifeInputs: KeyServerInput[] = [
    { type: "message", data: ok.request, from: DER1, now: T0 },
    { type: "message", data: ok.proof!, from: DER1, now: T0 },
    { type: "rotate", now: T },
    { type: "tick", now: due - 1 },
    { type: "tick", now: due },
    { type: "evict", jids: [DER1], now: due + 1 },
  ];
  const life = replay(keyServer, f.ksConfig(seed), lifeInputs);
  const lifeSteps: Step[] = lifeInputs.map((input, i) => ({
    input: toJson(input),
    expect: { out: ksOut(life[i]) },
  }));
  tests.push(
    t(
      "register, rotate, tick before and when renewal is due, evict",
      ["valid", "rotation", "eviction"],
      ["RFC6407-4", "RFC8052-lifetime", "RFC6407-4.fwd"],
      lifeSteps,
    ),
  );
  tests.push(
    t("evict a JID that is not a member", ["policy"], ["RFC6407-4"], [
      ...lifeSteps.slice(0, 2),
      {
        input: { type: "evict", jids: [DER2], now: T },
        expect: { error: GdoiError["unknown-member"] },
      },
    ], GdoiError["unknown-member"]),
  );
  return tests;
}
