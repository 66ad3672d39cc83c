/**
 * Shape of the claim set beyond what jose checks (presence, issuer,
 * audience, typ, exp/nbf against the clock): whole-second times, a bare
 * canonical JID as subject, a jti the replay cache can key on, and
 * `authorization_details` entries of derlink's one type, strictly.
 *
 * @module
 */
import { formatJid, tryParseJid } from "../jid.ts";
import { DerlinkError } from "../errors.ts";
import { AccessError } from "./errors.ts";
import {
  type AccessClaims,
  AUTHORIZATION_TYPE,
  type AuthorizationDetail,
  isAccessService,
  LOGICAL_DEVICE,
} from "./types.ts";

/** Claims every token must carry (RFC 9068 §2.2 plus nbf and authorization_details). */
// spec: RFC9068-2.2 RFC7519-4.1.5 PD-200
export const REQUIRED_CLAIMS = [
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "jti",
  "client_id",
  "authorization_details",
] as const;

// spec: PD-200
const JTI = /^[A-Za-z0-9_-]{16,128}$/;
const MAX_DETAILS = 32;
const DETAIL_FIELDS = new Set(["type", "actions", "identifier"]);

const invalid = (detail: string): never => {
  throw new DerlinkError(AccessError["invalid-claim"], detail);
};

function seconds(v: unknown, name: string): number {
  // spec: RFC7519-2 PD-200
  if (!Number.isSafeInteger(v) || (v as number) < 0) invalid(`${name} is not whole seconds`);
  return v as number;
}

function detail(v: unknown, i: number): AuthorizationDetail {
  if (typeof v !== "object" || v === null || Array.isArray(v)) invalid(`detail ${i} not an object`);
  const d = v as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!DETAIL_FIELDS.has(k)) invalid(`detail ${i} field ${k}`);
  // spec: RFC9396-2 PD-200
  if (d.type !== AUTHORIZATION_TYPE) invalid(`detail ${i} type`);
  const actions = d.actions;
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > 5) {
    invalid(`detail ${i} actions`);
  }
  const list = actions as unknown[];
  if (!list.every(isAccessService) || new Set(list).size !== list.length) {
    invalid(`detail ${i} actions`);
  }
  if (typeof d.identifier !== "string" || !LOGICAL_DEVICE.test(d.identifier)) {
    invalid(`detail ${i} identifier`);
  }
  return d as unknown as AuthorizationDetail;
}

/** Checks the shapes jose does not; returns the claims typed. Throws `access/invalid-claim`. */
export function checkClaimShapes(c: Record<string, unknown>): AccessClaims {
  for (const name of ["exp", "nbf", "iat"]) seconds(c[name], name);
  // spec: RFC7519-4.1.2 PD-205
  const sub = typeof c.sub === "string" ? tryParseJid(c.sub) : undefined;
  if (!sub?.ok || sub.value.resource !== undefined || formatJid(sub.value) !== c.sub) {
    invalid("sub is not a canonical bare JID");
  }
  if (typeof c.jti !== "string" || !JTI.test(c.jti)) invalid("jti shape");
  if (typeof c.client_id !== "string" || c.client_id.length === 0 || c.client_id.length > 256) {
    invalid("client_id");
  }
  const details = c.authorization_details;
  if (!Array.isArray(details) || details.length === 0 || details.length > MAX_DETAILS) {
    invalid("authorization_details is not a list of 1..32 entries");
  }
  (details as unknown[]).forEach(detail);
  return c as unknown as AccessClaims;
}
