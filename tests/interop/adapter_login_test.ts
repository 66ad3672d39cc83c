/**
 * Interop of the Deno adapter (adapters/deno-tcp.ts) with a real Prosody:
 * login with every SCRAM variant Prosody offers, resource binding, messages
 * and iq both ways, a client certificate over STARTTLS, and what the
 * Deno-native TLS stack can and cannot do. Run by `deno task interop`;
 * fails with the install command when Prosody is missing (PD-54).
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { denoConnector } from "../../adapters/deno_transport.ts";
import { isDerlinkError } from "../../core/errors.ts";
import { message, XmppClient } from "../../adapters/xmpp_client.ts";
import type { ProsodyAuth } from "../harness/prosody.ts";
import {
  clientOptions,
  firstChild,
  TLS_PROBE_PLUGIN,
  tlsProbe,
  within,
  withServer,
} from "./adapter_helpers.ts";

const ECHO_NS = "urn:derlink:test:echo";

/** Both directions of a chat message, then an iq from a to b answered by b. */
async function exchange(a: XmppClient, b: XmppClient): Promise<void> {
  const atB = b.once("message", (m) => m.attrs.from === a.jid);
  a.send(message(b.jid, "a to b"));
  assert.equal((await within(atB, 5_000, "message at b")).getChildText("body"), "a to b");
  const atA = a.once("message", (m) => m.attrs.from === b.jid);
  b.send(message(a.jid, "b to a"));
  assert.equal((await within(atA, 5_000, "message at a")).getChildText("body"), "b to a");

  const off = b.on("iq", (req) => {
    const q = firstChild(req);
    const reply = new Element("iq", { type: "result", id: req.attrs.id, to: req.attrs.from });
    reply.c("query", { xmlns: ECHO_NS, said: q?.attrs.said ?? "" });
    b.send(reply as Xel);
  });
  const req = new Element("iq", { type: "get", to: b.jid }).c("query", {
    xmlns: ECHO_NS,
    said: "ping from a",
  }).root() as Xel;
  const res = await within(a.iq(req), 5_000, "iq result from b");
  off();
  assert.equal(res.attrs.type, "result");
  assert.equal(res.attrs.from, b.jid);
  assert.equal(firstChild(res)?.attrs.said, "ping from a");
}

const VARIANTS: [string, ProsodyAuth, string][] = [
  ["internal_hashed SHA-1", { storage: "internal_hashed", passwordHash: "SHA-1" }, "SCRAM-SHA-1"],
  [
    "internal_hashed SHA-256",
    { storage: "internal_hashed", passwordHash: "SHA-256" },
    "SCRAM-SHA-256",
  ],
  ["internal_plain", { storage: "internal_plain" }, "SCRAM-SHA-1"],
  ["internal_plain", { storage: "internal_plain" }, "SCRAM-SHA-256"],
];

for (const [label, auth, mechanism] of VARIANTS) {
  Deno.test(`DL-ADAPTER-1 PAPER-R3 PAPER-R5: ${mechanism} against Prosody ${label}: bind, message and iq both ways`, async () => {
    await withServer(async (server) => {
      const machine = { mechanisms: [mechanism] };
      const t0 = performance.now();
      const a = await XmppClient.connect(clientOptions(server, 0, { machine }));
      const loginMs = performance.now() - t0;
      const b = await XmppClient.connect(clientOptions(server, 1, { machine }));
      try {
        for (const c of [a, b]) {
          assert.equal(c.connection!.driver.state.mechanism, mechanism);
          assert.equal(c.connection!.driver.state.phase, "bound");
        }
        assert.match(a.jid, new RegExp(`^der1@${server.domain}/.+`));
        assert.match(b.jid, new RegExp(`^der2@${server.domain}/.+`));
        await exchange(a, b);
        console.log(
          `${mechanism} (${label}): login ${loginMs.toFixed(1)} ms (TCP + STARTTLS + SASL + bind)`,
        );
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
      assert.equal(a.connection!.driver.state.phase, "closed");
    }, { auth });
  });
}

Deno.test("DL-ADAPTER-11 PD-103: an iq request nobody handles is answered with service-unavailable", async () => {
  await withServer(async (server) => {
    const a = await XmppClient.connect(clientOptions(server, 0));
    const b = await XmppClient.connect(clientOptions(server, 1));
    try {
      const req = new Element("iq", { type: "set", to: b.jid }).c("query", { xmlns: ECHO_NS })
        .root() as Xel;
      const err = await within(a.iq(req).then(() => undefined, (e) => e), 5_000, "iq error");
      assert.ok(isDerlinkError(err, "adapter/iq-error"), String(err));
      assert.equal(err.detail, "service-unavailable");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

Deno.test("DL-ADAPTER-4 PAPER-R1: STARTTLS with a client certificate (node:tls) reaches Prosody with a valid chain", async () => {
  await withServer(async (server) => {
    const jid = `der1@${server.domain}`;
    const cert = await server.clientCert(jid);
    const a = await XmppClient.connect(
      clientOptions(server, 0, { tls: { anchors: [server.caPem], clientCertificate: cert } }),
    );
    try {
      const tls = a.connection!.driver.state.tls;
      assert.ok(tls?.peerCertificate && tls.peerCertificate.length > 0, "server certificate fed");
      const probe = firstChild(await within(a.iq(tlsProbe(server.domain)), 5_000, "probe"))!;
      console.log(
        `STARTTLS over node:tls: ${probe.attrs.protocol}, client cert ${probe.attrs.cert}`,
      );
      assert.equal(probe.attrs.cert, "present");
      assert.equal(probe.attrs.chain, "valid");
      assert.equal(probe.attrs.xmppaddr, jid);
    } finally {
      await a.close();
    }
  }, { plugins: [TLS_PROBE_PLUGIN] });
});

Deno.test("DL-ADAPTER-2 PD-100: Deno-native STARTTLS logs in when system roots are accepted, without a client certificate", async () => {
  await withServer(async (server) => {
    const connector = denoConnector({ allowSystemRoots: true });
    const a = await XmppClient.connect(clientOptions(server, 0, { connector }));
    try {
      const probe = firstChild(await within(a.iq(tlsProbe(server.domain)), 5_000, "probe"))!;
      console.log(`STARTTLS over Deno.startTls: ${probe.attrs.protocol}, client cert none`);
      assert.equal(probe.attrs.cert, "none");
      // Deno's TLS hides the server's certificate: the machine gets none.
      assert.equal(a.connection!.driver.state.tls?.peerCertificate, undefined);
    } finally {
      await a.close();
    }
  }, { plugins: [TLS_PROBE_PLUGIN] });
});

Deno.test("DL-ADAPTER-2 DL-ADAPTER-4 PD-100: the Deno-native stack refuses what it cannot do, with adapter/unsupported", async () => {
  await withServer(async (server) => {
    // No opt-in to the system roots: refused before connecting.
    const strict = denoConnector({ allowSystemRoots: false });
    await assert.rejects(
      XmppClient.connect(clientOptions(server, 0, { connector: strict })),
      (e) => isDerlinkError(e, "adapter/unsupported"),
    );
    // Deno.startTls cannot present a client certificate: refused at STARTTLS.
    const cert = await server.clientCert(`der1@${server.domain}`);
    const connector = denoConnector({ allowSystemRoots: true });
    await assert.rejects(
      XmppClient.connect(
        clientOptions(server, 0, {
          connector,
          tls: { anchors: [server.caPem], clientCertificate: cert },
        }),
      ),
      (e) => isDerlinkError(e, "adapter/unsupported"),
    );
  });
});
