/**
 * Stable codes for what the DER model refuses. A refused read or write item
 * carries an MMS DataAccessError, a refused control an IEC 61850-7-2 AddCause;
 * vectors and conformance reports name both as `der-model/<value>`, so every
 * value the model can produce is registered here (plus configuration errors).
 *
 * @module
 */
import { defineErrorCodes, type ErrorCode } from "../../core/errors.ts";
import type { AddCause, DataAccessError } from "../../state-machines/association/services.ts";

export const DerModelError = defineErrorCodes("der-model", {
  "object-non-existent": "the reference names no data of that functional constraint in the model",
  "invalid-address": "the reference is not a well-formed LD/LN[.DO[.DA…]] reference",
  "object-access-denied":
    "the data exists but is read-only (ST, MX, CF, DC, EX, CO) or the caller may not write it",
  "type-inconsistent": "the written value's MMS type does not match the attribute's type",
  "object-value-invalid":
    "the written value is of the right type but outside the attribute's range",
  "unknown": "the control names no object of this logical device",
  "not-supported":
    "the object is not controllable, or the control service variant is not supported",
  "no-access-authority": "the caller has no role (priority) at this DER and may not control it",
  "inconsistent-parameters":
    "the control value is of the wrong type or out of range, or differs from the select",
  "blocked-by-mode":
    "the logical device's behaviour (Beh) or the test flag does not allow the command",
  "blocked-by-command": "a command of higher priority from another caller holds the function",
  "object-not-selected": "operate or cancel without a valid select-with-value by this caller",
  "object-already-selected": "the caller selected the object already",
  "locked-by-other-client": "another caller has the object selected",
  "invalid-config": "a DER configuration value is out of range",
});

/** The registered code of a refusal, for vectors and reports. */
export function refusalCode(cause: AddCause | DataAccessError): ErrorCode {
  const code = (DerModelError as Record<string, ErrorCode>)[cause];
  return code ?? `der-model/${cause}`;
}
