/**
 * Writes docs/live-prosody.md from a real run: starts Prosody with the test
 * harness (loopback, generated config and CA, three accounts, MUC
 * component), runs `deno task conformance --live` against it with `--doc`,
 * and stops the server.
 *
 * `deno run -A tools/live_prosody_doc.ts [OUTPUT]` (default docs/live-prosody.md)
 *
 * @module
 */
import { liveMain } from "../conformance/live/cli.ts";
import { writeStderr } from "../conformance/progress.ts";
import { loadRequirementDir, REQUIREMENTS_DIR } from "./requirements.ts";
import { startProsody } from "../tests/harness/prosody.ts";

const USERS = [
  { username: "observer", password: "observer-doc-secret" },
  { username: "member", password: "member-doc-secret" },
  { username: "stranger", password: "stranger-doc-secret" },
];

/** "Prosody 0.12.3-1 (Debian package)", from dpkg; just "Prosody" when dpkg cannot say. */
async function prosodyLabel(): Promise<string> {
  try {
    const r = await new Deno.Command("dpkg-query", {
      args: ["-W", "-f", "${Version}", "prosody"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const v = new TextDecoder().decode(r.stdout).trim();
    return r.code === 0 && v ? `Prosody ${v} (Debian package)` : "Prosody";
  } catch {
    return "Prosody";
  }
}

if (import.meta.main) {
  const output = Deno.args[0] ?? "docs/live-prosody.md";
  const server = await startProsody({ users: USERS });
  const reportDir = await Deno.makeTempDir({ prefix: "derlink-live-doc-" });
  try {
    const code = await liveMain([
      "--live",
      `xmpp://${server.host}:${server.port}`,
      "--ca",
      `${server.dir}/certs/ca.pem`,
      ...USERS.flatMap((u) => ["--account", `${u.username}@${server.domain}:${u.password}`]),
      "--room-service",
      server.mucDomain,
      "--report",
      reportDir,
      "--doc",
      output,
      "--server-label",
      `${await prosodyLabel()}, started by tests/harness on loopback`,
    ], {
      write: writeStderr,
      requirements: loadRequirementDir(REQUIREMENTS_DIR).requirements,
      docCommand: "deno run -A tools/live_prosody_doc.ts, which runs deno task conformance " +
        "--live xmpp://127.0.0.1:PORT --ca CA.pem --account observer@derlink.test:*** " +
        "--account member@derlink.test:*** --account stranger@derlink.test:*** " +
        `--room-service rooms.derlink.test --doc ${output}`,
    });
    // deno fmt's Markdown style, so `deno fmt --check` passes on the committed file.
    await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", output] }).output();
    console.log(`wrote ${output} (exit ${code})`);
    Deno.exitCode = code;
  } finally {
    await Deno.remove(reportDir, { recursive: true });
    await server.stop();
  }
}
