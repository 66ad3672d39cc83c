/**
 * Error codes of the `jid` area (RFC 7622 addresses).
 *
 * Kept in a file of their own so the PRECIS, domain and address modules can
 * share them without importing each other. Each code names one reason a JID
 * is refused; vectors in `vectors/jid/` expect these exact strings.
 *
 * @module
 */
import { defineErrorCodes } from "./errors.ts";

export const JidError = defineErrorCodes("jid", {
  "ill-formed-unicode": "the text contains a lone UTF-16 surrogate, so it is not a Unicode string",
  "empty-localpart": "an '@' is present but the localpart before it is empty",
  "empty-domainpart": "the domainpart is empty (also after stripping one trailing dot)",
  "empty-resourcepart": "a '/' is present but the resourcepart after it is empty",
  "localpart-too-long": "the prepared localpart is longer than 1023 octets of UTF-8",
  "domainpart-too-long": "the prepared domainpart is longer than 1023 octets of UTF-8",
  "resourcepart-too-long": "the prepared resourcepart is longer than 1023 octets of UTF-8",
  "localpart-forbidden-char":
    "the localpart contains one of the characters RFC 7622 §3.3.1 excludes: \" & ' / : < > @",
  "localpart-disallowed":
    "the localpart contains a code point the PRECIS IdentifierClass does not allow",
  "resourcepart-disallowed":
    "the resourcepart contains a code point the PRECIS FreeformClass does not allow",
  "context-rule": "a CONTEXTJ or CONTEXTO code point appears where its RFC 5892 rule does not hold",
  "bidi-rule":
    "the localpart contains right-to-left text that does not meet the RFC 5893 Bidi Rule",
  "unstable": "applying the preparation rules a second time changes the string",
  "invalid-domain":
    "the domainpart is not a valid domain name (label syntax, empty label, hyphens, numeric top label)",
  "domain-label-too-long": "a domain label is longer than 63 octets in its ASCII (A-label) form",
  "domain-disallowed": "a domain label contains a code point IDNA2008 does not allow",
  "invalid-a-label": "an 'xn--' label is not a valid A-label (bad Punycode or not round-trip)",
  "domain-rejected-by-idna":
    "UTS #46 processing refused the domain or would map it differently from the IDNA2008 mapping",
  "invalid-ip-literal":
    "a bracketed domainpart is not an IPv6 address (IPvFuture and zone ids are refused)",
});

/** One of the codes above. */
export type JidErrorCode = (typeof JidError)[keyof typeof JidError];
