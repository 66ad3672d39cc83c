/**
 * The grid operator's login service as a process of its own, for
 * bench/login_cost.ts: its CPU time can then be read from /proc apart from
 * the load generator's. Reads a JSON config file (ACL document, issuer,
 * operator public keys in hex, caller secret), starts
 * adapters/operator_auth_service.ts on a free loopback port and prints
 * `listening <url>` on stdout; runs until killed.
 *
 * `deno run --allow-net=127.0.0.1 --allow-read bench/login_cost_service.ts CONFIG.json`
 *
 * @module
 */
import { fromHex } from "../core/bytes.ts";
import { parseAcl } from "../core/acl/mod.ts";
import type { SuiteId } from "../core/crypto/suite.ts";
import { createLoginService } from "../core/operator-auth/mod.ts";
import { startOperatorAuthService } from "../adapters/operator_auth_service.ts";

/** The config file's shape. */
export interface ServiceConfigFile {
  readonly acl: unknown;
  readonly issuer: string;
  readonly keys: readonly { kid: string; suite: SuiteId; publicKeyHex: string }[];
  readonly callerSecret: string;
}

if (import.meta.main) {
  const config = JSON.parse(await Deno.readTextFile(Deno.args[0])) as ServiceConfigFile;
  const acl = parseAcl(config.acl);
  if (!acl.ok) throw acl.error;
  const service = await createLoginService({
    acl: acl.value,
    issuer: config.issuer,
    keys: config.keys.map((k) => ({
      kid: k.kid,
      suite: k.suite,
      publicKey: fromHex(k.publicKeyHex),
    })),
    callerSecret: config.callerSecret,
  });
  const running = startOperatorAuthService(service);
  console.log(`listening ${running.url}`);
}
