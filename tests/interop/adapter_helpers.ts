/**
 * Shared pieces of the adapter interop tests: a Prosody per test with two
 * users, client options for them, a bounded wait, and a probe plugin that
 * tells a client what Prosody saw of its TLS session.
 *
 * @module
 */
import { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import type { ClientOptions } from "../../adapters/xmpp_client.ts";
import { type ProsodyServer, startProsody } from "../harness/prosody.ts";

export const USERS = [
  { username: "der1", password: "der1-interop-secret" },
  { username: "der2", password: "der2-interop-secret" },
] as const;

/** Starts Prosody with the two users, runs `f`, stops the server in finally. */
export async function withServer(
  f: (server: ProsodyServer) => Promise<void>,
  options: Parameters<typeof startProsody>[0] = {},
): Promise<void> {
  const server = await startProsody({ users: [...USERS], ...options });
  try {
    await f(server);
  } finally {
    await server.stop();
  }
}

let seed = 0;

/** Options for user `index` (0 or 1) over STARTTLS, trusting the run's CA only. */
export function clientOptions(
  server: ProsodyServer,
  index: 0 | 1,
  over: Partial<ClientOptions> = {},
): ClientOptions {
  const user = USERS[index];
  return {
    jid: `${user.username}@${server.domain}`,
    password: user.password,
    entropy: new SeededEntropy(`interop/${user.username}/${seed++}/${Date.now()}`),
    server: { host: server.host, port: server.port },
    tls: { anchors: [server.caPem] },
    checked: true,
    reconnect: false,
    ...over,
  };
}

/** Resolves with `p`, or rejects after `ms` naming what was awaited. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Namespace of the probe's iq. */
export const TLS_PROBE_NS = "urn:derlink:test:tls-probe";

/**
 * Answers `<iq type='get'><query xmlns='urn:derlink:test:tls-probe'/></iq>`
 * to the server with what Prosody saw: the TLS protocol, whether a client
 * certificate came, whether its chain verified, and its xmppAddr values.
 */
export const TLS_PROBE_PLUGIN = {
  name: "derlink_tls_probe",
  source: `-- derlink interop test: report the client's TLS session to the client itself.
local st = require "util.stanza";
module:hook("iq-get/host/${TLS_PROBE_NS}:query", function(event)
  local origin, stanza = event.origin, event.stanza;
  local sock = origin.conn and origin.conn:socket();
  local info = { cert = "none", chain = "none", addrs = "", protocol = "" };
  if sock and sock.info then info.protocol = tostring(sock:info("protocol") or ""); end
  if sock and sock.getpeercertificate then
    local cert = sock:getpeercertificate();
    if cert then
      info.cert = "present";
      info.chain = sock:getpeerverification() and "valid" or "invalid";
      local san = (cert:extensions() or {})["2.5.29.17"] or {};
      info.addrs = table.concat(san["1.3.6.1.5.5.7.8.5"] or {}, ",");
    end
  end
  origin.send(st.reply(stanza):tag("query", { xmlns = "${TLS_PROBE_NS}", cert = info.cert,
    chain = info.chain, xmppaddr = info.addrs, protocol = info.protocol }));
  return true;
end);
`,
};

/** The probe's request, to the server. */
export const tlsProbe = (domain: string): Xel =>
  new Element("iq", { type: "get", to: domain }).c("query", { xmlns: TLS_PROBE_NS }).root() as Xel;

/** The first child element of `el`. */
export const firstChild = (el: Xel): Xel | undefined =>
  el.children.find((c): c is Xel => typeof c === "object");
