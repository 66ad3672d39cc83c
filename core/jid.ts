/**
 * XMPP addresses (JIDs) after RFC 7622: parse, format, bare and full forms,
 * equality and ordering.
 *
 * A JID is `[localpart "@"] domainpart ["/" resourcepart]`. Parsing splits
 * the text at the first '/' and then at the first '@' *before* any Unicode
 * mapping (a fullwidth solidus must not become a separator), then prepares
 * each part: the localpart with PRECIS UsernameCaseMapped (case-insensitive),
 * the domainpart as an IDNA2008 name or IP literal (case-insensitive, U-labels),
 * the resourcepart with PRECIS OpaqueString (case-sensitive). The result is
 * the canonical form: two JIDs are equal exactly when their canonical parts
 * are equal code point for code point.
 *
 * ```ts
 * const j = parseJid("Juliet@Example.COM/Balcony");
 * formatJid(j);            // "juliet@example.com/Balcony"
 * formatJid(bareJid(j));   // "juliet@example.com"
 * ```
 *
 * @module
 */
import { CoreError, DerlinkError, fail, ok, type Result } from "./errors.ts";
import { JidError } from "./jid_errors.ts";
import { enforceLocalpart, enforceResourcepart, MAX_PART_OCTETS } from "./jid_precis.ts";
import { prepareDomainpart } from "./jid_domain.ts";

export { JidError } from "./jid_errors.ts";

/** A JID in canonical (prepared) form. Absent parts are `undefined`, never "". */
export interface Jid {
  readonly local?: string;
  readonly domain: string;
  readonly resource?: string;
}

// JIDs this module produced: known canonical, so formatting and comparing
// them needs no second preparation.
const canonical = new WeakSet<Jid>();

function freeze(local: string | undefined, domain: string, resource: string | undefined): Jid {
  // Absent parts are left out (not set to undefined), so objects compare with deepEqual.
  const parts: { local?: string; domain: string; resource?: string } = local === undefined
    ? { domain }
    : { local, domain };
  if (resource !== undefined) parts.resource = resource;
  const jid: Jid = Object.freeze(parts);
  canonical.add(jid);
  return jid;
}

// A raw part longer than this many UTF-16 units cannot prepare to 1023
// octets: no mapping used here deletes code points, and NFC merges at most
// four code points (at most eight UTF-16 units) into one. Refusing early
// bounds the work spent on hostile input.
const MAX_RAW_UNITS = 8 * MAX_PART_OCTETS;

function guardRaw(raw: string, code: keyof typeof JidError): void {
  if (raw.length > MAX_RAW_UNITS) {
    throw new DerlinkError(JidError[code], `${raw.length} UTF-16 units before preparation`);
  }
}

/** The three parts of a JID string as written, before any preparation. */
export interface JidTextParts {
  readonly local?: string;
  readonly domain: string;
  readonly resource?: string;
}

// spec: RFC7622-3.1 RFC7622-3.2.a
/**
 * Splits JID text at the first '/' (the rest is the resourcepart, which may
 * itself contain '/' and '@'), then what is left at the first '@'. No
 * Unicode mapping happens before the split.
 */
export function splitJid(text: string): JidTextParts {
  const slash = text.indexOf("/");
  const head = slash < 0 ? text : text.slice(0, slash);
  const resource = slash < 0 ? undefined : text.slice(slash + 1);
  const at = head.indexOf("@");
  const local = at < 0 ? undefined : head.slice(0, at);
  const domain = at < 0 ? head : head.slice(at + 1);
  return {
    ...(local !== undefined ? { local } : {}),
    domain,
    ...(resource !== undefined ? { resource } : {}),
  };
}

/**
 * Prepares JID parts given separately (for instance a resource chosen at
 * bind time) into a canonical {@link Jid}. Throws `DerlinkError` with a
 * `jid/` code. An empty string for local or resource is an error (absent
 * parts are `undefined`).
 */
export function prepareJid(parts: JidTextParts): Jid {
  if (typeof parts?.domain !== "string") {
    throw new DerlinkError(CoreError["invalid-argument"], "domain must be a string");
  }
  // spec: RFC7622-3.1
  // JIDs are Unicode text; a lone surrogate has no UTF-8 encoding.
  if (
    !parts.domain.isWellFormed() || (parts.local !== undefined && !parts.local.isWellFormed()) ||
    (parts.resource !== undefined && !parts.resource.isWellFormed())
  ) throw new DerlinkError(JidError["ill-formed-unicode"], "lone surrogate");
  let local: string | undefined;
  if (parts.local !== undefined) {
    // spec: RFC7622-3.3.a
    if (parts.local.length === 0) throw new DerlinkError(JidError["empty-localpart"]);
    guardRaw(parts.local, "localpart-too-long");
    local = enforceLocalpart(parts.local);
  }
  guardRaw(parts.domain, "domainpart-too-long");
  const domain = prepareDomainpart(parts.domain);
  let resource: string | undefined;
  if (parts.resource !== undefined) {
    // spec: RFC7622-3.4.a
    if (parts.resource.length === 0) throw new DerlinkError(JidError["empty-resourcepart"]);
    guardRaw(parts.resource, "resourcepart-too-long");
    resource = enforceResourcepart(parts.resource);
  }
  return freeze(local, domain, resource);
}

// spec: PD-272
// Prepared JIDs by their text, in two generations of at most JID_MEMO_GENERATION
// entries: a hit in the older one moves to the younger; when the younger is
// full it becomes the older and the oldest is dropped. Preparation is a pure
// function of the text and a Jid is frozen, so a hit is the answer preparing
// again would give; only successes are kept (a refusal is prepared again).
const JID_MEMO_GENERATION = 32_768;
let youngJids = new Map<string, Jid>();
let oldJids = new Map<string, Jid>();

function rememberJid(text: string, jid: Jid): void {
  if (youngJids.size >= JID_MEMO_GENERATION) {
    oldJids = youngJids;
    youngJids = new Map();
  }
  youngJids.set(text, jid);
}

/** Parses and prepares JID text; throws `DerlinkError` with a `jid/` code. */
export function parseJid(text: string): Jid {
  if (typeof text !== "string") {
    throw new DerlinkError(CoreError["invalid-argument"], "JID text must be a string");
  }
  let jid = youngJids.get(text);
  if (jid !== undefined) return jid;
  jid = oldJids.get(text);
  if (jid === undefined) jid = prepareJid(splitJid(text));
  rememberJid(text, jid);
  return jid;
}

/** Empties the memo of prepared JIDs (for tests: answers never depend on it). */
export function clearJidMemo(): void {
  youngJids = new Map();
  oldJids = new Map();
}

/** {@link parseJid} reporting failure as data. */
export function tryParseJid(text: string): Result<Jid> {
  try {
    return ok(parseJid(text));
  } catch (e) {
    if (e instanceof DerlinkError) return { ok: false, error: e };
    return fail(CoreError.internal, String(e));
  }
}

/** The canonical form of a JID; a hand-built one is prepared first (and may throw). */
function canonicalOf(jid: Jid): Jid {
  return canonical.has(jid) ? jid : prepareJid(jid);
}

// spec: RFC7622-3.1
/** The canonical text of a JID: `local@domain/resource` with absent parts left out. */
export function formatJid(jid: Jid): string {
  const j = canonicalOf(jid);
  const head = j.local !== undefined ? `${j.local}@${j.domain}` : j.domain;
  return j.resource !== undefined ? `${head}/${j.resource}` : head;
}

/** The JID without its resourcepart. */
export function bareJid(jid: Jid): Jid {
  const j = canonicalOf(jid);
  return j.resource === undefined ? j : freeze(j.local, j.domain, undefined);
}

/** The JID with the given resourcepart (prepared with OpaqueString). */
export function withResource(jid: Jid, resource: string): Jid {
  const j = canonicalOf(jid);
  return prepareJid({
    ...(j.local !== undefined ? { local: j.local } : {}),
    domain: j.domain,
    resource,
  });
}

/** True when the JID has no resourcepart. */
export const isBare = (jid: Jid): boolean => jid.resource === undefined;

/** True when the JID has a resourcepart. */
export const isFull = (jid: Jid): boolean => jid.resource !== undefined;

// spec: RFC7622-3.2.3 RFC7622-3.3.3 RFC7622-3.4.3
/**
 * Equality of addresses: canonical parts compared code point for code point
 * (so localpart and domainpart compare without case, the resourcepart with
 * case). A bare JID never equals a full one.
 */
export function jidEquals(a: Jid, b: Jid): boolean {
  const x = canonicalOf(a), y = canonicalOf(b);
  return x.domain === y.domain && x.local === y.local && x.resource === y.resource;
}

const cmp = (a: string | undefined, b: string | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  // Code point order (UTF-16 order differs above U+FFFF).
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next(), cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
};

/**
 * A total order for sorting: by domainpart, then localpart (absent first),
 * then resourcepart (absent first), each in code point order. Consistent
 * with {@link jidEquals}.
 */
export function compareJids(a: Jid, b: Jid): number {
  const x = canonicalOf(a), y = canonicalOf(b);
  return cmp(x.domain, y.domain) || cmp(x.local, y.local) || cmp(x.resource, y.resource);
}
