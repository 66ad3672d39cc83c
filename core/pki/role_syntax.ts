/**
 * RoleSyntax (RFC 5755 §4.4.5) as an asn1-schema class.
 *
 * @peculiar/asn1-x509-attr 2.11.1 declares `roleName [1] GeneralName` as an
 * IMPLICIT tag, but GeneralName is a CHOICE and a tag on a CHOICE is always
 * explicit (X.680 §31.2.7): its RoleSyntax serialises every roleName as an
 * empty `[1]` and cannot parse a correct encoding. This declaration applies
 * asn1-schema's own decorators with the explicit tag; the library still does
 * all encoding and decoding.
 *
 * @module
 */
import { AsnProp } from "@peculiar/asn1-schema";
import { GeneralName, GeneralNames } from "@peculiar/asn1-x509";

/** `RoleSyntax ::= SEQUENCE { roleAuthority [0] GeneralNames OPTIONAL, roleName [1] GeneralName }` */
export class RoleSyntax {
  roleAuthority?: GeneralNames;
  roleName: GeneralName = new GeneralName();
  constructor(params: Partial<RoleSyntax> = {}) {
    Object.assign(this, params);
  }
}

// spec: RFC5755-4.4.5
// Applied as calls rather than decorator syntax: the project does not enable legacy decorators.
AsnProp({ type: GeneralNames, context: 0, implicit: true, optional: true })(
  RoleSyntax.prototype,
  "roleAuthority",
);
AsnProp({ type: GeneralName, context: 1 })(RoleSyntax.prototype, "roleName");
