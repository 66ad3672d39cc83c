/**
 * Certificate logins at the in-memory router (PD-255): a client certificate
 * the router's client anchors validate logs in by SASL EXTERNAL as the JID
 * it names; an untrusted, expired or wrong-purpose certificate, a missing
 * anchor list, and a password for a certificate-only account do not.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SeededEntropy } from "../../core/entropy.ts";
import { type CredentialPlan, issuePlan, mint } from "../../core/pki/credential_plan.ts";
import { pkcs8Pem } from "../../core/pki/credential_plan_tls.ts";
import { certificatePem } from "../../core/pki/pem.ts";
import type { Credential } from "../../core/pki/credential_plan.ts";
import { XmppClient } from "../xmpp_client.ts";
import { testPki } from "../adapter_test_fixtures.ts";
import { clientIdentities } from "../client_certs.ts";
import { DOMAIN, passwordOf, testRouter } from "./testing.ts";
import type { RouterOptions } from "../memory-router.ts";

const NOW = Date.UTC(2025, 5, 21);
let planned: CredentialPlan | undefined;
/** Client certificates for alice and bob from the server operator's CA (PD-230 default plan). */
const plan = () =>
  planned ??= issuePlan({
    suite: "p256",
    domain: DOMAIN,
    now: NOW,
    seed: "client-cert-test",
    parties: [
      { name: "alice", jid: `alice@${DOMAIN}`, role: "der" },
      { name: "bob", jid: `bob@${DOMAIN}`, role: "der" },
    ],
  });
const clientCa = () => plan().operators["xmpp-operator"].root.der;

async function router(over: Partial<RouterOptions> = {}) {
  return await testRouter(["alice", "bob"], {
    clientAnchors: [clientCa()],
    now: NOW,
    ...over,
  });
}

/** Connects as `user` presenting `cred` (and no password unless given). */
async function login(
  r: Awaited<ReturnType<typeof router>>,
  user: string,
  cred: Credential | undefined,
  password?: string,
): Promise<XmppClient> {
  const p = await testPki();
  return await XmppClient.connect({
    jid: `${user}@${DOMAIN}`,
    password,
    resource: "r1",
    entropy: new SeededEntropy(`client-cert-test/${user}`),
    server: { host: "memory", port: 5222 },
    tls: {
      anchors: [p.ca.certPem],
      clientCertificate: cred && {
        certPem: certificatePem(...cred.chain),
        keyPem: await pkcs8Pem(cred.key),
      },
    },
    connector: r.connector,
    checked: true,
    reconnect: false,
  });
}

const codeOf = (e: unknown) => (e as { code?: string }).code ?? String(e);

Deno.test("certificate login: a client certificate the anchors validate logs in by EXTERNAL (PD-255 XEP0178-3)", async () => {
  // spec: PD-255 DL-CRED-1 XEP0178-3 RFC6120-6.3.4.external
  const r = await router({ users: { alice: null, bob: null } });
  const c = await login(r, "alice", plan().parties.alice.tls);
  assert.equal(c.jid, `alice@${DOMAIN}/r1`);
  const text = r.log.sessions[0].fromClient.join("");
  assert.match(text, /<auth [^>]*mechanism="EXTERNAL"/);
  assert.doesNotMatch(text, /SCRAM/);
  await c.close();
});

Deno.test("certificate login: another CA's certificate gives no identity, EXTERNAL is not offered (PD-255)", async () => {
  // spec: PD-255 DL-CRED-1 XEP0178-3
  const r = await router({ users: { alice: null, bob: null } });
  // The grid operator's CA minted it: not an anchor of this server.
  const foreign = mint(plan(), "grid-operator", `alice@${DOMAIN}`, "foreign");
  await assert.rejects(login(r, "alice", foreign), (e) => /sasl\//.test(codeOf(e)));
  const offered = r.log.sessions[0].toClient.join("");
  assert.doesNotMatch(offered, /EXTERNAL/);
});

Deno.test("certificate login: an expired certificate or one without clientAuth proves nothing (PD-255)", () => {
  // spec: PD-255 DL-CRED-1
  const alice = plan().parties.alice;
  assert.deepEqual(clientIdentities(alice.tls.chain, [clientCa()], NOW), [`alice@${DOMAIN}`]);
  assert.deepEqual(clientIdentities(alice.tls.chain, [clientCa()], NOW + 400 * 86_400_000), []);
  // The end-to-end certificate (grid CA) under the grid CA as anchor: keyUsage for signing,
  // no clientAuth purpose.
  const grid = plan().operators["grid-operator"].root.der;
  const e2e = clientIdentities(alice.endToEnd.chain, [grid], NOW);
  assert.deepEqual(e2e, [], "an end-to-end certificate is not a TLS client certificate");
  assert.deepEqual(clientIdentities([], [clientCa()], NOW), []);
  assert.deepEqual(clientIdentities(alice.tls.chain, [], NOW), []);
});

Deno.test("certificate login: the server takes the identity from the certificate, never from the client (XEP0178-3)", async () => {
  // spec: XEP0178-3 DL-CRED-1
  const r = await router();
  // bob's certificate presented by a client that says it is alice: authenticated as bob or not at all.
  const c = await login(r, "alice", plan().parties.bob.tls).catch((e) => e);
  if (c instanceof XmppClient) {
    assert.ok(!c.jid?.startsWith(`alice@`), `bound as ${c.jid}`);
    await c.close();
  } else assert.match(codeOf(c), /\//);
  assert.ok(![...r.sessions.byFull.keys()].some((j) => j.startsWith("alice@")));
});

Deno.test("certificate login: a certificate-only account refuses a password; without anchors a certificate is ignored (DL-CRED-2)", async () => {
  // spec: PD-255 DL-CRED-2
  const r = await router({ users: { alice: null, bob: passwordOf("bob") } });
  await assert.rejects(
    login(r, "alice", undefined, passwordOf("alice")),
    (e) => /sasl\//.test(codeOf(e)),
  );
  const b = await login(r, "bob", undefined, passwordOf("bob"));
  assert.equal(b.jid, `bob@${DOMAIN}/r1`);
  await b.close();
  const none = await router({ clientAnchors: undefined, users: { alice: null, bob: null } });
  await assert.rejects(
    login(none, "alice", plan().parties.alice.tls),
    (e) => /sasl\//.test(codeOf(e)),
  );
});
