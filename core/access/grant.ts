/**
 * What a verified token allows: the DER's check of one service request
 * against the token's `authorization_details`, at the request's time, and
 * the service and logical devices an IEC 61850 request needs (reads and
 * directory requests need `read`, writes `write`, every control service
 * `operate`; the logical device is the part of a reference before '/').
 *
 * @module
 */
import { fail, ok, type Result } from "../errors.ts";
import type { ServiceRequest } from "../../state-machines/association/services.ts";
import { AccessError } from "./errors.ts";
import type { AccessService, VerifiedToken } from "./types.ts";

/** A request's needs: a service on each of these logical devices (none: on any one). */
export interface ServiceNeed {
  readonly service: AccessService;
  readonly logicalDevices: readonly string[];
}

const ldOf = (ref: string): string => ref.split("/", 1)[0];

/** The service and logical devices a confirmed service request needs. */
// spec: PD-207
export function needOfRequest(req: ServiceRequest): ServiceNeed {
  switch (req.service) {
    case "get-name-list": {
      const s = req.scope;
      const lds = s.objectClass === "logical-device"
        ? []
        : [s.objectClass === "logical-node" ? s.logicalDevice : ldOf(s.logicalNode)];
      return { service: "read", logicalDevices: lds };
    }
    case "read":
      return { service: "read", logicalDevices: [...new Set(req.items.map((i) => ldOf(i.ref)))] };
    case "write":
      return {
        service: "write",
        logicalDevices: [...new Set(req.items.map((i) => ldOf(i.ref.ref)))],
      };
    default:
      return { service: "operate", logicalDevices: [ldOf(req.control)] };
  }
}

function grants(t: VerifiedToken, service: AccessService, ld: string | undefined): boolean {
  return t.claims.authorization_details.some((d) =>
    d.actions.includes(service) && (ld === undefined || d.identifier === "*" || d.identifier === ld)
  );
}

/**
 * Checks one request against a verified token at `now` (ms): the token must
 * still be within nbf..exp (with the skew) and grant the service on every
 * logical device the request touches.
 */
// spec: PAPER-OPT3 PD-207 RFC7519-4.1.4 RFC7519-4.1.5
export function authorize(
  t: VerifiedToken,
  need: ServiceNeed,
  now: number,
  leewaySeconds: number,
): Result<true> {
  const nowSeconds = Math.floor(now / 1000);
  if (t.claims.exp <= nowSeconds - leewaySeconds) return fail(AccessError.expired, "exp passed");
  if (t.claims.nbf > nowSeconds + leewaySeconds) {
    return fail(AccessError["not-yet-valid"], "nbf ahead");
  }
  const lds = need.logicalDevices.length ? need.logicalDevices : [undefined];
  for (const ld of lds) {
    if (!grants(t, need.service, ld)) {
      return fail(AccessError["service-not-allowed"], `${need.service} on ${ld ?? "any"}`);
    }
  }
  return ok(true);
}
