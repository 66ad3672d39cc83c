/**
 * Domainparts of JIDs (RFC 7622 §3.2): IP literals, IPv4 addresses and
 * internationalized domain names (IDNA2008), prepared to the canonical form
 * RFC 7622 asks for: U-labels (never A-labels), lower case, NFC, no trailing
 * dot.
 *
 * How the work is split (PD-33):
 * - derlink maps the text itself the way RFC 5895 describes (lower case,
 *   width mapping, NFC, ideographic full stops to '.'), checks label syntax
 *   and checks every code point of each U-label against the IDNA2008 derived
 *   property (RFC 5892), computed from the runtime's Unicode data;
 * - the runtime's WHATWG URL host parser (UTS #46, non-transitional, with
 *   CheckBidi and CheckJoiners) then converts to A-labels and applies the
 *   Bidi and joiner rules. If it refuses the name, or would map any label to
 *   something other than derlink's own mapping (UTS #46 also applies NFKC
 *   and full case folding, which IDNA2008 does not), the domain is refused:
 *   the two must agree, nothing is silently remapped.
 * IP literals and IPv4 addresses are handled as PD-34 describes.
 *
 * @module
 */
import punycode from "node:punycode";
import { DerlinkError } from "./errors.ts";
import { JidError } from "./jid_errors.ts";
import { codePoints, contextRuleHolds, exceptionValue, isOldHangulJamo } from "./jid_context.ts";
import { isPrintableAscii, MAX_PART_OCTETS, utf8Length, widthMap } from "./jid_precis.ts";

/** The IDNA2008 derived property values (RFC 5892 §3). */
export type IdnaProperty = "PVALID" | "CONTEXTJ" | "CONTEXTO" | "DISALLOWED" | "UNASSIGNED";

const UNASSIGNED = /\p{Cn}/u;
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
const JOIN_CONTROL = /\p{Join_Control}/u;
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}]/u;
const LETTER_DIGITS = /[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]/u;
const MARK = /\p{M}/u;

// spec: RFC5892-2 PD-33
/**
 * The IDNA2008 derived property of one code point, in the order of RFC 5892
 * §3. Unstable (§2.2) is approximated with toLowerCase for toCaseFold; the
 * code points where the two differ are all remapped by UTS #46, so the later
 * cross-check with the URL parser refuses them (PD-33).
 */
export function idnaProperty(cp: number): IdnaProperty {
  const exception = exceptionValue(cp);
  if (exception) return exception;
  const c = String.fromCodePoint(cp);
  if (UNASSIGNED.test(c) && !NONCHARACTER.test(c)) return "UNASSIGNED";
  if (cp === 0x2d || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a)) return "PVALID";
  if (JOIN_CONTROL.test(c)) return "CONTEXTJ";
  const nfkc = c.normalize("NFKC");
  if (nfkc.toLowerCase().normalize("NFKC") !== c) return "DISALLOWED"; // Unstable
  if (IGNORABLE.test(c)) return "DISALLOWED";
  // IgnorableBlocks: combining marks for symbols, musical symbols, Greek musical notation.
  if ((cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0x1d100 && cp <= 0x1d24f)) return "DISALLOWED";
  if (isOldHangulJamo(cp)) return "DISALLOWED";
  if (LETTER_DIGITS.test(c)) return "PVALID";
  return "DISALLOWED";
}

const fail = (code: keyof typeof JidError, detail: string): never => {
  throw new DerlinkError(JidError[code], detail);
};

// spec: RFC3986-3.2.2
// IPv4address: four dec-octets, no leading zeros.
const DEC_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = new RegExp(`^${DEC_OCTET}(?:\\.${DEC_OCTET}){3}$`);
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;

// spec: RFC7622-3.2.b RFC3986-3.2.2 PD-34
function prepareIpLiteral(d: string): string {
  // Only IPv6 text: IPvFuture ("[v1.x]") and zone ids ("%25eth0") are refused.
  if (!IPV6_LITERAL.test(d)) fail("invalid-ip-literal", "not an IPv6 address in brackets");
  try {
    // WHATWG's IPv6 parser, which also gives the RFC 5952 compressed lower-case text.
    return new URL(`http://${d}/`).hostname;
  } catch {
    return fail("invalid-ip-literal", "not an IPv6 address");
  }
}

// spec: RFC7622-3.2.2 PD-33
// RFC 5895 mapping: lower case, width mapping, NFC, IDEOGRAPHIC FULL STOP to '.'.
function mapDomain(d: string): string {
  if (isPrintableAscii(d)) return d.toLowerCase();
  return widthMap(d.toLowerCase()).normalize("NFC").replaceAll("\u3002", ".");
}

const ASCII_ONLY = /^\p{ASCII}*$/u;
const LDH = /^[a-z0-9-]+$/;
// An ASCII character other than a lower-case letter, digit or hyphen.
const NOT_LDH_ASCII = /[^\P{ASCII}a-z0-9-]/u;
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const MAX_LABEL_OCTETS = 63;
// Dot-separated letter-digit-hyphen labels of 1 to 63 octets, no hyphen at either end.
const HOST_NAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_LABEL = /(?:^|\.)[a-z0-9]{2}--/;
const NUMERIC_LAST = /(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)$/;

interface Label {
  /** The canonical (U-label or NR-LDH) form. */
  readonly u: string;
  /** The A-label as given, when the input used one. */
  readonly given?: string;
}

// spec: RFC5891-4.2.3.1 RFC5891-4.2.3.2 RFC5891-4.2.3.3 RFC5892-2
function checkULabel(u: string): void {
  const cps = codePoints(u);
  // spec: RFC5891-4.2.3.1
  if (cps[0] === 0x2d || cps[cps.length - 1] === 0x2d) fail("invalid-domain", "label hyphen");
  if (cps[2] === 0x2d && cps[3] === 0x2d) fail("invalid-domain", "'--' in positions 3 and 4");
  // spec: RFC5891-4.2.3.2
  if (MARK.test(String.fromCodePoint(cps[0]))) fail("invalid-domain", "label starts with a mark");
  for (let i = 0; i < cps.length; i++) {
    const p = idnaProperty(cps[i]);
    if (p === "PVALID") continue;
    // spec: RFC5891-4.2.3.3
    if (p === "CONTEXTJ" || p === "CONTEXTO") {
      if (contextRuleHolds(cps, i)) continue;
      fail("context-rule", `U+${cps[i].toString(16).toUpperCase()} in a domain label`);
    }
    fail("domain-disallowed", `U+${cps[i].toString(16).toUpperCase()} is ${p.toLowerCase()}`);
  }
}

// spec: RFC7622-3.2.1 RFC5891-5.3
function decodeALabel(a: string): string {
  let u = "";
  try {
    u = punycode.decode(a.slice(4));
  } catch {
    fail("invalid-a-label", "bad Punycode");
  }
  if (ASCII_ONLY.test(u)) fail("invalid-a-label", "decodes to ASCII only");
  // A U-label is already in the form the mapping produces (lower case, NFC).
  if (mapDomain(u) !== u) fail("invalid-a-label", "decodes to an unmapped string");
  try {
    checkULabel(u);
  } catch (e) {
    // The A-label is what was written, so the refusal is about it.
    if (e instanceof DerlinkError) {
      fail("invalid-a-label", `decodes to a bad U-label (${e.message})`);
    }
    throw e;
  }
  return u;
}

// spec: RFC5890-2.3.1 RFC7622-3.2.1
function prepareLabel(label: string): Label {
  if (NOT_LDH_ASCII.test(label)) fail("invalid-domain", "ASCII outside letters, digits, hyphen");
  if (!ASCII_ONLY.test(label)) {
    checkULabel(label);
    return { u: label };
  }
  if (!LDH.test(label)) fail("invalid-domain", "not a letter-digit-hyphen label");
  if (label.length > MAX_LABEL_OCTETS) fail("domain-label-too-long", `${label.length} octets`);
  if (label.startsWith("-") || label.endsWith("-")) fail("invalid-domain", "label hyphen");
  if (label.slice(2, 4) !== "--") return { u: label };
  // spec: RFC5890-2.3.1
  // Reserved LDH labels other than A-labels ("fake A-labels") are refused.
  if (!label.startsWith("xn--")) fail("invalid-domain", "reserved label (-- in positions 3-4)");
  return { u: decodeALabel(label), given: label };
}

// spec: RFC5893-2 RFC5892-A.1 RFC5891-5.3 PD-33
// The URL parser (UTS #46 with CheckBidi, CheckJoiners) must accept the name
// and map every label exactly to what derlink produced.
function crossCheckUts46(labels: readonly Label[]): void {
  let host = "";
  try {
    host = new URL(`http://${labels.map((l) => l.u).join(".")}/`).hostname;
  } catch {
    fail("domain-rejected-by-idna", "refused by UTS #46 processing");
  }
  const out = host.split(".");
  if (out.length !== labels.length) fail("domain-rejected-by-idna", "label count changed");
  labels.forEach((l, i) => {
    const a = out[i];
    if (a.length > MAX_LABEL_OCTETS) fail("domain-label-too-long", `A-label of ${a.length}`);
    if (ASCII_ONLY.test(l.u)) {
      if (a !== l.u) fail("domain-rejected-by-idna", "UTS #46 maps an ASCII label");
      return;
    }
    let back = "";
    try {
      back = a.startsWith("xn--") ? punycode.decode(a.slice(4)) : a;
    } catch {
      fail("domain-rejected-by-idna", "unreadable A-label from UTS #46");
    }
    if (back !== l.u) fail("domain-rejected-by-idna", "UTS #46 maps this label differently");
    if (l.given !== undefined && a !== l.given) fail("invalid-a-label", "does not round-trip");
  });
}

/**
 * Prepares and enforces a domainpart (RFC 7622 §3.2.1, §3.2.2); returns its
 * canonical form or throws a `jid/` code.
 */
export function prepareDomainpart(raw: string): string {
  // spec: RFC7622-3.2.d
  if (raw.length === 0) fail("empty-domainpart", "");
  // spec: RFC7622-3.2.c
  // One trailing '.' goes before anything else is done to the text.
  const d = raw.endsWith(".") ? raw.slice(0, -1) : raw;
  if (d.length === 0) fail("empty-domainpart", "only a dot");
  if (d.startsWith("[")) return prepareIpLiteral(d);
  // spec: RFC7622-3.2.b RFC3986-3.2.2
  if (IPV4.test(d)) return d;
  const mapped = mapDomain(d);
  // Fast path for the common case, plain host names: the same rules as below.
  if (
    HOST_NAME.test(mapped) && !RESERVED_LABEL.test(mapped) && !NUMERIC_LAST.test(mapped) &&
    mapped.length <= MAX_PART_OCTETS
  ) return mapped;
  const parts = mapped.split(".");
  if (parts.some((p) => p.length === 0)) fail("invalid-domain", "empty label");
  // spec: PD-33
  // A name whose last label is a number is not a host name; WHATWG would read it as IPv4.
  if (NUMERIC_LABEL.test(parts[parts.length - 1])) {
    fail("invalid-domain", "numeric last label but not a dotted-quad IPv4 address");
  }
  const labels = parts.map(prepareLabel);
  if (labels.some((l) => !ASCII_ONLY.test(l.u) || l.given !== undefined)) crossCheckUts46(labels);
  const out = labels.map((l) => l.u).join(".");
  const octets = utf8Length(out);
  // spec: RFC7622-3.2.d
  if (octets > MAX_PART_OCTETS) fail("domainpart-too-long", `${octets} octets`);
  return out;
}
