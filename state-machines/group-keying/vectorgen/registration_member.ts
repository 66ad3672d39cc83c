/**
 * Registration vectors for the member: each case drives the member machine
 * through start, the key server's challenge and its key download (some
 * edited or re-signed here) with real certificates.
 *
 * @module
 */
import { concat, utf8 } from "../../../core/bytes.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { validateChain } from "../../../core/pki/mod.ts";
import { GdoiError } from "../errors.ts";
import { transcriptHash } from "../key_download.ts";
import {
  challengeBody,
  decodeMessage,
  type PullChallenge,
  SIGNATURE_LABEL,
  withSignature,
} from "../messages.ts";
import { type Fixture, GROUP_ID, KS_JID, T0 } from "../testing.ts";
import { flip, type TestCase, toJson } from "./common.ts";
import { member } from "../member.ts";
import type { MemberInput, MemberOutput } from "../member_types.ts";
import {
  DER1,
  DER2,
  memberOut,
  msgIn,
  replay,
  run,
  SPEC,
  type Step,
  transcript,
} from "./registration_common.ts";

export function memberTests(f: Fixture, seed: string): TestCase[] {
  const ok = run(f, DER1, { ksSeed: seed });
  const other = run(f, DER1, { ksSeed: `${seed}-other`, memberSeed: "other" });
  const cs = getSuite(f.suite);
  const ch = decodeMessage(ok.challenge).message as PullChallenge;
  const ksKey = f.ks.key.privateKey;
  const signChallenge = (body: Uint8Array, key = ksKey) =>
    withSignature(
      body,
      cs.sig.sign(key, concat(SIGNATURE_LABEL.challenge, transcriptHash(cs, ok.request), body)),
    );
  const start: Step = { input: { type: "start", now: T0 }, expect: { out: memberOut(ok.s1) } };
  const step = (data: Uint8Array, out: readonly MemberOutput[], from = KS_JID): Step => ({
    input: msgIn(data, from, T0),
    expect: { out: memberOut(out) },
  });
  const fails = (data: Uint8Array, error: string, from = KS_JID): Step => ({
    input: msgIn(data, from, T0),
    expect: { error },
  });
  const challenged = step(ok.challenge, ok.s2);
  const t = transcript;
  const wrongChain = validateChain(f.certs.get(DER1)!.chain, {
    anchors: f.hierarchy.policy.anchors,
    now: T0,
    crls: f.hierarchy.crls,
    expectedJid: KS_JID,
    allowedSuites: [f.suite],
  });
  const wrongCode = wrongChain.ok ? "none" : wrongChain.error.code;
  const der1Key = f.certs.get(DER1)!.cert.key.privateKey;
  return [
    t("a member registers", ["valid"], [...SPEC, "RFC6407-3.kd"], [
      start,
      challenged,
      step(ok.keys!, ok.s3!),
    ]),
    t("a challenge whose Ni is not ours", ["nonce"], ["RFC6407-3.nonce"], [
      start,
      fails(flip(ok.challenge, 7 + GROUP_ID.length, 0), GdoiError["nonce-mismatch"]),
    ], GdoiError["nonce-mismatch"]),
    t("a challenge from an earlier registration", ["replay"], ["RFC6407-3.nonce"], [
      start,
      fails(other.challenge, GdoiError["nonce-mismatch"]),
    ], GdoiError["nonce-mismatch"]),
    t("a challenge not sent by the key server", ["identity"], ["RFC6407-3.authn"], [
      start,
      fails(ok.challenge, GdoiError["identity-mismatch"], DER2),
    ], GdoiError["identity-mismatch"]),
    t("a challenge signature changed", ["forged", "signature"], ["RFC6407-3.authn"], [
      start,
      fails(flip(ok.challenge, -5, 2), GdoiError["bad-signature"]),
    ], GdoiError["bad-signature"]),
    t("a challenge whose policy was changed after signing", ["forged"], ["RFC6407-3.authn"], [
      start,
      fails(
        flip(ok.challenge, ok.challenge.length - ch.signature.length - 4, 0),
        GdoiError["bad-signature"],
      ),
    ], GdoiError["bad-signature"]),
    t("a challenge signed by a member key with the member's chain", ["certificate", "identity"], [
      "RFC6407-3.authn",
      "PD-112",
    ], [
      start,
      fails(
        signChallenge(challengeBody({ ...ch, chain: f.certs.get(DER1)!.chain }), der1Key),
        wrongCode,
      ),
    ], wrongCode),
    t("a challenge naming another suite", ["suite"], ["RFC8052-stream"], [
      start,
      fails(
        signChallenge(challengeBody({ ...ch, info: { ...ch.info, suite: "p256" } })),
        GdoiError["unsupported-suite"],
      ),
    ], GdoiError["unsupported-suite"]),
    t("a key download before the challenge", ["unexpected"], ["RFC6407-3"], [
      start,
      fails(ok.keys!, GdoiError["unexpected-message"]),
    ], GdoiError["unexpected-message"]),
    t("a key download whose sealed bytes changed", ["forged"], ["RFC6407-3.kd"], [
      start,
      challenged,
      fails(flip(ok.keys!, -1, 0), GdoiError["decrypt-failed"]),
    ], GdoiError["decrypt-failed"]),
    t("a key download naming another Nr", ["nonce"], ["RFC6407-3.nonce"], [
      start,
      challenged,
      fails(flip(ok.keys!, 7 + GROUP_ID.length + 32, 0), GdoiError["nonce-mismatch"]),
    ], GdoiError["nonce-mismatch"]),
    t("a key download from another registration", ["replay"], ["RFC6407-3.nonce"], [
      start,
      challenged,
      fails(other.keys!, GdoiError["nonce-mismatch"]),
    ], GdoiError["nonce-mismatch"]),
    t("a key download not sent by the key server", ["identity"], ["RFC6407-3.authn"], [
      start,
      challenged,
      fails(ok.keys!, GdoiError["identity-mismatch"], DER2),
    ], GdoiError["identity-mismatch"]),
    ...lifecycle(f, ok),
  ];
}

/** A registered member protects, ticks, leaves and registers again; a silent server times out. */
function lifecycle(f: Fixture, ok: ReturnType<typeof run>): TestCase[] {
  const t = transcript;
  const inputs: MemberInput[] = [
    { type: "start", now: T0 },
    { type: "message", data: ok.challenge, from: KS_JID, now: T0 },
    { type: "message", data: ok.keys!, from: KS_JID, now: T0 },
    { type: "protect", streamId: "stream-1", payload: utf8("Operate XCBR1"), now: T0 + 5 },
    { type: "tick", now: T0 + 10 },
    { type: "leave", now: T0 + 20 },
    { type: "start", now: T0 + 30 },
  ];
  const outs = replay(member, f.memberConfig(DER1), inputs);
  const steps: Step[] = inputs.map((input, i) => ({
    input: toJson(input),
    expect: { out: memberOut(outs[i]) },
  }));
  const silent: MemberInput[] = [
    { type: "start", now: T0 },
    { type: "tick", now: T0 + 30_001 },
    { type: "start", now: T0 + 40_000 },
  ];
  const silentOuts = replay(member, f.memberConfig(DER1), silent);
  return [
    t("register, protect, tick, leave, register again", ["valid"], [
      "RFC6407-3",
      "PAPER-R4b",
      "PD-121",
    ], steps),
    t("a registration without answer times out; start again", ["timeout"], ["PD-121"], [
      { input: toJson(silent[0]), expect: { out: memberOut(silentOuts[0]) } },
      { input: toJson(silent[1]), expect: { error: GdoiError.timeout } },
      { input: toJson(silent[2]), expect: { out: memberOut(silentOuts[2]) } },
    ]),
    t("protect on a stream the member does not publish", ["policy"], ["PD-113"], [
      ...steps.slice(0, 3),
      {
        input: { type: "protect", streamId: "stream-9", payload: "00", now: T0 + 5 },
        expect: { error: "group/not-publisher" },
      },
    ], "group/not-publisher"),
  ];
}
