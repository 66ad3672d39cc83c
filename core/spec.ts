/**
 * Requirement identifiers, as used by `// spec:` annotations, vectors,
 * conformance cases and the traceability report.
 *
 * An ID names where a rule comes from: `PAPER-R4a` (the paper's Table II),
 * `RFC6120-4.3.2` (an RFC clause), `XEP0198-4` (a XEP section), `PD-7` (a
 * numbered profile decision of derlink). The list of valid IDs lives in
 * `spec-notes/requirements/*.md`; `deno task trace` checks every use.
 *
 * @module
 */

/** A requirement ID such as `RFC6120-4.3.2` or `PD-3`. */
export type RequirementId = string;

/** Requirement level, after RFC 2119. */
export type Level = "MUST" | "SHOULD" | "MAY";

/** The shape every requirement ID has. */
export const REQUIREMENT_ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9][A-Za-z0-9.\-]*$/;

/** True when `id` has the shape of a requirement ID (not whether it exists). */
export const isRequirementId = (id: string): boolean => REQUIREMENT_ID.test(id);
