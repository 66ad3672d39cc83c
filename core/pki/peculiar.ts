/**
 * The one place that loads the @peculiar X.509 libraries.
 *
 * @peculiar/x509 resolves its crypto helpers through tsyringe, which refuses
 * to load unless a Reflect metadata polyfill is installed first. ES modules
 * evaluate their imports in order, so importing `reflect-metadata` here, ahead
 * of `@peculiar/x509`, makes every derlink module that goes through this file
 * safe regardless of which module the program happens to load first.
 *
 * The ASN.1 schema packages are re-exported for what @peculiar/x509's
 * `GeneralName` cannot express: an otherName with an arbitrary type-id, such
 * as the XMPP address (id-on-xmppAddr) of RFC 6120 §13.7.1.4.
 *
 * @module
 */

import "reflect-metadata";

export * as x509 from "@peculiar/x509";
export * as asnX509 from "@peculiar/asn1-x509";
export { AsnConvert, AsnUtf8StringConverter } from "@peculiar/asn1-schema";
