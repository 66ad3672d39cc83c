/**
 * Error codes of the IEC 61850-8-2-style association (`association/…`):
 * refused application inputs, refused PDUs, the XER codec's refusals and the
 * causes an association ends with. Codes are public: vectors and
 * conformance reports compare them as strings.
 *
 * @module
 */
import { defineErrorCodes } from "../../core/errors.ts";

export const AssociationError = defineErrorCodes("association", {
  "invalid-input": "an input or configuration does not have the documented shape",
  "not-associated": "a service was asked for, or a PDU arrived, outside an association",
  "aborted": "an input arrived after the association was aborted; a new associate is needed",
  "unexpected-input": "the input is not allowed in the association's current phase",
  "unexpected-pdu": "a PDU arrived that the role does not take in its current phase",
  "wrong-sender": "a stanza came from an address other than the associated peer",
  "wrong-carriage":
    "a PDU came in a stanza kind its service does not map to (iq set/result, message)",
  "over-limit":
    "an initiate proposed or negotiated a parameter outside the profile's bounds or above the proposal",
  "initiate-refused": "the server refused the initiate request",
  "service-unsupported": "the service was not negotiated for this association",
  "too-many-outstanding": "more requests would be outstanding than the negotiated maximum",
  "pdu-too-large": "an encoded PDU is larger than the negotiated maximum PDU size",
  "unknown-invoke-id": "a response names an invoke id this association never issued",
  "unsolicited-response": "a response did not come in the iq result of the request it answers",
  "duplicate-response": "a response arrived for a request that was already answered",
  "late-response": "a response arrived for a request that had already timed out",
  "service-mismatch": "a response is for another service than its request",
  "duplicate-invoke-id": "a request reuses the invoke id of a request still outstanding",
  "unknown-indication": "the application answered an invoke id that has no request waiting",
  "requests-outstanding": "conclude was refused while requests are outstanding",
  "conclude-refused": "the server refused to conclude the association",
  "rejected": "the peer rejected the PDU (MMS Reject)",
  "service-error": "the peer answered the request with a service error",
  "timeout": "no answer arrived in time",
  "peer-unavailable": "the peer's presence became unavailable: the association is lost",
  "ping-timeout": "the peer did not answer an XEP-0199 ping in time: the association is lost",
  "peer-aborted": "the peer aborted the association",
  "local-abort": "the local application aborted the association",
  "session-lost": "the protected (A-profile) session carrying the association ended or failed",
  "plaintext-not-allowed":
    'end-to-end protection "none" was chosen without the test-only flag insecurePlaintextForTestOnly',
  "spoofed-presence": "presence from an address other than the peer (or room) was ignored",
  "not-selected": "an operate under select-before-operate came without a valid select",
  "select-expired": "the select timed out before the operate",
  "ctlnum-mismatch": "a control's ctlNum does not match the select's or the request's",
  "parameters-mismatch": "an operate's origin, value, test or check differ from its select",
  "unknown-control": "a command termination or terminate names no control in execution",
  "report-gap": "a report's sequence number skipped one or more reports",
  "duplicate-report": "a report repeats the sequence number of the last one accepted",
  "stale-report": "a report's sequence number lies behind the last one accepted",
  "publisher-left": "the multicast publisher left the room: the multicast association is lost",
  "removed-from-room": "we were removed from the multicast association's room",
  "xer-not-xml": "the PDU is not well-formed restricted XML",
  "xer-unknown-element": "an element or attribute the MMS XER encoding does not define",
  "xer-malformed": "a required part is missing, repeated or misplaced in an XER PDU",
  "xer-invalid-value": "a value is out of its type's range or lexical form",
  "too-many-items": "a list holds more items than the limit",
  "nesting-too-deep": "structures and arrays nest deeper than the limit",
  "string-too-long": "a string, octet string, bit string or name is longer than the limit",
});

export type AssociationErrorCode = (typeof AssociationError)[keyof typeof AssociationError];
