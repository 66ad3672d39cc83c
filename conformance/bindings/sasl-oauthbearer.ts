/**
 * The reference implementation's OAUTHBEARER client functions at protocol
 * level (RFC 7628): `sasl.oauthbearer-initial` {token, authzid?, host?,
 * port?} → {message} builds the initial client response, and
 * `sasl.oauthbearer-error-result` {challenge} → {status, scope?,
 * openidConfiguration?, response} reads a server's error result and gives
 * the client's answer (bytes hex). Refusals carry their `sasl/*` code.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import {
  oauthBearerClientMessage,
  oauthBearerClientOnChallenge,
} from "../../state-machines/xmpp-stream/sasl/mod.ts";
import type { FunctionBinding } from "../iut/bindings.ts";
import { bytes, num, str } from "./args.ts";

export const functions: Record<string, FunctionBinding> = {
  "sasl.oauthbearer-initial": (args) => {
    const r = oauthBearerClientMessage({
      token: str(args, "token"),
      ...(args.authzid !== undefined ? { authzid: str(args, "authzid") } : {}),
      ...(args.host !== undefined ? { host: str(args, "host") } : {}),
      ...(args.port !== undefined ? { port: num(args, "port") } : {}),
    });
    if (!r.ok) throw r.error;
    return { message: toHex(r.value) };
  },
  "sasl.oauthbearer-error-result": (args) => {
    const r = oauthBearerClientOnChallenge(bytes(args, "challenge"));
    if (!r.ok) throw r.error;
    const { status, scope, openidConfiguration } = r.value.error;
    return {
      status,
      ...(scope !== undefined ? { scope } : {}),
      ...(openidConfiguration !== undefined ? { openidConfiguration } : {}),
      response: toHex(r.value.response),
    };
  },
};

export const saslOAuthBearerBindings = { functions, machines: {} };
