/**
 * The credential plan: its values, what it issues, what each party must
 * trust (checked by validating the issued chains, not by reading the
 * table), and a real TLS handshake on loopback with the plan's files —
 * under the shared plan the certificate the server sees is the end-to-end
 * certificate.
 */
import assert from "node:assert/strict";
import tls from "node:tls";
import type { Buffer } from "node:buffer";
import type { SuiteId } from "../crypto/suite.ts";
import {
  type CredentialPlanOptions,
  endToEndImpersonators,
  issuePlan,
  ISSUERS,
  mint,
  partyOf,
  SHARINGS,
  trustMatrix,
} from "./credential_plan.ts";
import { clientTls, serverTls } from "./credential_plan_tls.ts";
import { EXTENDED_KEY_USAGE } from "./certificate.ts";
import { validateChain } from "./validate.ts";

const NOW = Date.UTC(2025, 0, 15, 12);
const PARTIES = [
  { name: "cc", jid: "vpp@grid.example", role: "control-centre" },
  { name: "der1", jid: "der1@grid.example", role: "der" },
  { name: "ks", jid: "ks@grid.example", role: "key-server" },
] as const;
const plan = (options: Partial<CredentialPlanOptions>, suite: SuiteId = "p256", now = NOW) =>
  issuePlan({ options, suite, domain: "grid.example", parties: PARTIES, now, seed: "test" });

const ALL: CredentialPlanOptions[] = SHARINGS.flatMap((sharing) =>
  ISSUERS.flatMap((endToEndIssuer) =>
    ISSUERS.map((tlsIssuer) => ({ sharing, endToEndIssuer, tlsIssuer }))
  )
);

Deno.test("credential plan: defaults, refused values, shared needs a TLS-capable suite (PD-230)", () => {
  // spec: PD-230 PAPER-OPT4
  const p = plan({});
  assert.deepEqual(p.options, {
    sharing: "separate",
    endToEndIssuer: "grid-operator",
    tlsIssuer: "xmpp-operator",
  });
  assert.throws(() => plan({ sharing: "both" as never }), /invalid-plan|sharing/);
  assert.throws(
    () => plan({ sharing: "shared" }, "brainpool256"),
    (e: Error) => (e as { code?: string }).code === "credentials/unsupported-tls-suite",
  );
  assert.equal(plan({ sharing: "separate" }, "brainpool256").suite, "brainpool256");
});

for (const o of ALL) {
  const name = `${o.sharing}, end to end by ${o.endToEndIssuer}, TLS by ${o.tlsIssuer}`;
  Deno.test(`credential plan (${name}): every chain validates exactly where the trust matrix says (PD-230)`, () => {
    // spec: PD-230 PAPER-M1 PAPER-M2 PAPER-OPT4
    const p = plan(o, o.sharing === "shared" ? "x25519-ed25519" : "brainpool256");
    const root = (i: (typeof ISSUERS)[number]) => p.operators[i].root.der;
    const ok = (chain: readonly Uint8Array[], anchor: Uint8Array, jid?: string, eku?: string) =>
      validateChain(chain, {
        anchors: [anchor],
        now: NOW,
        expectedJid: jid,
        requiredEku: eku ? [eku] : undefined,
      }).ok;
    const rows = trustMatrix(o);
    for (const party of PARTIES) {
      const c = partyOf(p, party.name);
      assert.equal(c.tls === c.endToEnd, o.sharing === "shared");
      for (const row of rows.filter((r) => r.verifier === party.role)) {
        if (row.purpose === "end-to-end") {
          // What a peer presents end to end validates under the row's issuer, and only there.
          for (const other of PARTIES) {
            const chain = partyOf(p, other.name).endToEnd.chain;
            for (const i of ISSUERS) {
              assert.equal(
                ok(chain, root(i), other.jid),
                i === row.trusts || root(i) === root(row.trusts),
              );
            }
          }
          assert.deepEqual(c.endToEndAnchors, [root(row.trusts)]);
        } else {
          assert.ok(
            ok(p.server.tls.chain, root(row.trusts), undefined, EXTENDED_KEY_USAGE.serverAuth),
          );
          assert.deepEqual(c.tlsAnchors, [root(row.trusts)]);
        }
      }
    }
    const server = rows.find((r) => r.verifier === "xmpp-server")!;
    assert.deepEqual(p.server.clientAnchors, [root(server.trusts)]);
    for (const party of PARTIES) {
      const chain = partyOf(p, party.name).tls.chain;
      assert.ok(ok(chain, root(server.trusts), party.jid, EXTENDED_KEY_USAGE.clientAuth));
    }
    assert.equal(p.server.needsAccessList, server.trusts === "grid-operator");
    // Whoever holds the end-to-end issuer's key can mint a DER identity that validates end to end.
    for (const i of ISSUERS) {
      const forged = mint(p, i, "der1@grid.example", `${name} ${i}`);
      const accepted = ok(forged.chain, root(o.endToEndIssuer), "der1@grid.example");
      assert.equal(accepted, endToEndImpersonators(o).includes(i));
    }
  });
}

async function handshake(options: Partial<CredentialPlanOptions>, suite: SuiteId) {
  // The TLS stacks check validity against the real clock.
  const p = plan(options, suite, Date.now());
  const files = await serverTls(p);
  const client = await clientTls(p, "der1");
  const seen = Promise.withResolvers<Uint8Array>();
  const server = tls.createServer({
    cert: files.certPem,
    key: files.keyPem,
    ca: files.clientCaPem,
    requestCert: true,
    rejectUnauthorized: true,
  }, (socket) => {
    seen.resolve(new Uint8Array(socket.getPeerCertificate(false).raw as Buffer));
    socket.end();
  });
  await new Promise<void>((r) => server.listen(0, "localhost", () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    const conn = await Deno.connectTls({
      hostname: "localhost",
      port,
      caCerts: client.anchors,
      cert: client.clientCertificate.certPem,
      key: client.clientCertificate.keyPem,
    });
    await conn.handshake();
    const raw = await seen.promise;
    await conn.read(new Uint8Array(16)).catch(() => null);
    conn.close();
    return { p, raw };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

Deno.test("credential plan: a mutual TLS handshake on loopback with the plan's files; shared = the end-to-end certificate (PD-230 PAPER-R1)", async () => {
  // spec: PD-230 PAPER-R1 PAPER-M1
  for (
    const [options, suite] of [[{ sharing: "shared" }, "p256"], [
      { sharing: "shared" },
      "x25519-ed25519",
    ], [{}, "brainpool256"]] as const
  ) {
    const { p, raw } = await handshake(options, suite);
    const der1 = partyOf(p, "der1");
    assert.deepEqual(raw, der1.tls.chain[0]);
    assert.equal(
      raw.length === der1.endToEnd.chain[0].length &&
        raw.every((b, i) => b === der1.endToEnd.chain[0][i]),
      options.sharing === "shared",
    );
  }
});
