/**
 * Names in derlink certificates: the subject and issuer distinguished names
 * (the common name is the IED or role name), the XMPP address in
 * subjectAltName (RFC 6120 §13.7.1.4), and the role convention of PD-81
 * (RFC 5755 role attributes in subjectDirectoryAttributes).
 *
 * @module
 */
import { AsnConvert, AsnUtf8StringConverter } from "@peculiar/asn1-schema";
import {
  Attribute,
  AttributeTypeAndValue,
  AttributeValue,
  DirectoryString,
  GeneralName,
  Name,
  OtherName,
  RelativeDistinguishedName,
} from "@peculiar/asn1-x509";
import { RoleSyntax } from "./role_syntax.ts";

/** Object identifiers of the name parts derlink reads or writes. */
export const NAME_OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  /** id-on-xmppAddr (RFC 6120 §13.7.1.4). */
  xmppAddr: "1.3.6.1.5.5.7.8.5",
  /** id-at-role (X.520; RFC 5755 §4.4.5). */
  role: "2.5.4.72",
} as const;

/** Prefix of the URI that names a role in a RoleSyntax roleName (PD-81). */
export const ROLE_URI_PREFIX = "urn:derlink:role:";

/** A distinguished name as derlink writes it: organisation, unit, common name. */
export interface DistinguishedName {
  /** The IED, device or role name (e.g. "IED-7 inverter", "VPP control centre"). */
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
}

/** The X.501 Name of `dn`, one attribute per RDN, UTF8String values. */
export function nameOf(dn: DistinguishedName): Name {
  const parts: [string, string | undefined][] = [
    [NAME_OID.organization, dn.organization],
    [NAME_OID.organizationalUnit, dn.organizationalUnit],
    [NAME_OID.commonName, dn.commonName],
  ];
  return new Name(
    parts.filter(([, v]) => v !== undefined).map(([type, v]) =>
      new RelativeDistinguishedName([
        new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: v }) }),
      ])
    ),
  );
}

/** DER of a Name: derlink compares issuer and subject names as these bytes (PD-82). */
export function nameDer(name: Name): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(name));
}

/** The first common name of `name`, if any, as text. */
export function commonNameOf(name: Name): string | undefined {
  for (const rdn of name) {
    for (const atv of rdn) {
      if (atv.type === NAME_OID.commonName) return directoryText(atv.value);
    }
  }
  return undefined;
}

/** A GeneralName carrying `jid` as otherName id-on-xmppAddr, a UTF8String. */
export function xmppAddrName(jid: string): GeneralName {
  // spec: RFC6120-13.7.1.4
  return new GeneralName({
    otherName: new OtherName({
      typeId: NAME_OID.xmppAddr,
      value: AsnConvert.serialize(AsnUtf8StringConverter.toASN(jid)),
    }),
  });
}

/** The id-on-xmppAddr values among `names` that are UTF8Strings (others are ignored). */
export function xmppAddrsOf(names: readonly GeneralName[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (name.otherName?.typeId !== NAME_OID.xmppAddr) continue;
    // spec: RFC6120-13.7.1.4
    // Only a UTF8String counts; any other value type is not an XMPP address and is skipped.
    let text: DirectoryString | undefined;
    try {
      text = AsnConvert.parse(name.otherName.value, DirectoryString);
    } catch {
      text = undefined;
    }
    if (text?.utf8String !== undefined) out.push(text.utf8String);
  }
  return out;
}

/** The role attribute of PD-81: one RoleSyntax value per role, roleName a URI. */
export function roleAttribute(roles: readonly string[]): Attribute {
  // spec: PD-81 RFC5755-4.4.5
  return new Attribute({
    type: NAME_OID.role,
    values: roles.map((role) =>
      AsnConvert.serialize(
        new RoleSyntax({
          roleName: new GeneralName({ uniformResourceIdentifier: ROLE_URI_PREFIX + role }),
        }),
      )
    ),
  });
}

/** Role names from subjectDirectoryAttributes; values not in the PD-81 form are skipped. */
export function rolesOf(attributes: readonly Attribute[]): string[] {
  const out: string[] = [];
  for (const attr of attributes) {
    if (attr.type !== NAME_OID.role) continue;
    for (const value of attr.values) {
      // spec: PD-81
      const uri = AsnConvert.parse(value, RoleSyntax).roleName.uniformResourceIdentifier;
      if (uri?.startsWith(ROLE_URI_PREFIX) && uri.length > ROLE_URI_PREFIX.length) {
        out.push(uri.slice(ROLE_URI_PREFIX.length));
      }
    }
  }
  return out;
}

function directoryText(value: AttributeValue): string | undefined {
  return value.utf8String ?? value.printableString ?? value.ia5String ?? value.bmpString ??
    value.universalString ?? value.teletexString;
}
