/**
 * The adapter refuses what it must against a real Prosody: a proxy that
 * strips the STARTTLS feature, a wrong trust anchor, a wrong server name.
 * And direct TLS (XEP-0368): the transport part against Prosody's
 * direct-TLS port, and a full login over it.
 */
import assert from "node:assert/strict";
import { isDerlinkError } from "../../core/errors.ts";
import { createTestCa } from "../../core/pki/testca.ts";
import { denoConnector } from "../../adapters/deno_transport.ts";
import { nodeConnector } from "../../adapters/node_transport.ts";
import { checkPeerChain, parseAnchors } from "../../adapters/tls_trust.ts";
import { XmppClient } from "../../adapters/xmpp_client.ts";
import {
  clientOptions,
  firstChild,
  TLS_PROBE_PLUGIN,
  tlsProbe,
  withServer,
} from "./adapter_helpers.ts";
import { startStripProxy } from "./strip_proxy.ts";

Deno.test("DL-ADAPTER-1 PAPER-R3 PAPER-R5: a proxy stripping <starttls/> makes the client refuse with xmpp/starttls-required", async () => {
  await withServer(async (server) => {
    const proxy = startStripProxy(server.port);
    try {
      const options = clientOptions(server, 0, { server: { host: server.host, port: proxy.port } });
      await assert.rejects(
        XmppClient.connect(options),
        (e) => isDerlinkError(e, "xmpp/starttls-required"),
      );
      assert.ok(proxy.stripped(), "the proxy removed the feature");
      const sent = proxy.clientSent();
      // Nothing but the stream header (and the closing) went out in clear.
      assert.doesNotMatch(sent, /<auth|<iq|<message|<presence/);
      assert.ok(!sent.includes(options.password!), "password never sent");
    } finally {
      await proxy.close();
    }
  });
});

Deno.test("DL-ADAPTER-2 DL-ADAPTER-9 PAPER-R1: a wrong trust anchor is refused with adapter/tls-failed, on both TLS stacks", async () => {
  await withServer(async (server) => {
    const other = await createTestCa();
    for (const connector of [nodeConnector, denoConnector({ allowSystemRoots: true })]) {
      await assert.rejects(
        XmppClient.connect(
          clientOptions(server, 0, { connector, tls: { anchors: [other.certPem] } }),
        ),
        (e) => isDerlinkError(e, "adapter/tls-failed"),
      );
    }
  });
});

Deno.test("DL-ADAPTER-2 PD-104: a server certificate without the expected name is refused with adapter/tls-failed", async () => {
  await withServer(async (server) => {
    for (const connector of [nodeConnector, denoConnector({ allowSystemRoots: true })]) {
      await assert.rejects(
        XmppClient.connect(
          clientOptions(server, 0, {
            connector,
            tls: { anchors: [server.caPem], serverName: "other.derlink.test" },
          }),
        ),
        (e) => isDerlinkError(e, "adapter/tls-failed"),
      );
    }
  });
});

Deno.test("DL-ADAPTER-10 DL-ADAPTER-3: direct TLS transport with a client certificate, pinned to the run's CA", async () => {
  await withServer(async (server) => {
    const cert = await server.clientCert(`der1@${server.domain}`);
    const trust = { anchors: [server.caPem], serverName: server.domain, clientCertificate: cert };
    const endpoint = { host: server.host, port: server.directTlsPort, directTls: true };
    let received = "";
    const closed = Promise.withResolvers<void>();
    const t = await nodeConnector(endpoint, trust, {
      onData: (b) => received += new TextDecoder().decode(b),
      onClose: () => closed.resolve(),
    });
    assert.ok(t.tls, "TLS is up at connect");
    assert.ok(t.tls.anchorsOnly);
    assert.ok((checkPeerChain(t.tls.peerChain, parseAnchors(trust.anchors), new Date())).ok);
    const other = parseAnchors([(await createTestCa()).certPem]);
    const pinned = checkPeerChain(t.tls.peerChain, other, new Date());
    assert.ok(!pinned.ok && pinned.error.code === "adapter/untrusted-peer");
    console.log(`direct TLS (node:tls): ${t.tls.protocol}, chain of ${t.tls.peerChain.length}`);
    t.abort();
    await closed.promise;
    assert.equal(received, "");
    // Deno's own stack: the name must be the address it connects to (see docs/adapters.md).
    await assert.rejects(
      denoConnector({ allowSystemRoots: true })(endpoint, trust, {
        onData: () => {},
        onClose: () => {},
      }),
      (e) => isDerlinkError(e, "adapter/unsupported"),
    );
  });
});

Deno.test("DL-ADAPTER-10 XEP0368-3.direct XEP0368-3.no-starttls: login over direct TLS (XEP-0368) with a client certificate; the stream starts at the TLS stage", async () => {
  await withServer(async (server) => {
    const cert = await server.clientCert(`der1@${server.domain}`);
    const a = await XmppClient.connect(clientOptions(server, 0, {
      server: { host: server.host, port: server.directTlsPort, directTls: true },
      tls: { anchors: [server.caPem], clientCertificate: cert },
    }));
    try {
      const state = a.connection!.driver.state;
      assert.equal(state.phase, "bound");
      assert.equal(state.directTls, true, "the machine started at the TLS stage");
      assert.ok(state.tls?.peerCertificate && state.tls.peerCertificate.length > 0);
      const probe = firstChild(await a.iq(tlsProbe(server.domain)))!;
      console.log(`direct TLS login: ${probe.attrs.protocol}, client cert ${probe.attrs.cert}`);
      assert.equal(probe.attrs.cert, "present");
      assert.equal(probe.attrs.chain, "valid");
      assert.equal(probe.attrs.xmppaddr, `der1@${server.domain}`);
    } finally {
      await a.close();
    }
  }, { plugins: [TLS_PROBE_PLUGIN] });
});
