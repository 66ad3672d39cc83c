/**
 * The group command: what a grid operator sends to many DERs at once over a
 * multicast association (a MUC room), as the payload of a group-protected
 * SPDU (PD-195, PAPER-TL3). The SPDU layer gives sender authentication,
 * integrity, confidentiality, freshness and replay protection; this payload
 * only says what to do:
 *
 * ```xml
 * <group-command xmlns="urn:derlink:der-group-command:1" group="feeder-7"
 *     id="12" light="red" issued="1700000000000">
 *   <write ref="DRCC1.WMaxLimPctRvrtTms.setVal" fc="SP"><integer>900</integer></write>
 *   <operate control="DRCC1.WMaxLimPct" ctlNum="7" orCat="remote-control"
 *       orIdent="dno@grid.example" t="1700000000000" test="false"
 *       synchrocheck="false" interlockCheck="false"><float width="32">60</float></operate>
 * </group-command>
 * ```
 * References are relative to the logical device (LN.DO[.DA…]): each DER
 * places them in its own. Operations run in document order. Every attribute
 * shown is required (operTm is optional), no other is allowed.
 *
 * @module
 */
import { Element } from "ltx";
import { utf8 } from "../../core/bytes.ts";
import { DerlinkError, isDerlinkError } from "../../core/errors.ts";
import { tryParseElement } from "../../core/xml.ts";
import type {
  ControlParameters,
  FunctionalConstraint,
  MmsData,
  Originator,
} from "../../state-machines/association/services.ts";
import { GroupCommandError } from "./errors.ts";
import {
  elementChildren,
  mmsFromXml,
  onlyAttributes,
  withChildren,
  type XmlNode,
} from "./mms_xml.ts";

export const GROUP_COMMAND_NS = "urn:derlink:der-group-command:1";
export const MAX_OPERATIONS = 64;
export const MAX_PAYLOAD_BYTES = 65_536;

export type TrafficLight = "green" | "yellow" | "red";

export type GroupOperation =
  | { readonly kind: "operate"; readonly control: string; readonly params: ControlParameters }
  | {
    readonly kind: "write";
    readonly ref: string;
    readonly fc: FunctionalConstraint;
    readonly value: MmsData;
  };

export interface GroupCommand {
  /** The group (multicast association) addressed. */
  readonly group: string;
  /** Issuer's command number (uint32), for logs and matching reports. */
  readonly id: number;
  readonly light: TrafficLight;
  /** Issue time, ms since the epoch. */
  readonly issued: number;
  readonly operations: readonly GroupOperation[];
}

const LIGHTS: readonly string[] = ["green", "yellow", "red"];
const FCS: readonly string[] = ["ST", "MX", "SP", "SG", "CF", "DC", "CO", "EX"];
const OR_CATS: readonly string[] = [
  "not-supported",
  "bay-control",
  "station-control",
  "remote-control",
  "automatic-bay",
  "automatic-station",
  "automatic-remote",
  "maintenance",
  "process",
];
const RELATIVE_REF = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63})+$/;
const UINT = /^(0|[1-9][0-9]*)$/;
/** Attribute text must survive XML attribute-value normalisation unchanged. */
// deno-lint-ignore no-control-regex
const NO_CONTROL = /^[^\x00-\x1f\x7f]*$/;

const malformed = (detail: string) => new DerlinkError(GroupCommandError.malformed, detail);
const flag = (b: boolean) => (b ? "true" : "false");

function text(value: string, what: string): string {
  if (!NO_CONTROL.test(value)) throw malformed(`${what} holds a control character`);
  return value;
}

function operationXml(op: GroupOperation): Element {
  if (op.kind === "write") {
    return withChildren(new Element("write", { ref: op.ref, fc: op.fc }), [op.value]);
  }
  const p = op.params;
  const attrs: Record<string, string> = {
    control: op.control,
    ctlNum: String(p.ctlNum),
    orCat: p.origin.orCat,
    orIdent: text(p.origin.orIdent, "orIdent"),
    t: String(p.t),
    test: flag(p.test),
    synchrocheck: flag(p.check.synchrocheck),
    interlockCheck: flag(p.check.interlockCheck),
  };
  if (p.operTm !== undefined) attrs.operTm = String(p.operTm);
  return withChildren(new Element("operate", attrs), [p.ctlVal]);
}

/** The payload bytes of a group command (UTF-8 XML, no declaration). */
// spec: PD-195
export function encodeGroupCommand(c: GroupCommand): Uint8Array {
  if (c.operations.length === 0 || c.operations.length > MAX_OPERATIONS) {
    throw new DerlinkError(GroupCommandError["too-large"], `${c.operations.length} operations`);
  }
  const root = new Element("group-command", {
    xmlns: GROUP_COMMAND_NS,
    group: text(c.group, "group"),
    id: String(c.id),
    light: c.light,
    issued: String(c.issued),
  });
  for (const op of c.operations) root.cnode(operationXml(op));
  const bytes = utf8(root.toString());
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    throw new DerlinkError(GroupCommandError["too-large"], `${bytes.length} bytes`);
  }
  return bytes;
}

function need(el: XmlNode, name: string): string {
  const v = el.attrs[name];
  if (v === undefined) throw malformed(`<${el.name}> lacks ${name}`);
  return v;
}

function uint(el: XmlNode, name: string, max: number): number {
  const text = need(el, name);
  const n = Number(text);
  if (!UINT.test(text) || !Number.isSafeInteger(n) || n > max) {
    throw malformed(`${name} is an integer 0..${max}`);
  }
  return n;
}

function bool(el: XmlNode, name: string): boolean {
  const v = need(el, name);
  if (v !== "true" && v !== "false") throw malformed(`${name} is true or false`);
  return v === "true";
}

function oneValue(el: XmlNode): MmsData {
  const kids = elementChildren(el);
  if (kids.length !== 1) throw malformed(`<${el.name}> carries exactly one value`);
  return mmsFromXml(kids[0]);
}

function relativeRef(el: XmlNode, name: string): string {
  const ref = need(el, name);
  if (!RELATIVE_REF.test(ref)) throw malformed(`${name} is an LD-relative LN.DO[.DA…] reference`);
  return ref;
}

function operationFrom(el: XmlNode): GroupOperation {
  if (el.name === "write") {
    onlyAttributes(el, ["ref", "fc"]);
    const fc = need(el, "fc");
    if (!FCS.includes(fc)) throw malformed("unknown functional constraint");
    return {
      kind: "write",
      ref: relativeRef(el, "ref"),
      fc: fc as FunctionalConstraint,
      value: oneValue(el),
    };
  }
  if (el.name !== "operate") throw malformed(`unknown operation <${el.name}>`);
  onlyAttributes(el, [
    "control",
    "ctlNum",
    "orCat",
    "orIdent",
    "t",
    "test",
    "synchrocheck",
    "interlockCheck",
    "operTm",
  ]);
  const orCat = need(el, "orCat");
  if (!OR_CATS.includes(orCat)) throw malformed("unknown orCat");
  const control = relativeRef(el, "control");
  if (control.split(".").length !== 2) throw malformed("control names LN.DO");
  const params: ControlParameters = {
    ctlVal: oneValue(el),
    origin: { orCat: orCat as Originator["orCat"], orIdent: text(need(el, "orIdent"), "orIdent") },
    ctlNum: uint(el, "ctlNum", 255),
    t: uint(el, "t", Number.MAX_SAFE_INTEGER),
    test: bool(el, "test"),
    check: { synchrocheck: bool(el, "synchrocheck"), interlockCheck: bool(el, "interlockCheck") },
    ...(el.attrs.operTm !== undefined
      ? { operTm: uint(el, "operTm", Number.MAX_SAFE_INTEGER) }
      : {}),
  };
  return { kind: "operate", control, params };
}

/** Reads group command payload bytes; throws `group-command/malformed` or `too-large`. */
// spec: PD-195
export function decodeGroupCommand(bytes: Uint8Array): GroupCommand {
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    throw new DerlinkError(GroupCommandError["too-large"], `${bytes.length} bytes`);
  }
  const parsed = tryParseElement(bytes, { maxDepth: 16, maxStanzaBytes: MAX_PAYLOAD_BYTES });
  if (!parsed.ok) throw malformed(`not well-formed: ${parsed.error.code}`);
  const root = parsed.value as unknown as XmlNode & { getNS(): string | undefined };
  if (root.name !== "group-command" || root.getNS() !== GROUP_COMMAND_NS) {
    throw malformed("not a group-command element of its namespace");
  }
  onlyAttributes(root, ["xmlns", "group", "id", "light", "issued"]);
  const light = need(root, "light");
  if (!LIGHTS.includes(light)) throw malformed("light is green, yellow or red");
  const group = text(need(root, "group"), "group");
  if (group.length === 0 || group.length > 255) throw malformed("group is 1..255 characters");
  const kids = elementChildren(root);
  if (kids.length === 0) throw malformed("no operation");
  if (kids.length > MAX_OPERATIONS) {
    throw new DerlinkError(GroupCommandError["too-large"], `${kids.length} operations`);
  }
  return {
    group,
    id: uint(root, "id", 0xffffffff),
    light: light as TrafficLight,
    issued: uint(root, "issued", Number.MAX_SAFE_INTEGER),
    operations: kids.map(operationFrom),
  };
}

/** {@link decodeGroupCommand} reporting failure as data. */
export function tryDecodeGroupCommand(
  bytes: Uint8Array,
): { ok: true; value: GroupCommand } | { ok: false; error: DerlinkError } {
  try {
    return { ok: true, value: decodeGroupCommand(bytes) };
  } catch (e) {
    if (isDerlinkError(e)) return { ok: false, error: e };
    throw e;
  }
}
