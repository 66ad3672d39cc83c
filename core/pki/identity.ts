/**
 * What a validated end-entity certificate says about its holder: the JID
 * (id-on-xmppAddr, RFC 6120 §13.7.1.4), the common name (IED / role name)
 * and the roles of PD-81, and whether the JID is the one a protocol expects.
 *
 * JIDs are compared as bare JIDs after RFC 7622 preparation (core/jid.ts), so
 * case-mapped or width-mapped spellings match and resources are ignored
 * (PD-84). Only xmppAddr names count; the CN and dNSName never stand in for a
 * JID.
 *
 * @module
 */
import { bareJid, formatJid, type Jid, jidEquals, tryParseJid } from "../jid.ts";
import { fail, ok, type Result } from "../errors.ts";
import { PkiError } from "./errors.ts";
import type { ParsedCertificate } from "./parse.ts";
import type { PeerIdentity } from "./types.ts";

/** The identity of `ee`, checked against `expectedJid` when given. */
export function identityOf(
  ee: ParsedCertificate,
  expectedJid: string | undefined,
  validUntil: number,
): Result<PeerIdentity> {
  const jids: Jid[] = [];
  for (const text of ee.extensions.xmppAddrs) {
    const parsed = tryParseJid(text);
    if (parsed.ok) jids.push(parsed.value);
  }
  let jid: Jid | undefined = jids[0];
  if (expectedJid !== undefined) {
    const expected = tryParseJid(expectedJid);
    if (!expected.ok) return fail(PkiError["wrong-identity"], "expected JID does not parse");
    const want = bareJid(expected.value);
    // spec: RFC6120-13.7.1.4 PD-84
    jid = jids.find((j) => jidEquals(bareJid(j), want));
    if (!jid) return fail(PkiError["wrong-identity"], `certificate is not for ${formatJid(want)}`);
  }
  return ok({
    jid: jid ? formatJid(jid) : undefined,
    commonName: ee.commonName,
    roles: ee.extensions.roles,
    suite: ee.key.suite,
    // Copies: the parsed certificate is memoised and shared between validations.
    publicKey: ee.key.publicKey.slice(),
    serial: ee.serialHex,
    certificate: ee.der.slice(),
    validUntil,
  });
}
