/**
 * Codes of the control-centre application: a group command payload that
 * does not follow its format (PD-195).
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const GroupCommandError = defineErrorCodes("group-command", {
  "malformed": "a group command payload is not the XML element PD-195 defines",
  "too-large": "a group command has more operations, nesting or bytes than the profile allows",
});
