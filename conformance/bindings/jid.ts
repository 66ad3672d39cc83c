/**
 * The reference implementation's JID functions at protocol level:
 * `jid.parse` {text} → {canonical, parts} and `jid.compare` {a, b} →
 * {equal, order}; a text that is not a JID is refused with its `jid/*` code.
 *
 * @module
 */
import { compareJids, formatJid, type Jid, jidEquals, tryParseJid } from "../../core/jid.ts";
import type { FunctionBinding } from "../iut/bindings.ts";
import { str } from "./args.ts";

const partsOf = (j: Jid) => ({
  ...(j.local !== undefined ? { local: j.local } : {}),
  domain: j.domain,
  ...(j.resource !== undefined ? { resource: j.resource } : {}),
});

function parse(text: string): Jid {
  const r = tryParseJid(text);
  if (!r.ok) throw r.error;
  return r.value;
}

export const functions: Record<string, FunctionBinding> = {
  "jid.parse": (args) => {
    const j = parse(str(args, "text"));
    return { canonical: formatJid(j), parts: partsOf(j) };
  },
  "jid.compare": (args) => {
    const a = parse(str(args, "a")), b = parse(str(args, "b"));
    return { equal: jidEquals(a, b), order: Math.sign(compareJids(a, b)) };
  },
};

export const jidBindings = { functions, machines: {} };
