/**
 * The architecture options of issue 9 items 2-4 as one plain value, for the
 * simulation and `deno task compare` (PD-234): each field is a string (or a
 * record of strings) the scenario sets when it composes its nodes.
 *
 * - `protection` — end-to-end protection of the two-party association
 *   (EndpointConfig.protection, state-machines/association/protection.ts);
 * - `credentials` — the credential plan (core/pki/credential_plan.ts): one
 *   certificate or two, and who issues them;
 * - `keyServer` — where the group key server sits
 *   (state-machines/group-keying/placement.ts).
 *
 * docs/options-design.md says what each value does and what it means for
 * trust.
 *
 * @module
 */
import {
  type CredentialPlanOptions,
  DEFAULT_CREDENTIAL_PLAN,
  ISSUERS,
  SHARINGS,
} from "../core/pki/credential_plan.ts";
import { defineErrorCodes, DerlinkError } from "../core/errors.ts";
import { type Protection, PROTECTIONS } from "../state-machines/association/protection.ts";
import {
  DEFAULT_KEY_SERVER_PLACEMENT,
  KEY_SERVER_PLACEMENTS,
  type KeyServerPlacement,
} from "../state-machines/group-keying/placement.ts";

export {
  type CredentialPlan,
  type CredentialPlanOptions,
  endToEndImpersonators,
  issuePlan,
  mint,
  trustMatrix,
} from "../core/pki/credential_plan.ts";
export { clientTls, pkcs8Pem, serverTls } from "../core/pki/credential_plan_tls.ts";
export {
  type KeyServerComposition,
  placeKeyServer,
} from "../state-machines/group-keying/placement.ts";

export const OptionsError = defineErrorCodes("options", {
  "invalid-option": "an architecture option has a value that is not one of its defined values",
});

export interface ArchitectureOptions {
  readonly protection: Protection;
  readonly credentials: CredentialPlanOptions;
  readonly keyServer: KeyServerPlacement;
}

// spec: PD-234
export const DEFAULT_ARCHITECTURE: ArchitectureOptions = Object.freeze({
  protection: "a-profile",
  credentials: DEFAULT_CREDENTIAL_PLAN,
  keyServer: DEFAULT_KEY_SERVER_PLACEMENT,
});

/** Every value of every option, for tables and for running all combinations. */
export const OPTION_VALUES = Object.freeze({
  protection: PROTECTIONS,
  sharing: SHARINGS,
  endToEndIssuer: ISSUERS,
  tlsIssuer: ISSUERS,
  keyServer: KEY_SERVER_PLACEMENTS,
});

/** Fills in defaults and refuses unknown values (`options/invalid-option`). */
export function architectureOptions(
  o: {
    readonly protection?: Protection;
    readonly credentials?: Partial<CredentialPlanOptions>;
    readonly keyServer?: KeyServerPlacement;
  } = {},
): ArchitectureOptions {
  const out: ArchitectureOptions = {
    protection: o.protection ?? DEFAULT_ARCHITECTURE.protection,
    credentials: { ...DEFAULT_CREDENTIAL_PLAN, ...o.credentials },
    keyServer: o.keyServer ?? DEFAULT_ARCHITECTURE.keyServer,
  };
  const check = <T>(name: string, value: T, allowed: readonly T[]) => {
    if (!allowed.includes(value)) {
      throw new DerlinkError(OptionsError["invalid-option"], `${name}: ${String(value)}`);
    }
  };
  check("protection", out.protection, PROTECTIONS);
  check("sharing", out.credentials.sharing, SHARINGS);
  check("endToEndIssuer", out.credentials.endToEndIssuer, ISSUERS);
  check("tlsIssuer", out.credentials.tlsIssuer, ISSUERS);
  check("keyServer", out.keyServer, KEY_SERVER_PLACEMENTS);
  return out;
}

/**
 * The compare task's value ids (simulation/compare/combinations.ts) as
 * option values, where they name one of these options.
 */
export const COMPARE_VALUES = Object.freeze({
  protection: { "a-profile": "a-profile", "per-message": "per-message" } as Record<
    string,
    Protection
  >,
  credentials: {
    "separate/grid-ca": {
      sharing: "separate",
      endToEndIssuer: "grid-operator",
      tlsIssuer: "xmpp-operator",
    },
    "one/grid-ca": {
      sharing: "shared",
      endToEndIssuer: "grid-operator",
      tlsIssuer: "grid-operator",
    },
    "separate/server-ca": {
      sharing: "separate",
      endToEndIssuer: "grid-operator",
      tlsIssuer: "xmpp-operator",
    },
    "end-to-end/server-ca": {
      sharing: "separate",
      endToEndIssuer: "xmpp-operator",
      tlsIssuer: "xmpp-operator",
    },
  } as Record<string, CredentialPlanOptions>,
  keyPlacement: { "separate-kdc": "separate-kdc", "vpp": "control-centre" } as Record<
    string,
    KeyServerPlacement
  >,
});
