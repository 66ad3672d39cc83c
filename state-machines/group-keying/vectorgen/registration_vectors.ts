/**
 * Vectors for registrations (`vectors/group-keying/registration.json`):
 * transcripts that drive the key server or the member machine step by step
 * with real certificates (core/pki, deterministic from a seed). Outgoing
 * messages are compared byte for byte, which assumes the documented use of
 * the injected entropy (docs/group-keying.md): the key server draws Nr then
 * its ephemeral key; the member draws Ni, then its ephemeral key.
 *
 * @module
 */
import { concat } from "../../../core/bytes.ts";
import { getSuite } from "../../../core/crypto/suite.ts";
import { validateChain } from "../../../core/pki/mod.ts";
import { GdoiError } from "../errors.ts";
import { transcriptHash } from "../key_download.ts";
import { keyServer } from "../key_server.ts";
import type { KeyServerOutput } from "../key_server_types.ts";
import { member } from "../member.ts";
import type { MemberOutput } from "../member_types.ts";
import {
  challengeBody,
  decodeMessage,
  encodeRequest,
  proofBody,
  type PullChallenge,
  type PullProof,
  SIGNATURE_LABEL,
  withSignature,
} from "../messages.ts";
import { type Fixture, GROUP_ID, groupFixture, KS_JID, T0 } from "../testing.ts";
import { flip, hex, type Json, type TestCase, toJson } from "./common.ts";

const DER1 = "der1@grid.example";
const DER2 = "der2@grid.example";
const INTRUDER = "intruder@grid.example";
const SUITE_ID = "x25519-ed25519";
const DAY = 86_400_000;

interface Step {
  input: Json;
  expect: Json;
}

const msgIn = (data: Uint8Array, from: string, now: number): Json => ({
  type: "message",
  data: hex(data),
  from,
  now,
});

const ksOut = (out: readonly KeyServerOutput[]): Json =>
  out.map((o): Json =>
    o.type === "send"
      ? { type: "send", to: o.to, message: o.message, data: hex(o.data) }
      : o.type === "rekey"
      ? { type: "rekey", seq: o.seq, data: hex(o.data) }
      : o.type === "member-added"
      ? { type: "member-added", jid: o.jid }
      : { type: o.type }
  );

const memberOut = (out: readonly MemberOutput[]): Json =>
  out.map((o): Json =>
    o.type === "send"
      ? { type: "send", to: o.to, message: o.message, data: hex(o.data) }
      : o.type === "event"
      ? { type: "event", event: toJson(o.event) }
      : { type: o.type }
  );

function ksFields(f: Fixture, seed: string): Record<string, Json> {
  const c = f.ksConfig(seed);
  return {
    keyServer: toJson({
      suite: f.suite,
      jid: c.jid,
      policy: c.policy,
      chain: c.chain,
      privateKey: f.ks.key.privateKey,
      anchors: c.anchors,
      crls: c.crls,
      seed: `registration/${seed}`,
      now: c.now,
    }),
  };
}

interface RunOptions {
  readonly ksSeed: string;
  readonly memberSeed?: string;
  readonly now?: number;
  /** When the proof reaches the key server (default `now`). */
  readonly proofAt?: number;
}

/** A member and key server registering as far as they get; returns every message. */
function run(f: Fixture, jid: string, o: RunOptions) {
  const now = o.now ?? T0, proofAt = o.proofAt ?? now;
  const dataOf = (out: readonly (KeyServerOutput | MemberOutput)[]) =>
    (out.find((x) => x.type === "send") as { data: Uint8Array } | undefined)?.data;
  let ks = keyServer.init(f.ksConfig(o.ksSeed));
  const m0 = member.init(f.memberConfig(jid, o.memberSeed));
  const s1 = member.step(m0, { type: "start", now });
  const request = dataOf(s1.out)!;
  const k1 = keyServer.step(ks, { type: "message", data: request, from: jid, now });
  ks = k1.state;
  const challenge = dataOf(k1.out)!;
  const s2 = member.step(s1.state, { type: "message", data: challenge, from: KS_JID, now });
  const proof = dataOf(s2.out);
  const k2 = proof
    ? keyServer.step(ks, { type: "message", data: proof, from: jid, now: proofAt })
    : undefined;
  const keys = k2 && dataOf(k2.out);
  const s3 = keys
    ? member.step(s2.state, { type: "message", data: keys, from: KS_JID, now: proofAt })
    : undefined;
  return {
    request,
    challenge,
    proof,
    keys,
    k1: k1.out,
    k2: k2?.out,
    s1: s1.out,
    s2: s2.out,
    s3: s3?.out,
  };
}

const SPEC = ["RFC6407-3", "PD-111"];

function keyServerTests(f: Fixture, seed: string): TestCase[] {
  const ok = run(f, DER1, { ksSeed: seed });
  const tests: TestCase[] = [];
  const req = (data: Uint8Array, from = DER1, now = T0): Step => ({
    input: msgIn(data, from, now),
    expect: { out: ksOut(ok.k1) },
  });
  const good = req(ok.request);
  const t = (
    comment: string,
    flags: string[],
    spec: string[],
    steps: Step[],
    error?: string,
  ): TestCase => ({
    comment,
    flags,
    spec,
    result: error ? "invalid" : "valid",
    ...(error ? { error } : {}),
    steps: steps as unknown as Json,
  });
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
  return tests;
}

function memberTests(f: Fixture, seed: string): TestCase[] {
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
  const t = (
    comment: string,
    flags: string[],
    spec: string[],
    steps: Step[],
    error?: string,
  ): TestCase => ({
    comment,
    flags,
    spec,
    result: error ? "invalid" : "valid",
    ...(error ? { error } : {}),
    steps: steps as unknown as Json,
  });
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
  ];
}

export function registrationGroups(): {
  type: string;
  fields: Record<string, Json>;
  tests: TestCase[];
}[] {
  const f = groupFixture({
    suite: SUITE_ID,
    jids: [DER1, DER2, INTRUDER],
    allowed: [DER1, DER2],
    seed: "registration",
  });
  const m = f.memberConfig(DER1);
  return [
    { type: "gdoi-ks-registration", fields: ksFields(f, "ks"), tests: keyServerTests(f, "ks") },
    {
      type: "gdoi-member-registration",
      fields: {
        member: toJson({
          suite: f.suite,
          jid: DER1,
          groupId: GROUP_ID,
          keyServerJid: KS_JID,
          chain: m.chain,
          privateKey: f.certs.get(DER1)!.cert.key.privateKey,
          anchors: m.anchors,
          crls: m.crls,
          seed: `registration/${DER1}`,
        }),
      },
      tests: memberTests(f, "ks"),
    },
  ];
}
