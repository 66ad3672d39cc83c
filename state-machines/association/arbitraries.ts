/**
 * fast-check arbitraries of the association's data: MmsData, service
 * requests and responses, reports and whole PDUs, all within a given set of
 * XER limits (so every generated PDU must encode and decode to itself).
 * Imported by tests only.
 *
 * @module
 */
import fc from "fast-check";
import {
  ABORT_REASONS,
  INITIATE_ERRORS,
  type InitiateParameters,
  type MmsPdu,
  REJECT_REASONS,
  SERVICE_ERRORS,
  SERVICE_NAMES,
} from "./pdus.ts";
import type {
  CommandTermination,
  ControlParameters,
  DataReference,
  MmsData,
  Report,
  ServiceRequest,
  ServiceResponse,
} from "./services.ts";
import { FUNCTIONAL_CONSTRAINTS, OR_CATS } from "./xer_data.ts";
import { MAX_TIME } from "./xer_dom.ts";
import type { XerLimits } from "./xer_limits.ts";
import { ADD_CAUSES, DATA_ACCESS_ERRORS } from "./xer_services.ts";

/** Records with an ordinary prototype (fast-check's default is a null one), so they compare equal to decoded values. */
const rec: typeof fc.record =
  ((model: Record<string, fc.Arbitrary<unknown>>, opts: { requiredKeys?: string[] } = {}) =>
    fc.record(model, { ...opts, noNullPrototype: true })) as typeof fc.record;

/** Small limits so that limit edges are reached often. */
export const SMALL_LIMITS: XerLimits = {
  maxItems: 6,
  maxNesting: 4,
  maxStringLength: 24,
  maxPduSize: 65_536,
};

const NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$./@-";
export const nameArb = (max = 24): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...NAME_ALPHABET), minLength: 1, maxLength: max });
const visible = (max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: max,
  });
export const timeArb = fc.integer({ min: 0, max: MAX_TIME });

export function dataArb(limits: XerLimits): fc.Arbitrary<MmsData> {
  const s = limits.maxStringLength;
  const leaf: fc.Arbitrary<MmsData> = fc.oneof(
    fc.boolean().map((value) => ({ type: "boolean" as const, value })),
    fc.maxSafeInteger().map((value) => ({
      type: "integer" as const,
      value: value === 0 ? 0 : value,
    })),
    fc.maxSafeNat().map((value) => ({ type: "unsigned" as const, value })),
    fc.float().map((value) => ({ type: "float" as const, value, width: 32 as const })),
    fc.double().map((value) => ({ type: "float" as const, value, width: 64 as const })),
    visible(s).map((value) => ({ type: "visible-string" as const, value })),
    fc.uint8Array({ maxLength: s }).map((value) => ({ type: "octet-string" as const, value })),
    fc.string({ unit: fc.constantFrom("0", "1"), maxLength: s }).map((value) => ({
      type: "bit-string" as const,
      value,
    })),
    timeArb.map((value) => ({ type: "utc-time" as const, value })),
  );
  const tree = fc.letrec<{ data: MmsData }>((tie) => ({
    data: fc.oneof(
      { depthSize: "small", maxDepth: limits.maxNesting - 1 },
      leaf,
      fc.array(tie("data"), { maxLength: Math.min(limits.maxItems, 4) }).map((members) => ({
        type: "structure" as const,
        members,
      })),
      fc.array(tie("data"), { maxLength: Math.min(limits.maxItems, 4) }).map((elements) => ({
        type: "array" as const,
        elements,
      })),
    ),
  }));
  return tree.data;
}

export const refArb: fc.Arbitrary<DataReference> = rec({
  ref: nameArb(40),
  fc: fc.constantFrom(...FUNCTIONAL_CONSTRAINTS),
});

export function paramsArb(limits: XerLimits): fc.Arbitrary<ControlParameters> {
  return rec({
    ctlVal: dataArb(limits),
    operTm: timeArb,
    origin: rec({ orCat: fc.constantFrom(...OR_CATS), orIdent: visible(64) }),
    ctlNum: fc.integer({ min: 0, max: 255 }),
    t: timeArb,
    test: fc.boolean(),
    check: rec({ synchrocheck: fc.boolean(), interlockCheck: fc.boolean() }),
  }, { requiredKeys: ["ctlVal", "origin", "ctlNum", "t", "test", "check"] });
}

const items = <T>(a: fc.Arbitrary<T>, limits: XerLimits, min = 0) =>
  fc.array(a, { minLength: min, maxLength: limits.maxItems });

export function requestArb(limits: XerLimits): fc.Arbitrary<ServiceRequest> {
  const control = nameArb(40);
  return fc.oneof(
    rec({
      service: fc.constant("get-name-list" as const),
      scope: fc.oneof(
        fc.constant({ objectClass: "logical-device" as const }),
        nameArb().map((logicalDevice) => ({ objectClass: "logical-node" as const, logicalDevice })),
        nameArb().map((logicalNode) => ({ objectClass: "data" as const, logicalNode })),
      ),
      continueAfter: nameArb(),
    }, { requiredKeys: ["service", "scope"] }),
    rec({ service: fc.constant("read" as const), items: items(refArb, limits, 1) }),
    rec({
      service: fc.constant("write" as const),
      items: items(rec({ ref: refArb, value: dataArb(limits) }), limits, 1),
    }),
    rec({ service: fc.constant("select" as const), control }),
    ...(["select-with-value", "operate", "cancel"] as const).map((service) =>
      rec({ service: fc.constant(service), control, params: paramsArb(limits) })
    ),
  );
}

export function responseArb(limits: XerLimits): fc.Arbitrary<ServiceResponse> {
  const cause = fc.constantFrom(...ADD_CAUSES);
  const access = fc.constantFrom(...DATA_ACCESS_ERRORS);
  return fc.oneof(
    rec({
      service: fc.constant("get-name-list" as const),
      names: items(nameArb(), limits),
      moreFollows: fc.boolean(),
    }),
    rec({
      service: fc.constant("read" as const),
      results: items(fc.oneof(dataArb(limits), access), limits),
    }),
    rec({
      service: fc.constant("write" as const),
      results: items(fc.oneof(fc.constant(null), access), limits),
    }),
    rec(
      { service: fc.constant("select" as const), selected: fc.boolean(), addCause: cause },
      {
        requiredKeys: ["service", "selected"],
      },
    ),
    ...(["select-with-value", "operate", "cancel"] as const).map((service) =>
      rec({
        service: fc.constant(service),
        control: nameArb(40),
        ctlNum: fc.integer({ min: 0, max: 255 }),
        addCause: cause,
      }, { requiredKeys: ["service", "control", "ctlNum"] })
    ),
  );
}

export function reportArb(limits: XerLimits): fc.Arbitrary<Report> {
  return rec({
    rptId: nameArb(),
    sqNum: fc.integer({ min: 0, max: 0xffff }),
    time: timeArb,
    entries: items(rec({ ref: refArb, value: dataArb(limits) }), limits),
  });
}

export const terminationArb: fc.Arbitrary<CommandTermination> = rec({
  control: nameArb(40),
  ctlNum: fc.integer({ min: 0, max: 255 }),
  addCause: fc.constantFrom(...ADD_CAUSES),
}, { requiredKeys: ["control", "ctlNum"] });

export const initiateArb: fc.Arbitrary<InitiateParameters> = rec({
  version: fc.nat(),
  maxPduSize: fc.nat(),
  maxOutstanding: fc.nat(),
  maxNesting: fc.nat(),
  services: fc.subarray([...SERVICE_NAMES]),
});

const invokeId = fc.nat({ max: 0xffff_ffff });

export function pduArb(limits: XerLimits): fc.Arbitrary<MmsPdu> {
  return fc.oneof(
    initiateArb.map((params) => ({ kind: "initiate-request" as const, params })),
    initiateArb.map((params) => ({ kind: "initiate-response" as const, params })),
    fc.constantFrom(...INITIATE_ERRORS).map((code) => ({ kind: "initiate-error" as const, code })),
    rec({
      kind: fc.constant("confirmed-request" as const),
      invokeId,
      request: requestArb(limits),
    }),
    rec({
      kind: fc.constant("confirmed-response" as const),
      invokeId,
      response: responseArb(limits),
    }),
    rec({
      kind: fc.constant("confirmed-error" as const),
      invokeId,
      code: fc.constantFrom(...SERVICE_ERRORS),
    }),
    rec({
      kind: fc.constant("reject" as const),
      invokeId,
      reason: fc.constantFrom(...REJECT_REASONS),
    }, { requiredKeys: ["kind", "reason"] }),
    reportArb(limits).map((report) => ({ kind: "information-report" as const, report })),
    terminationArb.map((termination) => ({ kind: "command-termination" as const, termination })),
    fc.constantFrom(
      { kind: "conclude-request" as const },
      { kind: "conclude-response" as const },
      { kind: "conclude-error" as const },
    ),
    fc.constantFrom(...ABORT_REASONS).map((reason) => ({ kind: "abort" as const, reason })),
  );
}
