/**
 * The reference certification-path validation at protocol level:
 * `pki.validate-chain` {chain, anchors, crls (hex DER lists), now (ms since
 * the epoch), expectedJid?, requiredEku?, allowedSuites?, requireCrl?} →
 * the peer identity {jid?, commonName?, roles, suite, serial, publicKey}, or
 * the `pki/*` refusal code.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import type { SuiteId } from "../../core/crypto/suite.ts";
import { validateChain } from "../../core/pki/validate.ts";
import type { PeerIdentity, ValidationPolicy } from "../../core/pki/types.ts";
import type { FunctionBinding } from "../iut/bindings.ts";
import { hexList, num } from "./args.ts";

export function identityJson(id: PeerIdentity) {
  return {
    ...(id.jid !== undefined ? { jid: id.jid } : {}),
    ...(id.commonName !== undefined ? { commonName: id.commonName } : {}),
    roles: [...id.roles],
    suite: id.suite,
    serial: id.serial,
    publicKey: toHex(id.publicKey),
  };
}

export const functions: Record<string, FunctionBinding> = {
  "pki.validate-chain": (a) => {
    const policy: ValidationPolicy = {
      anchors: hexList(a, "anchors"),
      crls: hexList(a, "crls"),
      now: num(a, "now"),
      expectedJid: a.expectedJid as string | undefined,
      requiredEku: a.requiredEku as string[] | undefined,
      allowedSuites: a.allowedSuites as SuiteId[] | undefined,
      requireCrl: a.requireCrl as boolean | undefined,
    };
    const r = validateChain(hexList(a, "chain"), policy);
    if (!r.ok) throw r.error;
    return identityJson(r.value);
  },
};

export const pkiBindings = { functions, machines: {} };
