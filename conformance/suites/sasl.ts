/**
 * Checkers for the SASL vectors (`vectors/sasl/*.json`, schema
 * `scram.schema.json`): they drive the IUT's SCRAM client or server machine
 * (`sasl.scram-client`, `sasl.scram-server`) through one vector's messages
 * and compare every outgoing message and the refusal code — and the step
 * that refused — with the vector. The unit tests run the same checkers on
 * the reference, so a vector means the same thing in `deno test`, in a
 * conformance report and against an out-of-process IUT.
 *
 * A vector names the stage that must refuse (`failsAt`). The server's
 * `client-first` step covers two stages of derlink's API, reading the
 * message and looking up the credentials (`credentials`): either is matched
 * by that step.
 *
 * @module
 */
import { fromUtf8 } from "../../core/bytes.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { DEFAULT_SCRAM_CLIENT_POLICY } from "../../state-machines/xmpp-stream/sasl/mod.ts";
import { errorOf, type IutBackend, protocolChecker } from "../iut/backend.ts";
import type { Json, JsonObject, StepReply } from "../iut/protocol.ts";
import { reference } from "../bindings/reference.ts";
import { messageBytes } from "../bindings/sasl.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const show = (m: Json): string => {
  const b = messageBytes(m);
  try {
    return fromUtf8(b);
  } catch {
    return `hex:${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
  }
};

/** Walks the steps of one test and turns what happened into a verdict. */
class Run {
  constructor(private readonly test: VectorTest) {}
  /** Set when a step's outcome already decided the verdict. */
  outcome: CaseOutcome | undefined;

  /**
   * Judges one step's reply. `stages` are the vector stages the step covers;
   * returns the message the step sent (or true when it sent none), or
   * undefined after recording the verdict.
   */
  step(stages: readonly string[], reply: StepReply, final = false): Json | true | undefined {
    const { test } = this;
    const stage = stages[0];
    const failsHere = test.result === "invalid" && stages.includes(String(test.failsAt));
    const error = errorOf(reply);
    if (!error) {
      if (failsHere) {
        this.outcome = {
          verdict: "fail",
          expected: { stage: test.failsAt, code: test.error },
          observed: { stage, ok: true },
          message: `${stage} accepted what it must refuse`,
        };
        return undefined;
      }
      const sent = reply.out.find((o) => o.type === "send");
      if (final && !reply.out.some((o) => o.type === "success")) {
        this.outcome = {
          verdict: "fail",
          expected: "success",
          message: `${stage}: no success output`,
        };
        return undefined;
      }
      if (!final && !sent) {
        this.outcome = { verdict: "fail", message: `${stage}: no message sent` };
        return undefined;
      }
      return sent ? sent.message : true;
    }
    const { code, detail } = error;
    this.outcome = failsHere && code === test.error
      ? { verdict: "pass", observed: { stage: String(test.failsAt), code } }
      : {
        verdict: "fail",
        expected: failsHere
          ? { stage: test.failsAt, code: test.error }
          : test.result === "invalid"
          ? { stage: test.failsAt }
          : "success",
        observed: { stage, code, detail },
        message: `${stage} refused unexpectedly`,
      };
    return undefined;
  }

  /** Compares an outgoing message with the vector's, when the vector gives one. */
  same(stage: string, produced: Json | true, expected: unknown): boolean {
    if (expected === undefined || produced === true) return true;
    if (show(produced) === show(expected as Json)) return true;
    this.outcome = {
      verdict: "fail",
      expected: show(expected as Json),
      observed: show(produced),
      message: `${stage} differs`,
    };
    return false;
  }

  /** The verdict when every step ran. */
  finish(): CaseOutcome {
    if (this.outcome) return this.outcome;
    return this.test.result === "invalid"
      ? {
        verdict: "fail",
        expected: { stage: this.test.failsAt, code: this.test.error },
        message: "no step refused",
      }
      : { verdict: "pass" };
  }
}

/** The client configuration: group and test options merged, the policy made explicit. */
// spec: DL-IUT-8
export function clientConfig(test: VectorTest, group: VectorGroup): JsonObject {
  return {
    ...(group.client as JsonObject),
    ...(test.client as JsonObject),
    policy: {
      ...DEFAULT_SCRAM_CLIENT_POLICY,
      ...(group.policy as object),
      ...(test.policy as object),
    },
  };
}

async function checkClient(iut: IutBackend, test: VectorTest, group: VectorGroup) {
  const run = new Run(test);
  await iut.init("sasl.scram-client", clientConfig(test, group));
  const first = run.step(["start"], await iut.step({ type: "start" }));
  if (!first || !run.same("client-first", first, test.clientFirst)) return run.finish();
  if (test.serverFirst === undefined) return run.finish();
  const final = run.step(
    ["server-first"],
    await iut.step({ type: "server-first", message: test.serverFirst as Json }),
  );
  if (!final || !run.same("client-final", final, test.clientFinal)) return run.finish();
  if (test.serverFinal === undefined) return run.finish();
  run.step(
    ["server-final"],
    await iut.step({ type: "server-final", message: test.serverFinal as Json }),
    true,
  );
  return run.finish();
}

/** The server configuration: group and test settings, credentials and nonce in one object. */
// spec: DL-IUT-8
export function serverConfig(test: VectorTest, group: VectorGroup): JsonObject {
  const unknown = (test.unknownUser ?? group.unknownUser) as Json | undefined;
  return {
    ...(group.server as JsonObject),
    ...(test.server as JsonObject),
    credentials: group.credentials as JsonObject,
    ...(unknown !== undefined ? { unknownUser: unknown } : {}),
    serverNonce: (test.serverNonce ?? group.serverNonce) as string,
  };
}

async function checkServer(iut: IutBackend, test: VectorTest, group: VectorGroup) {
  const run = new Run(test);
  await iut.init("sasl.scram-server", serverConfig(test, group));
  // spec: PD-168
  const first = run.step(
    ["client-first", "credentials"],
    await iut.step({ type: "client-first", message: test.clientFirst as Json }),
  );
  if (!first || !run.same("server-first", first, test.serverFirst)) return run.finish();
  if (test.clientFinal === undefined) return run.finish();
  const done = run.step(
    ["client-final"],
    await iut.step({ type: "client-final", message: test.clientFinal as Json }),
    true,
  );
  if (done) run.same("server-final", done, test.serverFinal);
  return run.finish();
}

/** The SASL checkers, run against `iut`. */
export function saslCheckers(iut: IutBackend): GroupChecker[] {
  return [
    protocolChecker(
      iut,
      "scram-client",
      () => ({ machines: ["sasl.scram-client"] }),
      (t, g) => checkClient(iut, t, g),
    ),
    protocolChecker(
      iut,
      "scram-server",
      () => ({ machines: ["sasl.scram-server"] }),
      (t, g) => checkServer(iut, t, g),
    ),
  ];
}

/** The checkers of the SASL area, on the reference implementation. */
export const checkers: GroupChecker[] = saslCheckers(reference);
