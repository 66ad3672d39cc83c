/**
 * Fixtures of the adapter unit tests: a test CA with a server certificate
 * for the stream machine's test domain, and a memory server with the
 * machine's fixture accounts.
 *
 * @module
 */
import { SeededEntropy } from "../core/entropy.ts";
import { createTestCa, issueServerCert, type TestCa } from "../core/pki/testca.ts";
import type { ReceiverConfig } from "../state-machines/xmpp-stream/receiver.ts";
import { DOMAIN, PASSWORDS, serverConfig } from "../state-machines/xmpp-stream/testing.ts";
import { MemoryServer } from "./memory_transport.ts";
import type { ClientOptions } from "./xmpp_client.ts";

export { DOMAIN };

export interface Pki {
  readonly ca: TestCa;
  readonly chain: readonly Uint8Array[];
}

let pki: Promise<Pki> | undefined;

/** One CA and server chain for the whole test file. */
export function testPki(): Promise<Pki> {
  return pki ??= (async () => {
    const ca = await createTestCa({ entropy: new SeededEntropy("adapter-test-ca") });
    const server = await issueServerCert(ca, { dnsNames: [DOMAIN] });
    return {
      ca,
      chain: [new Uint8Array(server.cert.rawData), new Uint8Array(ca.cert.rawData)],
    };
  })();
}

/** A memory server for example.net; `over` changes the receiver config of every connection. */
export function memoryServer(
  p: Pki,
  over: Partial<ReceiverConfig> = {},
  chain: readonly Uint8Array[] = p.chain,
): MemoryServer {
  let n = 0;
  return new MemoryServer({
    chain,
    config: (resumable) => serverConfig(`memory/${n++}`, { resumable, ...over }),
  });
}

/** Client options for juliet against `server`. */
export function julietOptions(
  p: Pki,
  server: MemoryServer,
  over: Partial<ClientOptions> = {},
): ClientOptions {
  return {
    jid: `juliet@${DOMAIN}`,
    password: PASSWORDS.juliet,
    resource: "balcony",
    entropy: new SeededEntropy("adapter-test/juliet"),
    server: { host: "127.0.0.1", port: 5222 },
    tls: { anchors: [p.ca.certPem] },
    connector: server.connector,
    checked: true,
    reconnect: false,
    ...over,
  };
}
