/**
 * Worker of bench/xml_bench.ts: measures saxes alone on the stanza mix
 * against @xmpp/xml in its own V8 isolate and posts the comparison back.
 *
 * @module
 */
import { compare, rawSaxes } from "./xml_mix.ts";

/** The worker's global scope (the project compiles with the window types). */
const scope = self as unknown as {
  onmessage: (e: MessageEvent<{ xmlns: boolean }>) => void;
  postMessage(data: unknown): void;
};
scope.onmessage = (e) => scope.postMessage(compare(rawSaxes(e.data.xmlns)));
