/**
 * Interoperability with OpenSSL 3 (`openssl verify`), both ways:
 * - every comparable PKI vector case is verified by OpenSSL too, and the two
 *   verdicts must agree except for a fixed list of cases where derlink is
 *   deliberately stricter (or, at notAfter, follows RFC 5280 where OpenSSL
 *   does not); the list is asserted exactly, so a new difference fails;
 * - a hierarchy made by the `openssl` tools (root, intermediate, end entity
 *   with an xmppAddr, CRL revoking a second end entity) is validated by
 *   derlink with the same verdicts OpenSSL gives.
 * Skipped when /usr/bin/openssl is absent.
 */
import assert from "node:assert/strict";
import type { SuiteId } from "../crypto/suite.ts";
import { certificatePem, crlPem, fromPem } from "./pem.ts";
import { validateChain } from "./validate.ts";
import { PKI_SUITES } from "./vectorgen/fixture.ts";
import { loadVectorFile } from "../vectors.ts";
import { fromHex } from "../bytes.ts";

const OPENSSL = "/usr/bin/openssl";
const hasOpenssl = (() => {
  try {
    return Deno.statSync(OPENSSL).isFile;
  } catch {
    return false;
  }
})();

/** Cases where the verdicts differ on purpose, with the reason. */
const EXPECTED_DIFFERENCES: Readonly<Record<string, string>> = {
  "validation time equal to the end entity's notAfter (no CRLs)":
    "RFC 5280 §4.1.2.5 makes notAfter inclusive; OpenSSL treats that second as expired",
  "a zero byte after the end entity":
    "OpenSSL's decoder ignores bytes after the certificate (PD-82)",
  "outer length in long form one octet longer than needed (BER, not DER)":
    "OpenSSL accepts BER lengths (PD-82)",
  "X.509 v1 certificate": "OpenSSL accepts v1 end entities; derlink's profile is v3 only (PD-80)",
  "serial number of 21 octets": "OpenSSL accepts serials beyond RFC 5280's 20 octets",
  "basicConstraints encodes the DEFAULT cA FALSE (not DER)":
    "OpenSSL accepts BER extension values (PD-82)",
  "end-entity RSA key": "OpenSSL never uses the end-entity key; derlink needs a suite key (PD-84)",
  "signature algorithm with a NULL parameters field":
    "OpenSSL tolerates NULL parameters (RFC 5758 says absent)",
  "EC key in compressed form":
    "OpenSSL accepts compressed points; derlink's suites take uncompressed SEC 1 only (PD-11)",
  "Ed25519 key is the identity point (small order)":
    "OpenSSL does not check the end-entity key (PD-14)",
  "trust anchor in BER": "OpenSSL accepts BER lengths (PD-82)",
  "chain of 9 certificates":
    "OpenSSL de-duplicates the repeated intermediate; derlink refuses chains over 8 certificates (PD-82)",
  "end entity with keyUsage keyAgreement only":
    "OpenSSL checks end-entity keyUsage only for a purpose (PD-80)",
  "end entity without keyUsage": "OpenSSL does not require keyUsage (PD-80)",
  "intermediate without a keyUsage extension":
    "OpenSSL accepts a CA certificate without keyUsage; derlink requires keyCertSign (PD-80)",
  "intermediate with critical nameConstraints (not processed)":
    "OpenSSL processes nameConstraints; derlink refuses it as an unprocessed critical extension",
  "CRL list holds a non-CRL": "OpenSSL skips what does not parse; derlink fails closed (PD-83)",
  "v1 CRL": "OpenSSL accepts v1 CRLs (PD-83)",
  "CRL without nextUpdate": "OpenSSL accepts a CRL without nextUpdate (PD-83)",
  "a zero byte after the CRL": "OpenSSL's decoder ignores bytes after the CRL (PD-82)",
  "CRL claiming version 3": "OpenSSL does not check the CRL version",
  "CRL with a critical issuingDistributionPoint":
    "OpenSSL processes issuingDistributionPoint (PD-83)",
  "delta CRL": "OpenSSL sets delta CRLs aside; derlink refuses them as unprocessed (PD-83)",
};

interface Verdict {
  readonly ok: boolean;
  readonly text: string;
}

function opensslVerify(
  dir: string,
  chain: readonly Uint8Array[],
  anchors: readonly Uint8Array[],
  crls: readonly Uint8Array[],
  nowMs?: number,
): Verdict {
  Deno.writeTextFileSync(`${dir}/ee.pem`, certificatePem(chain[0]));
  Deno.writeTextFileSync(`${dir}/anchors.pem`, certificatePem(...anchors));
  const args = ["verify", "-CAfile", `${dir}/anchors.pem`];
  if (nowMs !== undefined) args.push("-attime", String(Math.floor(nowMs / 1000)));
  if (chain.length > 1) {
    Deno.writeTextFileSync(`${dir}/untrusted.pem`, certificatePem(...chain.slice(1)));
    args.push("-untrusted", `${dir}/untrusted.pem`);
  }
  if (crls.length > 0) {
    Deno.writeTextFileSync(`${dir}/crls.pem`, crlPem(...crls));
    args.push("-crl_check_all", "-CRLfile", `${dir}/crls.pem`);
  }
  args.push(`${dir}/ee.pem`);
  const out = new Deno.Command(OPENSSL, { args, stdout: "piped", stderr: "piped" }).outputSync();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.code === 0, text: text.split("\n").find((l) => /error \d+/.test(l)) ?? "OK" };
}

for (const suite of PKI_SUITES) {
  Deno.test({
    name:
      `pki: OpenSSL verify agrees with validateChain on the ${suite} vectors (PAPER-M2 PAPER-M7)`,
    ignore: !hasOpenssl,
    fn() {
      const group = loadVectorFile(`pki/chains-${suite}.json`).testGroups[0];
      const objects = group.objects as Record<string, string>;
      const get = (names: unknown) => (names as string[]).map((n) => fromHex(objects[n]));
      const dir = Deno.makeTempDirSync({ prefix: "derlink-pki-" });
      const differences: string[] = [];
      const expected: string[] = [];
      let compared = 0;
      try {
        for (const t of group.tests) {
          const chain = get(t.chain), anchors = get(t.anchors), crls = get(t.crls);
          const requireCrl = t.requireCrl === true;
          // OpenSSL has no JID, suite or "CRLs supplied but optional" notion: compare chains and
          // CRLs only, with -crl_check_all exactly when derlink requires CRLs.
          if (chain.length === 0 || (crls.length > 0) !== requireCrl) continue;
          const now = Date.parse(t.now as string);
          const ours = validateChain(chain, { anchors, crls, now, requireCrl });
          const theirs = opensslVerify(dir, chain, anchors, crls, now);
          compared++;
          if (t.comment in EXPECTED_DIFFERENCES) expected.push(t.comment);
          if (ours.ok !== theirs.ok) differences.push(t.comment);
          else if (t.comment in EXPECTED_DIFFERENCES) {
            differences.push(`${t.comment} (expected to differ, agreed: ${theirs.text})`);
          }
        }
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
      assert.deepEqual(differences.sort(), expected.sort());
      assert.ok(compared >= 60, `only ${compared} cases compared`);
    },
  });
}

const CA_CONFIG = `
[ca]
default_ca = ca_section
[ca_section]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
crlnumber = ./crlnumber
default_md = sha256
default_crl_days = 7
policy = policy_any
copy_extensions = none
[policy_any]
commonName = supplied
[req]
distinguished_name = dn
[dn]
[v3_root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_int]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_ee]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = otherName:1.3.6.1.5.5.7.8.5;UTF8:\${ENV::JID}
[crl_ext]
authorityKeyIdentifier = keyid
`;

const KEYGEN: Readonly<Record<SuiteId, string[]>> = {
  "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  "brainpool256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:brainpoolP256r1"],
  "x25519-ed25519": ["-algorithm", "ed25519"],
};

for (const suite of PKI_SUITES) {
  Deno.test({
    name:
      `pki: validateChain accepts an OpenSSL-made ${suite} hierarchy and its CRL revocation (RFC6120-13.7.1.4)`,
    ignore: !hasOpenssl,
    fn() {
      const dir = Deno.makeTempDirSync({ prefix: "derlink-openssl-ca-" });
      const run = (args: string[], jid = "") => {
        const out = new Deno.Command(OPENSSL, {
          args,
          cwd: dir,
          env: { JID: jid },
          stdout: "piped",
          stderr: "piped",
        }).outputSync();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      };
      const read = (name: string) => fromPem(Deno.readTextFileSync(`${dir}/${name}`))[0];
      try {
        Deno.writeTextFileSync(`${dir}/ca.cnf`, CA_CONFIG);
        Deno.writeTextFileSync(`${dir}/index.txt`, "");
        Deno.writeTextFileSync(`${dir}/serial`, "1000\n");
        Deno.writeTextFileSync(`${dir}/crlnumber`, "01\n");
        for (const k of ["root", "int", "ied", "old"]) {
          run(["genpkey", ...KEYGEN[suite], "-out", `${k}.key`]);
        }
        run([
          "req",
          "-x509",
          "-new",
          "-key",
          "root.key",
          "-subj",
          "/C=DE/O=Grid operator/CN=OpenSSL root",
          "-days",
          "3650",
          "-config",
          "ca.cnf",
          "-extensions",
          "v3_root",
          "-out",
          "root.pem",
        ]);
        const issue = (key: string, cn: string, ca: string, ext: string, jid = "") => {
          run([
            "req",
            "-new",
            "-key",
            `${key}.key`,
            "-subj",
            `/CN=${cn}`,
            "-config",
            "ca.cnf",
            "-out",
            `${key}.csr`,
          ], jid);
          run([
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            `${ca}.pem`,
            "-keyfile",
            `${ca}.key`,
            "-extensions",
            ext,
            "-days",
            "365",
            "-in",
            `${key}.csr`,
            "-out",
            `${key}.pem`,
          ], jid);
        };
        issue("int", "OpenSSL issuing CA", "root", "v3_int");
        issue("ied", "IED-9 battery", "int", "v3_ee", "ied9@grid.example");
        issue("old", "IED-10 retired", "int", "v3_ee", "ied10@grid.example");
        run([
          "ca",
          "-config",
          "ca.cnf",
          "-cert",
          "int.pem",
          "-keyfile",
          "int.key",
          "-revoke",
          "old.pem",
        ]);
        run([
          "ca",
          "-batch",
          "-config",
          "ca.cnf",
          "-cert",
          "int.pem",
          "-keyfile",
          "int.key",
          "-gencrl",
          "-crlexts",
          "crl_ext",
          "-out",
          "int.crl",
        ]);
        run([
          "ca",
          "-batch",
          "-config",
          "ca.cnf",
          "-cert",
          "root.pem",
          "-keyfile",
          "root.key",
          "-gencrl",
          "-crlexts",
          "crl_ext",
          "-out",
          "root.crl",
        ]);

        const root = read("root.pem"),
          int = read("int.pem"),
          ied = read("ied.pem"),
          old = read("old.pem");
        const crls = [read("root.crl"), read("int.crl")];
        // Validity starts at issuance (wall clock); an hour later every object is current.
        const now = Date.now() + 3600_000;
        const policy = { anchors: [root], crls, requireCrl: true, now };
        const good = validateChain([ied, int], { ...policy, expectedJid: "ied9@grid.example" });
        assert.ok(good.ok, good.ok ? "" : good.error.message);
        assert.equal(good.value.jid, "ied9@grid.example");
        assert.equal(good.value.commonName, "IED-9 battery");
        assert.equal(good.value.suite, suite);
        assert.equal(opensslVerify(dir, [ied, int], [root], crls, now).ok, true);
        const revoked = validateChain([old, int], policy);
        assert.equal(revoked.ok ? "accepted" : revoked.error.code, "pki/revoked");
        assert.equal(opensslVerify(dir, [old, int], [root], crls, now).ok, false);
        const wrongJid = validateChain([ied, int], {
          ...policy,
          expectedJid: "ied10@grid.example",
        });
        assert.equal(wrongJid.ok ? "accepted" : wrongJid.error.code, "pki/wrong-identity");
      } finally {
        Deno.removeSync(dir, { recursive: true });
      }
    },
  });
}
