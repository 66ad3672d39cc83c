/**
 * Worker of bench/xmpp_stream_bench.ts: compares saxes alone or the
 * initiator's step on parsed events with @xmpp/xml in its own V8 isolate
 * (run beside the reader in one isolate, the step's slices slowed the
 * reader's by a fifth) and posts the comparison back.
 *
 * @module
 */
import { interleave, saxes, stepOnly, xmppJs } from "./xmpp_stream_messages.ts";

/** The worker's global scope (the project compiles with the window types). */
const scope = self as unknown as {
  onmessage: (e: MessageEvent<{ which: "saxes" | "step"; rounds: number; ms: number }>) => void;
  postMessage(data: unknown): void;
};
scope.onmessage = (e) => {
  const { which, rounds, ms } = e.data;
  scope.postMessage(interleave(which === "saxes" ? saxes() : stepOnly(), xmppJs(), rounds, ms));
};
