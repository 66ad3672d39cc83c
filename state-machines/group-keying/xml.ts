/**
 * XML carriage of group keying for XMPP (PD-122), so a MUC layer can carry
 * the binary messages in message stanzas:
 *
 * ```xml
 * <gdoi xmlns="urn:derlink:gdoi:0" kind="rekey" group="vpp-dispatch" seq="7">BASE64</gdoi>
 * <spdu xmlns="urn:derlink:group:0" stream="stream-1" key="12" spdu="40">BASE64</spdu>
 * ```
 * The attributes repeat header fields so a router can sort messages without
 * decoding them; on reading, each must equal the field inside the bytes
 * (`gdoi/malformed` / `group/malformed` otherwise), so they cannot mislead.
 *
 * @module
 */
import { Element } from "ltx";
import { fromBase64, toBase64 } from "../../core/bytes.ts";
import { DerlinkError, type ErrorCode } from "../../core/errors.ts";
import { GdoiError, GroupError } from "./errors.ts";
import { decodeMessage, type MessageKind } from "./messages.ts";
import { decodeSpdu } from "./spdu.ts";

export const GDOI_NS = "urn:derlink:gdoi:0";
export const GROUP_NS = "urn:derlink:group:0";

/** The part of an ltx element these functions read. */
export interface XmlLike {
  readonly name: string;
  readonly attrs: Record<string, string | undefined>;
  getNS(): string | undefined;
  getText(): string;
}

/** Wraps a key-management message for a stanza. */
export function gdoiElement(data: Uint8Array): Element {
  const { message } = decodeMessage(data);
  const attrs: Record<string, string> = {
    xmlns: GDOI_NS,
    kind: message.kind,
    group: message.groupId,
  };
  if (message.kind === "rekey") attrs.seq = String(message.seq);
  return new Element("gdoi", attrs).t(toBase64(data));
}

function bytesOf(el: XmlLike, code: ErrorCode): Uint8Array {
  try {
    return fromBase64(el.getText().replace(/\s+/g, ""));
  } catch {
    throw new DerlinkError(code, "content is not base64");
  }
}

function same(code: ErrorCode, what: string, attr: string | undefined, field: string): void {
  if (attr !== undefined && attr !== field) {
    throw new DerlinkError(code, `${what} attribute disagrees with the message`);
  }
}

/** Reads a key-management message from its element; throws `gdoi/malformed`. */
// spec: PD-122
export function gdoiFromElement(el: XmlLike): { kind: MessageKind; data: Uint8Array } {
  const code = GdoiError.malformed;
  if (el.name !== "gdoi" || el.getNS() !== GDOI_NS) {
    throw new DerlinkError(code, "not a gdoi element");
  }
  const data = bytesOf(el, code);
  const { message } = decodeMessage(data);
  same(code, "kind", el.attrs.kind, message.kind);
  same(code, "group", el.attrs.group, message.groupId);
  if (message.kind === "rekey") same(code, "seq", el.attrs.seq, String(message.seq));
  return { kind: message.kind, data };
}

/** Wraps a group-protected message for a stanza. */
export function spduElement(data: Uint8Array): Element {
  const { header } = decodeSpdu(data);
  return new Element("spdu", {
    xmlns: GROUP_NS,
    stream: header.streamId,
    key: String(header.keyId),
    spdu: String(header.spdu),
  }).t(toBase64(data));
}

/** Reads a group-protected message from its element; throws `group/malformed`. */
// spec: PD-122
export function spduFromElement(el: XmlLike): Uint8Array {
  const code = GroupError.malformed;
  if (el.name !== "spdu" || el.getNS() !== GROUP_NS) {
    throw new DerlinkError(code, "not an spdu element");
  }
  const data = bytesOf(el, code);
  const { header } = decodeSpdu(data);
  same(code, "stream", el.attrs.stream, header.streamId);
  same(code, "key", el.attrs.key, String(header.keyId));
  same(code, "spdu", el.attrs.spdu, String(header.spdu));
  return data;
}
