/**
 * The reference implementation as an out-of-process IUT: every function and
 * machine of `conformance/bindings/` served over the stdio protocol.
 *
 * `deno task conformance --iut "deno run conformance/examples/deno_iut.ts"`
 * runs the whole suite through the protocol; every case passes, which shows
 * the protocol can express every case (DL-IUT-10). It is also a worked
 * example of an IUT that answers `hello`, `init`, `step`, `call` and `bye`.
 *
 * @module
 */
import { referenceBindings } from "../bindings/reference.ts";
import { serveStdio } from "../iut/serve.ts";

if (import.meta.main) {
  // spec: DL-IUT-10
  await serveStdio({ ...referenceBindings(), name: "derlink reference over stdio" });
}
