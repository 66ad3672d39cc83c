/**
 * The A-profile vector generator (`deno task vectors`): one file per suite
 * under `vectors/a-profile/`: the initiator's start, responder and initiator
 * handshakes, responder and initiator sessions, and a responder session in
 * integrity-only mode (HMAC-SHA-256, no encryption). Every case is replayed
 * through the reference machine to fill in its expected outputs and final
 * phase; a case whose refusal code differs from the one predicted for it
 * stops the generator, so the vectors record checked expectations, not
 * whatever the code happened to do.
 *
 * @module
 */
import { fromHex, toHex } from "../../../core/bytes.ts";
import type { SuiteId } from "../../../core/crypto/suite.ts";
import { localSigner } from "../driver.ts";
import type { MessageKind } from "../types.ts";
import type { GeneratedFile, VectorGenerator } from "../../../tools/vector_generators.ts";
import { AProfileError } from "../errors.ts";
import { JIDS, T0, type TestPki, testPki } from "../fixtures.ts";
import { type JsonConfig, type JsonStep, mergeConfig, replay, type Role } from "../replay.ts";
import { AT, type Case, codeMatches, recv } from "./case.ts";
import { honestRequest, requestCases } from "./request_cases.ts";
import { responseCases } from "./response_cases.ts";
import { sessionCases, type SessionSetup } from "./session_cases.ts";
import { lifecycleCases, responderStartCases, startCases } from "./lifecycle_cases.ts";
import { HonestInitiator, HonestResponder, jsonConfig, parse } from "./tools.ts";

const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];
const IUT_SEED = {
  initiator: "vectors initiator under test",
  responder: "vectors responder under test",
};

export const GROUP_TYPE: Readonly<Record<Role, string>> = {
  initiator: "a-profile-initiator",
  responder: "a-profile-responder",
};

const NOTES: Readonly<Record<string, string>> = {
  ValidTranscript: "a complete, accepted exchange; every output is compared",
  FieldFlip: "one field of an honest message changed, not re-signed",
  Structure: "the XML breaks the profile's grammar; refused before any signature check",
  Resigned: "a token changed and signed again with a real key of the fixture PKI",
  Certificate: "the chain is expired, revoked, foreign, swapped or broken",
  Identity: "the certificate's JID, the stanza sender or the intended peer do not match",
  Timestamp: "the token's time against the ±5 minute window",
  Confidentiality: "integrity-only protection against a policy requiring encryption",
  Downgrade: "a suite or mode outside the offer or the policy",
  Replay: "a message delivered again, or a message of another association",
  Window: "receive window: reordering, replay below the window, sequence jumps",
  KeyUpdate: "in-band key update and the epoch rules",
  Lifetime: "key lifetime in PDUs or time",
  Release: "authenticated release and its acknowledgement",
  Abort: "authenticated abort",
  Timeout: "no answer in time",
  Signer:
    "the external signer pattern: sign-requests answered by explicit signature / signer-failed steps",
  Rehandshake: "a fresh handshake under an established association",
  Reflection: "a PDU sent back to its sender",
};

const errorsOf = (out: readonly Record<string, unknown>[]) =>
  out.flatMap((o) => o.type === "error" ? [String(o.code)] : []);

/** Replays every case and records its outputs, phase and verdict. */
function group(
  pki: TestPki,
  role: Role,
  scenario: string,
  config: JsonConfig,
  prefix: readonly JsonStep[],
  cases: readonly Case[],
  nextId: () => number,
) {
  const tests = cases.map((c) => {
    const { results } = replay(
      role,
      mergeConfig(config, c.config),
      [...prefix, ...c.steps],
      prefix.length,
    );
    const before = results.slice(0, prefix.length).flatMap((r) => errorsOf(r.out));
    if (before.length) throw new Error(`${pki.suite} ${c.comment}: prefix refused (${before})`);
    const own = results.slice(prefix.length);
    const last = errorsOf(own.at(-1)!.out);
    const earlier = own.slice(0, -1).flatMap((r) => errorsOf(r.out));
    let error: string | undefined;
    if (c.expect === "valid") {
      if (last.length || earlier.length) {
        throw new Error(`${pki.suite} ${c.comment}: refused ${[...earlier, ...last]}`);
      }
    } else {
      if (earlier.length || last.length !== 1 || !codeMatches(last[0], c.expect)) {
        throw new Error(
          `${pki.suite} ${role} "${c.comment}": got [${[
            ...earlier,
            ...last,
          ]}], expected ${c.expect}`,
        );
      }
      error = last[0];
    }
    return {
      tcId: nextId(),
      comment: c.comment,
      flags: c.flags,
      spec: c.spec,
      result: c.expect === "valid" ? "valid" : "invalid",
      ...(error ? { error } : {}),
      ...(c.config ? { config: c.config } : {}),
      steps: c.steps.map((s, i) => ({ ...s, out: own[i].out, phase: own[i].phase })),
    };
  });
  return { type: GROUP_TYPE[role], suite: pki.suite, scenario, config, prefix, tests };
}

/** What a machine under test sends, and signatures for its sign-requests, after a prefix. */
function iutRunner(role: Role, config: JsonConfig, prefix: readonly JsonStep[]) {
  const run = (steps: readonly JsonStep[], over?: Partial<JsonConfig>) =>
    replay(role, mergeConfig(config, over), [...prefix, ...steps], prefix.length).results.slice(
      prefix.length,
    );
  return {
    iutSent(steps: readonly JsonStep[], message: MessageKind = "pdu", over?: Partial<JsonConfig>) {
      return run(steps, over).flatMap((r) =>
        r.out.flatMap((o) => o.type === "send" && o.message === message ? [String(o.xml)] : [])
      );
    },
    signature(steps: readonly JsonStep[], over: Partial<JsonConfig>): JsonStep {
      const requests = run(steps, over).flatMap((r) =>
        r.raw.filter((o) => o.type === "sign-request")
      );
      const last = requests.at(-1);
      if (!last || last.type !== "sign-request") throw new Error("no sign-request to answer");
      const key = { suite: config.signatureSuite, privateKey: fromHex(config.signingKey) };
      return { input: { type: "signature", id: last.id, value: toHex(localSigner(key)(last)) } };
    },
  };
}

function suiteFile(suite: SuiteId): GeneratedFile {
  const pki = testPki(suite);
  let id = 0;
  const nextId = () => ++id;
  const iCfg = jsonConfig(pki, "initiator", IUT_SEED.initiator);
  const rCfg = jsonConfig(pki, "responder", IUT_SEED.responder);

  // Responder under test.
  const R = honestRequest(pki);
  const rPrefix = [recv(R.toString())];
  const responseXml = String(
    replay("responder", rCfg, rPrefix).results[0].out.find((o) => o.type === "send")!.xml,
  );
  const rSetup: SessionSetup = {
    peerJid: JIDS.vpp,
    peer() {
      const p = new HonestInitiator(pki, "vectors peer initiator");
      p.request(AT);
      p.step({ type: "receive", element: parse(responseXml), from: JIDS.der, now: AT });
      return p;
    },
    ...iutRunner("responder", rCfg, rPrefix),
    iutJid: JIDS.der,
  };
  const early = rSetup.peer().sent({ type: "send", payload: new Uint8Array([1]), now: AT + 1 })[0];
  const rHandshake = [
    ...requestCases(pki),
    {
      comment: "a PDU before any handshake",
      flags: ["Structure"],
      spec: ["PD-97"],
      expect: [AProfileError["unexpected-message"]],
      steps: [recv(early.toString())],
    },
  ];

  // Initiator under test.
  const iStart: JsonStep = { input: { type: "start", now: T0 } };
  const iutRequest = (over?: Partial<JsonConfig>) => {
    const { results } = replay("initiator", mergeConfig(iCfg, over), [iStart]);
    return parse(String(results[0].out.find((o) => o.type === "send")!.xml));
  };
  const Q = iutRequest();
  const S = new HonestResponder(pki, "vectors peer responder").respond(Q, AT);
  const iPrefix = [iStart, recv(S.toString(), JIDS.der)];
  const iSetup: SessionSetup = {
    peerJid: JIDS.der,
    peer() {
      const p = new HonestResponder(pki, "vectors peer responder");
      p.respond(Q, AT);
      return p;
    },
    ...iutRunner("initiator", iCfg, iPrefix),
    iutJid: JIDS.vpp,
  };

  // Responder under test in integrity-only mode (PAPER-R4a without R6a): both ends allow only
  // HMAC-SHA-256, so every PDU check runs against the MAC instead of the GCM tag.
  const integrityOnly = { modes: ["hmac-sha256" as const], requireConfidentiality: false };
  const hCfg = jsonConfig(pki, "responder", IUT_SEED.responder, integrityOnly);
  const H = honestRequest(pki, integrityOnly);
  const hPrefix = [recv(H.toString())];
  const hResponse = String(
    replay("responder", hCfg, hPrefix).results[0].out.find((o) => o.type === "send")!.xml,
  );
  const hSetup: SessionSetup = {
    peerJid: JIDS.vpp,
    peer() {
      const p = new HonestInitiator(pki, "vectors peer initiator", integrityOnly);
      p.request(AT);
      p.step({ type: "receive", element: parse(hResponse), from: JIDS.der, now: AT });
      return p;
    },
    ...iutRunner("responder", hCfg, hPrefix),
    iutJid: JIDS.der,
  };

  const testGroups = [
    group(
      pki,
      "initiator",
      "start",
      iCfg,
      [],
      startCases(iutRunner("initiator", iCfg, [])),
      nextId,
    ),
    group(pki, "responder", "handshake", rCfg, [], [
      ...rHandshake,
      ...responderStartCases(pki, iutRunner("responder", rCfg, []), S.toString()),
    ], nextId),
    group(pki, "initiator", "handshake", iCfg, [iStart], responseCases(pki, iutRequest), nextId),
    group(pki, "responder", "session", rCfg, rPrefix, [
      ...sessionCases(pki, rSetup),
      ...lifecycleCases(pki, rSetup, "responder"),
    ], nextId),
    group(pki, "initiator", "session", iCfg, iPrefix, [
      ...sessionCases(pki, iSetup),
      ...lifecycleCases(pki, iSetup, "initiator", S.toString()),
    ], nextId),
    group(
      pki,
      "responder",
      "session",
      hCfg,
      hPrefix,
      sessionCases(pki, hSetup),
      nextId,
    ),
  ];
  return {
    path: `a-profile/${suite}.json`,
    content: {
      suite: "a-profile",
      schema: "a-profile.schema.json",
      version: 1,
      source:
        `generated by deno task vectors from the reference machines (state-machines/a-profile/vectorgen), fixture PKI seeded "a-profile fixture pki ${suite}"; profile decisions PD-85..PD-99`,
      generated: true,
      notes: NOTES,
      numberOfTests: id,
      testGroups,
    },
  };
}

/** Registered in tools/vector_generators.ts. */
export const aProfileVectorGenerator: VectorGenerator = {
  name: "a-profile",
  generate: () => SUITES.map(suiteFile),
};
