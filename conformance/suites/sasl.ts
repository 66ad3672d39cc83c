/**
 * Checkers for the SASL vectors (`vectors/sasl/*.json`, schema
 * `scram.schema.json`): they drive derlink's SCRAM client or server through
 * one vector's messages and compare every outgoing message and the refusal
 * code with the vector. The unit tests run the same checkers, so a vector
 * means the same thing in `deno test` and in a conformance report.
 *
 * @module
 */
import { fromHex, fromUtf8, utf8 } from "../../core/bytes.ts";
import type { Result } from "../../core/errors.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import {
  DEFAULT_SCRAM_CLIENT_POLICY,
  parseScramStoredCredentials,
  scramClientOnServerFinal,
  scramClientOnServerFirst,
  type ScramClientOptions,
  scramClientStart,
  type ScramCredentialLookup,
  scramCredentialsFromPassword,
  type ScramMechanism,
  type ScramServerConfig,
  scramServerOnClientFinal,
  scramServerOnClientFirst,
  scramServerReadClientFirst,
  type ScramStoredCredentials,
} from "../../state-machines/xmpp-stream/sasl/mod.ts";
import { fromBase64 } from "../../core/bytes.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

/** A vector message: UTF-8 text, or `{hex}` for bytes that are not UTF-8. */
type VectorMessage = string | { readonly hex: string };
const bytesOf = (m: VectorMessage): Uint8Array => typeof m === "string" ? utf8(m) : fromHex(m.hex);
const show = (b: Uint8Array): string => {
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

  /** Runs one step; returns its value, or undefined after recording the verdict. */
  step<T>(stage: string, result: Result<T>): T | undefined {
    const { test } = this;
    const failsHere = test.result === "invalid" && test.failsAt === stage;
    if (result.ok) {
      if (!failsHere) return result.value;
      this.outcome = {
        verdict: "fail",
        expected: { stage, code: test.error },
        observed: { stage, ok: true },
        message: `${stage} accepted what it must refuse`,
      };
      return undefined;
    }
    const code = result.error.code;
    this.outcome = failsHere && code === test.error
      ? { verdict: "pass", observed: { stage, code } }
      : {
        verdict: "fail",
        expected: failsHere
          ? { stage, code: test.error }
          : test.result === "invalid"
          ? { stage: test.failsAt }
          : "success",
        observed: { stage, code, detail: result.error.detail },
        message: `${stage} refused unexpectedly`,
      };
    return undefined;
  }

  /** Compares an outgoing message with the vector's, when the vector gives one. */
  same(stage: string, produced: Uint8Array, expected: VectorMessage | undefined): boolean {
    if (expected === undefined || show(produced) === show(bytesOf(expected))) return true;
    this.outcome = {
      verdict: "fail",
      expected: show(bytesOf(expected)),
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

interface ClientOptionsJson extends Omit<ScramClientOptions, "channelBinding"> {
  readonly channelBinding?: {
    readonly type: "tls-unique" | "tls-exporter" | "tls-server-end-point";
    readonly data: string;
  };
}

const scramClientChecker: GroupChecker = {
  groupType: "scram-client",
  check(test: VectorTest, group: VectorGroup): CaseOutcome {
    const json = {
      ...(group.client as ClientOptionsJson),
      ...(test.client as Partial<ClientOptionsJson>),
    };
    const options: ScramClientOptions = {
      ...json,
      channelBinding: json.channelBinding &&
        { type: json.channelBinding.type, data: fromHex(json.channelBinding.data) },
    };
    const policy = {
      ...DEFAULT_SCRAM_CLIENT_POLICY,
      ...(group.policy as object),
      ...(test.policy as object),
    };
    const run = new Run(test);
    const first = run.step("start", scramClientStart(options));
    if (!first || !run.same("client-first", first.message, test.clientFirst as VectorMessage)) {
      return run.finish();
    }
    if (test.serverFirst === undefined) return run.finish();
    const final = run.step(
      "server-first",
      scramClientOnServerFirst(first.state, bytesOf(test.serverFirst as VectorMessage), policy),
    );
    if (!final || !run.same("client-final", final.message, test.clientFinal as VectorMessage)) {
      return run.finish();
    }
    if (test.serverFinal === undefined) return run.finish();
    run.step(
      "server-final",
      scramClientOnServerFinal(final.state, bytesOf(test.serverFinal as VectorMessage)),
    );
    return run.finish();
  },
};

interface CredentialsJson {
  readonly username: string;
  readonly password?: string;
  readonly salt?: string;
  readonly iterations?: number;
  readonly stored?: string;
}
type UnknownUserJson =
  | "refuse"
  | { readonly decoySalt: string; readonly decoyIterations: number }
  | undefined;

function storedCredentials(c: CredentialsJson, mechanism: string): Result<ScramStoredCredentials> {
  if (c.stored !== undefined) return parseScramStoredCredentials(c.stored);
  const hash = /SHA-256/.test(mechanism) ? "SHA-256" : "SHA-1";
  return scramCredentialsFromPassword(hash, c.password!, fromBase64(c.salt!), c.iterations!);
}

const scramServerChecker: GroupChecker = {
  groupType: "scram-server",
  check(test: VectorTest, group: VectorGroup): CaseOutcome {
    const json = { ...(group.server as object), ...(test.server as object) } as {
      mechanism: ScramMechanism;
      advertisedPlus: boolean;
      channelBindings: Record<string, string>;
      requireChannelBinding?: boolean;
    };
    const config: ScramServerConfig = {
      ...json,
      channelBindings: Object.fromEntries(
        Object.entries(json.channelBindings).map(([k, v]) => [k, fromHex(v)]),
      ),
    };
    const creds = group.credentials as CredentialsJson;
    const unknown = (test.unknownUser ?? group.unknownUser) as UnknownUserJson;
    const serverNonce = (test.serverNonce ?? group.serverNonce) as string;
    const run = new Run(test);
    const read = run.step(
      "client-first",
      scramServerReadClientFirst(config, bytesOf(test.clientFirst as VectorMessage)),
    );
    if (!read) return run.finish();
    let lookup: ScramCredentialLookup;
    if (read.username === creds.username) {
      const stored = storedCredentials(creds, config.mechanism);
      if (!stored.ok) {
        return { verdict: "fail", message: `vector credentials unusable: ${stored.error.code}` };
      }
      lookup = { kind: "found", credentials: stored.value };
    } else {
      lookup = typeof unknown === "object"
        ? {
          kind: "unknown",
          decoy: { salt: fromBase64(unknown.decoySalt), iterations: unknown.decoyIterations },
        }
        : { kind: "unknown" };
    }
    const first = run.step("credentials", scramServerOnClientFirst(read, lookup, serverNonce));
    if (!first || !run.same("server-first", first.message, test.serverFirst as VectorMessage)) {
      return run.finish();
    }
    if (test.clientFinal === undefined) return run.finish();
    const done = run.step(
      "client-final",
      scramServerOnClientFinal(first.state, bytesOf(test.clientFinal as VectorMessage)),
    );
    if (done) run.same("server-final", done.message, test.serverFinal as VectorMessage);
    return run.finish();
  },
};

/** The checkers of the SASL area. */
export const checkers: GroupChecker[] = [scramClientChecker, scramServerChecker];
