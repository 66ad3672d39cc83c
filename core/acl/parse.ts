/**
 * Reads an ACL file strictly: JSON (UTF-8), then the JSON Schema
 * (acl.schema.json, every key known), then what a schema cannot say — each
 * JID canonical and bare (comparisons are plain string equality, in derlink
 * and in the compiled Prosody rules alike), each group defined, rooms on the
 * MUC service, no account on a service domain, nothing listed twice. Every
 * fault is a typed `acl/*` code naming where it is.
 *
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { DerlinkError, fail, ok, type Result } from "../errors.ts";
import { bareJid, formatJid, tryParseJid } from "../jid.ts";
import schema from "./acl.schema.json" with { type: "json" };
import { AclError } from "./errors.ts";
import type { Acl, NodeRule, Principals, RoomRule } from "./types.ts";

const validate = new Ajv2020({ allErrors: false, strict: true }).compile(schema);

interface RawPrincipalRule {
  [k: string]: string[] | string | undefined;
}
interface RawAcl {
  domain: string;
  mucService: string;
  pubsubService: string;
  groups: Record<string, string[]>;
  addressing: RawPrincipalRule[];
  rooms: Record<string, RawPrincipalRule>;
  nodes: Record<string, RawPrincipalRule>;
}

const bad = (code: keyof typeof AclError, detail: string): never => {
  throw new DerlinkError(AclError[code], detail);
};

function canonicalBare(text: string, where: string): string {
  const r = tryParseJid(text);
  if (!r.ok || r.value.local === undefined || r.value.resource !== undefined) {
    bad("invalid-jid", `${where}: ${text.slice(0, 64)}`);
  }
  const canonical = formatJid(bareJid((r as { value: Parameters<typeof bareJid>[0] }).value));
  if (canonical !== text) bad("invalid-jid", `${where}: ${text.slice(0, 64)} is not canonical`);
  return canonical;
}

/** Parses and checks an ACL document (text or already-parsed JSON). */
// spec: DL-ACL-1 PD-209
export function parseAcl(input: string | unknown): Result<Acl> {
  try {
    let doc: unknown = input;
    if (typeof input === "string") {
      try {
        doc = JSON.parse(input);
      } catch {
        return fail(AclError["not-json"], "not JSON");
      }
    }
    if (!validate(doc)) {
      const e = validate.errors?.[0];
      return fail(AclError.schema, `${e?.instancePath || "/"} ${e?.message ?? ""}`.trim());
    }
    return ok(build(doc as unknown as RawAcl));
  } catch (e) {
    if (e instanceof DerlinkError) return { ok: false, error: e };
    return fail(AclError.schema, e instanceof Error ? e.message : String(e));
  }
}

function build(raw: RawAcl): Acl {
  const services = new Set([raw.mucService, raw.pubsubService]);
  const account = (text: string, where: string) => {
    const jid = canonicalBare(text, where);
    // spec: PD-209
    if (services.has(jid.slice(jid.indexOf("@") + 1))) bad("wrong-service", `${where}: ${jid}`);
    return jid;
  };
  const groups = new Map<string, readonly string[]>();
  for (const [name, members] of Object.entries(raw.groups)) {
    const jids = members.map((m, i) => account(m, `groups.${name}[${i}]`));
    if (new Set(jids).size !== jids.length) bad("duplicate", `groups.${name}`);
    groups.set(name, jids);
  }
  const principals = (list: string[], where: string): Principals => {
    if (new Set(list).size !== list.length) bad("duplicate", where);
    const jids = new Set<string>();
    let any = false;
    list.forEach((p, i) => {
      if (p === "*") any = true;
      else if (p.startsWith("@")) {
        const g = groups.get(p.slice(1));
        if (!g) return bad("unknown-group", `${where}[${i}]: ${p}`);
        for (const j of g) jids.add(j);
      } else jids.add(account(p, `${where}[${i}]`));
    });
    return { any, jids, written: list };
  };
  const addressing = raw.addressing.map((r, i) => ({
    from: principals(r.from as string[], `addressing[${i}].from`),
    to: principals(r.to as string[], `addressing[${i}].to`),
  }));
  const rooms = new Map<string, RoomRule>();
  for (const [jid, r] of Object.entries(raw.rooms)) {
    const room = canonicalBare(jid, `rooms.${jid}`);
    if (!room.endsWith(`@${raw.mucService}`)) bad("wrong-service", `rooms.${jid}`);
    rooms.set(room, {
      moderators: principals(r.moderators as string[], `rooms.${jid}.moderators`),
      members: principals(r.members as string[], `rooms.${jid}.members`),
    });
  }
  const nodes = new Map<string, NodeRule>();
  for (const [name, r] of Object.entries(raw.nodes)) {
    nodes.set(name, {
      publishers: principals(r.publishers as string[], `nodes.${name}.publishers`),
      ...(r.subscribers
        ? { subscribers: principals(r.subscribers as string[], `nodes.${name}.subscribers`) }
        : {}),
    });
  }
  return {
    domain: raw.domain,
    mucService: raw.mucService,
    pubsubService: raw.pubsubService,
    groups,
    addressing,
    rooms,
    nodes,
  };
}
