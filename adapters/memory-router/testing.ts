/**
 * Test helpers for the in-memory router: a router for `example.net` with
 * the adapter tests' CA, and XmppClients connected to it. Passwords here are
 * fixtures, not secrets. Not part of the public API.
 *
 * @module
 */
import { Element } from "ltx";
import { SeededEntropy } from "../../core/entropy.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { DOMAIN, testPki } from "../adapter_test_fixtures.ts";
import { MemoryRouter, type RouterOptions } from "../memory-router.ts";
import { XmppClient } from "../xmpp_client.ts";

export { DOMAIN };

export const passwordOf = (user: string) => `${user}-router-fixture`;

export async function testRouter(
  users: readonly string[],
  over: Partial<RouterOptions> = {},
): Promise<MemoryRouter> {
  const p = await testPki();
  return new MemoryRouter({
    domain: DOMAIN,
    users: Object.fromEntries(users.map((u) => [u, passwordOf(u)])),
    entropy: new SeededEntropy("memory-router-test"),
    chain: p.chain,
    ...over,
  });
}

/** A client for `user` (with `resource`) connected to `router`, stanzas recorded. */
export async function connectTo(
  router: MemoryRouter,
  user: string,
  resource = "r1",
): Promise<TestClient> {
  const p = await testPki();
  const client = await XmppClient.connect({
    jid: `${user}@${router.domain}`,
    password: passwordOf(user),
    resource,
    entropy: new SeededEntropy(`memory-router-test/${user}/${resource}`),
    server: { host: "memory", port: 5222 },
    tls: { anchors: [p.ca.certPem] },
    connector: router.connector,
    checked: true,
    reconnect: false,
  });
  const got: Xel[] = [];
  client.on("stanza", (s) => got.push(s));
  return { client, got };
}

export interface TestClient {
  readonly client: XmppClient;
  /** Every stanza received, in order. */
  readonly got: Xel[];
}

/** Lets every queued microtask delivery happen (the memory transport is microtask-async). */
export async function settle(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

export const presence = (attrs: Record<string, string> = {}, priority?: number): Xel => {
  const p = new Element("presence", attrs);
  if (priority !== undefined) p.c("priority").t(String(priority));
  return p as unknown as Xel;
};

export const msg = (to: string, body: string, type = "chat", id = "m1"): Xel =>
  new Element("message", { to, type, id }).c("body").t(body).root() as unknown as Xel;

/** Names and attributes of received stanzas, compact for assertions. */
export const brief = (xs: readonly Xel[]) =>
  xs.map((x) =>
    `${x.name} ${x.attrs.type ?? "-"} from=${x.attrs.from ?? "-"}${
      x.getChildText("body") ? ` body=${x.getChildText("body")}` : ""
    }`
  );
