/**
 * The reference SCRAM client and server as protocol machines
 * (docs/conformance.md, "sasl.scram-client" and "sasl.scram-server").
 *
 * A SCRAM exchange is three pure functions over immutable states in derlink;
 * here each becomes one step: the client takes `start`, `server-first` and
 * `server-final` inputs, the server `client-first` (read, credential lookup
 * and server-first in one step) and `client-final`. Each step answers with a
 * `send` output carrying the next message, `success` when the exchange is
 * complete, or an `error` output with the refusal code; the phase then is
 * `failed`. Nonces, salts and passwords come from the configuration, so a
 * run is deterministic.
 *
 * Messages are JSON strings (UTF-8 text) or `{ "hex": ... }` for bytes that
 * are not UTF-8, as in `vectors/sasl/`.
 *
 * @module
 */
import { fromBase64, fromHex, fromUtf8, toHex, utf8 } from "../../core/bytes.ts";
import { CoreError, DerlinkError, type Result } from "../../core/errors.ts";
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
import type { MachineBinding, Session } from "../iut/bindings.ts";
import type { Json, JsonObject, StepReply } from "../iut/protocol.ts";
import { asIs, obj, str } from "./args.ts";

/** A SCRAM message as the vectors and the protocol write it. */
export type WireMessage = string | { readonly hex: string };

export const messageBytes = (m: Json | undefined): Uint8Array => {
  if (typeof m === "string") return utf8(m);
  const hex = m && typeof m === "object" && !Array.isArray(m) ? (m as JsonObject).hex : undefined;
  if (typeof hex === "string") return fromHex(hex);
  throw new DerlinkError(CoreError["invalid-argument"], "message: expected a string or {hex}");
};

export const wireMessage = (b: Uint8Array): WireMessage => {
  try {
    return fromUtf8(b);
  } catch {
    return { hex: toHex(b) };
  }
};

/** A session over a chain of Result-returning stages, one per input type. */
function stagedSession(
  phase0: string,
  stages: Record<string, (input: JsonObject) => Result<{ out: JsonObject[]; phase: string }>>,
): { session: Session; reply: StepReply } {
  let phase = phase0;
  const session: Session = {
    step(input) {
      const stage = stages[`${phase}:${input.type}`];
      if (!stage) {
        phase = "failed";
        return {
          out: [{ type: "error", code: CoreError["invalid-argument"], detail: `${input.type}` }],
          phase,
        };
      }
      const r = stage(input);
      if (!r.ok) {
        phase = "failed";
        return { out: [{ type: "error", code: r.error.code, detail: r.error.detail }], phase };
      }
      phase = r.value.phase;
      return r.value;
    },
  };
  return { session, reply: { out: [], phase } };
}

const send = (message: Uint8Array) => ({ type: "send", message: wireMessage(message) });

interface ClientConfigJson extends Omit<ScramClientOptions, "channelBinding"> {
  readonly channelBinding?: {
    readonly type: "tls-unique" | "tls-exporter" | "tls-server-end-point";
    readonly data: string;
  };
  readonly policy?: { readonly minIterations: number; readonly maxIterations: number };
}

const scramClient: MachineBinding = (config) => {
  const json = asIs<ClientConfigJson>(config);
  const { policy: given, channelBinding, ...rest } = json;
  const options: ScramClientOptions = {
    ...rest,
    channelBinding: channelBinding &&
      { type: channelBinding.type, data: fromHex(channelBinding.data) },
  };
  const policy = { ...DEFAULT_SCRAM_CLIENT_POLICY, ...given };
  let first: ReturnType<typeof scramClientStart> extends Result<infer T> ? T : never;
  let final: ReturnType<typeof scramClientOnServerFirst> extends Result<infer T> ? T : never;
  return stagedSession("initial", {
    "initial:start": () => {
      const r = scramClientStart(options);
      if (!r.ok) return r;
      first = r.value;
      return { ok: true, value: { out: [send(first.message)], phase: "awaiting-server-first" } };
    },
    "awaiting-server-first:server-first": (input) => {
      const r = scramClientOnServerFirst(first.state, messageBytes(input.message), policy);
      if (!r.ok) return r;
      final = r.value;
      return { ok: true, value: { out: [send(final.message)], phase: "awaiting-server-final" } };
    },
    "awaiting-server-final:server-final": (input) => {
      const r = scramClientOnServerFinal(final.state, messageBytes(input.message));
      if (!r.ok) return r;
      return { ok: true, value: { out: [{ type: "success" }], phase: "succeeded" } };
    },
  });
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

const scramServer: MachineBinding = (config) => {
  const json = config as JsonObject & { channelBindings: Record<string, string> };
  const server: ScramServerConfig = {
    mechanism: str(config, "mechanism") as ScramMechanism,
    advertisedPlus: config.advertisedPlus === true,
    channelBindings: Object.fromEntries(
      Object.entries(obj(config, "channelBindings")).map(([k, v]) => [k, fromHex(String(v))]),
    ),
    ...(json.requireChannelBinding !== undefined
      ? { requireChannelBinding: json.requireChannelBinding === true }
      : {}),
  };
  const creds = asIs<CredentialsJson>(obj(config, "credentials"));
  const unknown = config.unknownUser as UnknownUserJson;
  const serverNonce = str(config, "serverNonce");
  let awaiting: ReturnType<typeof scramServerOnClientFirst> extends Result<infer T> ? T : never;
  return stagedSession("initial", {
    "initial:client-first": (input) => {
      const read = scramServerReadClientFirst(server, messageBytes(input.message));
      if (!read.ok) return read;
      let lookup: ScramCredentialLookup;
      if (read.value.username === creds.username) {
        const stored = storedCredentials(creds, server.mechanism);
        if (!stored.ok) {
          throw new DerlinkError(
            CoreError["invalid-argument"],
            `credentials: ${stored.error.code}`,
          );
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
      const r = scramServerOnClientFirst(read.value, lookup, serverNonce);
      if (!r.ok) return r;
      awaiting = r.value;
      return { ok: true, value: { out: [send(awaiting.message)], phase: "awaiting-client-final" } };
    },
    "awaiting-client-final:client-final": (input) => {
      const r = scramServerOnClientFinal(awaiting.state, messageBytes(input.message));
      if (!r.ok) return r;
      return {
        ok: true,
        value: { out: [send(r.value.message), { type: "success" }], phase: "succeeded" },
      };
    },
  });
};

export const saslBindings = {
  functions: {},
  machines: { "sasl.scram-client": scramClient, "sasl.scram-server": scramServer },
};
