/**
 * Tests of the run-specific test PKI: the generated certificates are parsed
 * back (version, constraints, SAN, EKU, xmppAddr), checked by OpenSSL as an
 * independent verifier, and used by Deno's own TLS (rustls) on loopback.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { type ErrorCode, isDerlinkError } from "../errors.ts";
import { SeededEntropy } from "../entropy.ts";
import { tryParseJid } from "../jid.ts";
import { fromUtf8 } from "../bytes.ts";
import { x509 } from "./peculiar.ts";
import {
  createTestCa,
  EKU,
  extendedKeyUsagesOf,
  issueClientCert,
  issueServerCert,
  subjectAltNamesOf,
  TestCaError,
} from "./testca.ts";

const OPENSSL = "/usr/bin/openssl";

async function openssl(args: string[]): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(OPENSSL, { args, stdout: "piped", stderr: "piped" }).output();
  return { code: r.code, out: fromUtf8(r.stdout) + fromUtf8(r.stderr) };
}

async function withTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "derlink-testca-" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function assertRejectsCode(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(p, (e) => isDerlinkError(e, code));
}

Deno.test("DL-TESTCA-1 DL-TESTCA-2: CA is v3, basicConstraints cA critical, keyCertSign+cRLSign", async () => {
  const ca = await createTestCa({ commonName: "unit CA" });
  const cert = new x509.X509Certificate(ca.certPem);
  assert.equal(cert.subject, "CN=unit CA");
  assert.equal(cert.issuer, cert.subject);
  assert.ok(await cert.isSelfSigned());
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  assert.ok(bc);
  assert.equal(bc.ca, true);
  assert.equal(bc.critical, true);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  assert.ok(ku);
  assert.equal(ku.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/ca.pem`, ca.certPem);
    const text = await openssl(["x509", "-in", `${dir}/ca.pem`, "-noout", "-text"]);
    assert.equal(text.code, 0, text.out);
    // spec: DL-TESTCA-1
    assert.match(text.out, /Version: 3 \(0x2\)/);
    assert.match(text.out, /ecdsa-with-SHA256/);
    assert.match(text.out, /NIST CURVE: P-256|prime256v1/);
  });
});

Deno.test("DL-TESTCA-3: server certificate names domain, localhost and 127.0.0.1 with EKU serverAuth", async () => {
  const ca = await createTestCa();
  const server = await issueServerCert(ca, {
    dnsNames: ["derlink.test", "localhost"],
    ipAddresses: ["127.0.0.1", "::1"],
  });
  const cert = new x509.X509Certificate(server.certPem);
  assert.equal(cert.subject, "CN=derlink.test");
  assert.equal(cert.issuer, ca.cert.subject);
  assert.ok(await cert.verify({ publicKey: ca.keys.publicKey, signatureOnly: true }));
  assert.deepEqual(subjectAltNamesOf(cert), {
    dns: ["derlink.test", "localhost"],
    ip: ["127.0.0.1", "::1"],
    xmppAddr: [],
  });
  assert.deepEqual(extendedKeyUsagesOf(cert), [EKU.serverAuth]);
  assert.equal(cert.getExtension(x509.BasicConstraintsExtension)?.ca, false);
});

Deno.test("DL-TESTCA-4 DL-TESTCA-5 PD-51: client certificate carries the JID as UTF8String xmppAddr, EKU clientAuth+serverAuth", async () => {
  const ca = await createTestCa();
  const client = await issueClientCert(ca, { jid: "der1@derlink.test" });
  const cert = new x509.X509Certificate(client.certPem);
  assert.deepEqual(subjectAltNamesOf(cert), { dns: [], ip: [], xmppAddr: ["der1@derlink.test"] });
  assert.deepEqual(extendedKeyUsagesOf(cert), [EKU.clientAuth, EKU.serverAuth]);
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.pem`, client.certPem);
    const text = await openssl(["x509", "-in", `${dir}/c.pem`, "-noout", "-ext", "subjectAltName"]);
    assert.equal(text.code, 0, text.out);
    // OpenSSL knows the OID by name and decodes the UTF8String itself.
    assert.match(text.out, /othername: ?XmppAddr::der1@derlink\.test/);
  });
});

Deno.test("DL-TESTCA-4: any JID-like Unicode string round-trips through id-on-xmppAddr", async () => {
  const ca = await createTestCa({ entropy: new SeededEntropy(new Uint8Array(32)) });
  const jid = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 })
    .map((local) => `${local}@derlink.test`)
    .filter((s) => tryParseJid(s).ok);
  await fc.assert(
    fc.asyncProperty(jid, async (j) => {
      const client = await issueClientCert(ca, { jid: j });
      const parsed = new x509.X509Certificate(client.certPem);
      assert.deepEqual(subjectAltNamesOf(parsed).xmppAddr, [j]);
    }),
    { numRuns: 25 },
  );
});

Deno.test("DL-TESTCA-2 DL-TESTCA-3 DL-TESTCA-5: openssl verify accepts the chains for their purposes", async () => {
  const ca = await createTestCa();
  const server = await issueServerCert(ca, {
    dnsNames: ["derlink.test"],
    ipAddresses: ["127.0.0.1"],
  });
  const client = await issueClientCert(ca, { jid: "cc1@derlink.test" });
  const otherCa = await createTestCa();
  const stranger = await issueClientCert(otherCa, { jid: "cc1@derlink.test" });
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/ca.pem`, ca.certPem);
    await Deno.writeTextFile(`${dir}/server.pem`, server.certPem);
    await Deno.writeTextFile(`${dir}/client.pem`, client.certPem);
    await Deno.writeTextFile(`${dir}/stranger.pem`, stranger.certPem);
    const verify = (purpose: string, file: string) =>
      openssl(["verify", "-CAfile", `${dir}/ca.pem`, "-purpose", purpose, `${dir}/${file}`]);
    for (
      const [purpose, file] of [
        ["sslserver", "server.pem"],
        ["sslclient", "client.pem"],
        // Prosody checks client certificates with the server purpose (PD-51).
        ["sslserver", "client.pem"],
      ]
    ) {
      const r = await verify(purpose, file);
      assert.equal(r.code, 0, `${purpose} ${file}: ${r.out}`);
      assert.match(r.out, /: OK/);
    }
    // A server certificate is not a client certificate.
    assert.notEqual((await verify("sslclient", "server.pem")).code, 0);
    // A certificate from another run's CA does not chain.
    assert.notEqual((await verify("sslclient", "stranger.pem")).code, 0);
  });
});

Deno.test("DL-TESTCA-6: private keys are PKCS#8 PEM and match their certificates", async () => {
  const ca = await createTestCa();
  const client = await issueClientCert(ca, { jid: "der2@derlink.test" });
  assert.match(
    client.keyPem,
    /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/,
  );
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.pem`, client.certPem);
    await Deno.writeTextFile(`${dir}/k.pem`, client.keyPem);
    const fromKey = await openssl(["pkey", "-in", `${dir}/k.pem`, "-pubout"]);
    const fromCert = await openssl(["x509", "-in", `${dir}/c.pem`, "-noout", "-pubkey"]);
    assert.equal(fromKey.code, 0, fromKey.out);
    assert.equal(fromKey.out, fromCert.out);
  });
});

Deno.test("DL-TESTCA-1: rustls (Deno TLS) accepts the generated server chain on loopback", async () => {
  const ca = await createTestCa();
  const server = await issueServerCert(ca, {
    dnsNames: ["derlink.test"],
    ipAddresses: ["127.0.0.1"],
  });
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: server.certPem,
    key: server.keyPem,
  });
  try {
    const accepted = (async () => {
      const conn = await listener.accept();
      await conn.write(new TextEncoder().encode("hi"));
      conn.close();
    })();
    const client = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: listener.addr.port,
      caCerts: [ca.certPem],
      serverName: "derlink.test",
    } as Deno.ConnectTlsOptions);
    const buf = new Uint8Array(2);
    let got = 0;
    while (got < 2) {
      const n = await client.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    client.close();
    await accepted;
    assert.equal(fromUtf8(buf), "hi");
  } finally {
    listener.close();
  }
});

Deno.test("testca: malformed names and IP literals are refused with codes", async () => {
  const ca = await createTestCa();
  await assertRejectsCode(issueClientCert(ca, { jid: "" }), TestCaError["invalid-name"]);
  await assertRejectsCode(issueClientCert(ca, { jid: " a@b" }), TestCaError["invalid-name"]);
  await assertRejectsCode(issueClientCert(ca, { jid: "a@b\n" }), TestCaError["invalid-name"]);
  await assertRejectsCode(issueServerCert(ca, { dnsNames: [] }), TestCaError["invalid-name"]);
  await assertRejectsCode(
    issueServerCert(ca, { dnsNames: ["x.test"], ipAddresses: ["256.0.0.1"] }),
    TestCaError["invalid-ip"],
  );
  await assertRejectsCode(
    issueServerCert(ca, { dnsNames: ["x.test"], ipAddresses: ["localhost"] }),
    TestCaError["invalid-ip"],
  );
  await assertRejectsCode(createTestCa({ commonName: "" }), TestCaError["invalid-name"]);
});

Deno.test("PD-50: serial numbers are positive and differ; validity spans the requested window", async () => {
  const now = new Date("2030-01-01T00:00:00Z");
  const ca = await createTestCa({ now, validityMs: 3600_000 });
  const a = await issueClientCert(ca, { jid: "a@derlink.test" });
  const b = await issueClientCert(ca, { jid: "b@derlink.test" });
  for (const c of [ca.cert, a.cert, b.cert]) {
    assert.match(c.serialNumber, /^[4-7][0-9a-f]{31}$/);
    assert.equal(c.notBefore.getTime(), now.getTime() - 5 * 60_000);
    assert.equal(c.notAfter.getTime(), now.getTime() + 3600_000);
  }
  assert.notEqual(a.cert.serialNumber, b.cert.serialNumber);
});

Deno.test("DL-TESTCA-4: JIDs with characters special in RFC 4514 names keep their exact text", async () => {
  const ca = await createTestCa({ entropy: new SeededEntropy(new Uint8Array(32)) });
  // "#" first once made x509 read the common name as hex (found by fast-check).
  for (const jid of ["#@derlink.test", "a+b,c@derlink.test", "x\\y=z@derlink.test"]) {
    const client = await issueClientCert(ca, { jid });
    assert.deepEqual(subjectAltNamesOf(new x509.X509Certificate(client.certPem)).xmppAddr, [jid]);
  }
});

Deno.test("DL-TESTCA-4: a string that is not a JID is refused before it reaches the certificate", async () => {
  const ca = await createTestCa({ entropy: new SeededEntropy(new Uint8Array(32)) });
  for (const bad of ['""', "a@b@c", "@derlink.test", "x@", "u@[::1"]) {
    await assert.rejects(
      issueClientCert(ca, { jid: bad }),
      (e) => isDerlinkError(e, "testca/invalid-name" as ErrorCode),
      bad,
    );
  }
});
