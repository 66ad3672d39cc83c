/**
 * fast-check arbitraries of stream machine inputs, for the totality
 * properties: stream headers good and bad, every negotiation element either
 * role may receive (with random payloads), stanzas with random addresses and
 * ids, XEP-0198 elements with random counters, and the control inputs.
 * Imported by tests only.
 *
 * @module
 */
import fc from "fast-check";
import { Element } from "ltx";
import { toBase64 } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import type { XmlEvent } from "../../core/xml.ts";
import { STREAM_CONDITIONS } from "./errors.ts";
import { NS, type Xel } from "./messages.ts";
import type { StreamInput } from "./types.ts";

const el = (
  name: string,
  attrs: Record<string, string | undefined>,
  ...children: (Xel | string)[]
): Xel => {
  const e = new Element(name, attrs);
  for (const c of children) typeof c === "string" ? e.t(c) : e.cnode(c);
  return e;
};

const jid = fc.constantFrom(
  "example.net",
  "juliet@example.net",
  "juliet@example.net/balcony",
  "romeo@example.net/garden",
  "mallory@evil.example",
  "JULIET@Example.NET/balcony",
  "bad@@jid",
  "",
);
const id = fc.constantFrom("a", "b", "q1", "bind-1", "ping-1", "");
const b64 = fc.oneof(
  fc.uint8Array({ maxLength: 48 }).map(toBase64),
  fc.constantFrom("=", "", "!!", "cj1hYmM="),
);
const counter = fc.oneof(
  fc.nat(10).map(String),
  fc.constantFrom("4294967295", "4294967296", "-1", "x"),
);

const header = fc.record({
  name: fc.constantFrom("stream:stream", "stream", "s:stream", "foo:stream"),
  xmlns: fc.constantFrom("jabber:client", "jabber:server", undefined),
  stream: fc.constantFrom(NS.stream, "urn:wrong", undefined),
  version: fc.constantFrom("1.0", "1.1", "0.9", "2.0", undefined),
  id: fc.option(fc.constantFrom("abc", "s2")),
  from: fc.option(jid),
  to: fc.option(jid),
}).map(({ name, xmlns, stream, version, id, from, to }): XmlEvent => {
  const attrs: Record<string, string> = {};
  if (xmlns) attrs.xmlns = xmlns;
  if (stream) attrs[name.includes(":") ? `xmlns:${name.split(":")[0]}` : "xmlns"] = stream;
  if (version) attrs.version = version;
  if (id !== null) attrs.id = id;
  if (from !== null) attrs.from = from;
  if (to !== null) attrs.to = to;
  return { type: "stream-open", name, attrs };
});

const features = fc.record({
  tls: fc.constantFrom("none", "optional", "required"),
  mechs: fc.option(
    fc.subarray([
      "SCRAM-SHA-256",
      "SCRAM-SHA-1",
      "SCRAM-SHA-256-PLUS",
      "PLAIN",
      "EXTERNAL",
      "X-OTHER",
    ]),
  ),
  bind: fc.boolean(),
  sm: fc.boolean(),
}).map(({ tls, mechs, bind, sm }) => {
  const f = new Element("stream:features");
  if (tls !== "none") {
    const s = f.c("starttls", { xmlns: NS.tls });
    if (tls === "required") s.c("required");
  }
  if (mechs) {
    const m = f.c("mechanisms", { xmlns: NS.sasl });
    for (const name of mechs) m.c("mechanism").t(name);
  }
  if (bind) f.c("bind", { xmlns: NS.bind });
  if (sm) f.c("sm", { xmlns: NS.sm });
  return f as Xel;
});

const stanza: fc.Arbitrary<Xel> = fc.oneof(
  fc.record({ to: fc.option(jid), from: fc.option(jid), id: fc.option(id) }).map((
    { to, from, id },
  ) =>
    el("message", {
      to: to ?? undefined,
      from: from ?? undefined,
      id: id ?? undefined,
      type: "chat",
    }, el("body", {}, "hi"))
  ),
  fc.record({
    from: fc.option(jid),
    type: fc.constantFrom(undefined, "unavailable", "subscribe", "probe"),
  }).map((
    { from, type },
  ) => el("presence", { from: from ?? undefined, type })),
  fc.record({
    type: fc.constantFrom("get", "set", "result", "error", "bogus"),
    id: fc.option(id),
    from: fc.option(jid),
    to: fc.option(jid),
    children: fc.nat(2),
    ping: fc.boolean(),
  }).map(({ type, id, from, to, children, ping }) => {
    const kids = [...Array(children)].map(() =>
      ping ? el("ping", { xmlns: NS.ping }) : el("query", { xmlns: "q" })
    );
    return el(
      "iq",
      { type, id: id ?? undefined, from: from ?? undefined, to: to ?? undefined },
      ...kids,
    );
  }),
);

const negotiation: fc.Arbitrary<Xel> = fc.oneof(
  features,
  fc.constantFrom("starttls", "proceed", "failure").map((n) => el(n, { xmlns: NS.tls })),
  fc.tuple(fc.constantFrom("challenge", "success", "response", "abort"), b64).map(([n, d]) =>
    el(n, { xmlns: NS.sasl }, d)
  ),
  fc.tuple(fc.constantFrom("SCRAM-SHA-256", "PLAIN", "EXTERNAL", "NOPE"), b64).map(([m, d]) =>
    el("auth", { xmlns: NS.sasl, mechanism: m }, d)
  ),
  fc.constantFrom("not-authorized", "aborted", "temporary-auth-failure").map((c) =>
    el("failure", { xmlns: NS.sasl }, el(c, {}))
  ),
  fc.tuple(id, jid).map(([i, j]) =>
    el("iq", { type: "result", id: i }, el("bind", { xmlns: NS.bind }, el("jid", {}, j)))
  ),
  fc.tuple(id, fc.option(fc.constantFrom("balcony", ""))).map(([i, r]) =>
    el(
      "iq",
      { type: "set", id: i },
      el("bind", { xmlns: NS.bind }, ...(r === null ? [] : [el("resource", {}, r)])),
    )
  ),
  fc.tuple(
    fc.constantFrom("r", "a", "enable", "enabled", "resume", "resumed", "failed"),
    counter,
    id,
  ).map(([n, h, i]) => el(n, { xmlns: NS.sm, h, previd: i, id: i, resume: "true" })),
  fc.tuple(
    fc.constantFrom(...STREAM_CONDITIONS, "made-up"),
    fc.option(fc.constantFrom("other.example", "")),
  ).map((
    [c, text],
  ) => el("stream:error", {}, el(c, { xmlns: NS.streams }, ...(text === null ? [] : [text])))),
  fc.constantFrom(
    el("unknown", { xmlns: "urn:x" }),
    el("stream:stream", {}),
    el("message", { xmlns: "jabber:server" }),
  ),
);

const event: fc.Arbitrary<XmlEvent> = fc.oneof(
  { arbitrary: header, weight: 2 },
  {
    arbitrary: fc.oneof(negotiation, stanza).map((element) =>
      ({ type: "stanza", element, bytes: 1 }) as XmlEvent
    ),
    weight: 6,
  },
  { arbitrary: fc.constant({ type: "stream-close" } as XmlEvent), weight: 1 },
  {
    arbitrary: fc.constantFrom("xml/malformed", "xml/size-limit", "xml/dtd").map((code) =>
      ({ type: "error", error: new DerlinkError(code as `xml/${string}`, "test") }) as XmlEvent
    ),
    weight: 1,
  },
);

/** Any well-formed machine input, most of them XML events. */
export function arbitraryInput(): fc.Arbitrary<StreamInput> {
  return fc.oneof(
    { arbitrary: event.map((e): StreamInput => ({ type: "xml", event: e })), weight: 8 },
    { arbitrary: fc.constant({ type: "start" } as StreamInput), weight: 1 },
    {
      arbitrary: fc.record({ cb: fc.boolean(), ids: fc.boolean() }).map((
        { cb, ids },
      ): StreamInput => ({
        type: "tls-established",
        channelBinding: cb ? { type: "tls-exporter", data: new Uint8Array(32) } : undefined,
        peerIdentities: ids ? ["juliet@example.net"] : undefined,
      })),
      weight: 1,
    },
    { arbitrary: stanza.map((s): StreamInput => ({ type: "send", stanza: s })), weight: 2 },
    { arbitrary: fc.nat(100_000).map((now): StreamInput => ({ type: "tick", now })), weight: 2 },
    {
      arbitrary: fc.option(fc.constantFrom("system-shutdown", "see-other-host", "not-a-condition"))
        .map((c): StreamInput =>
          c === null
            ? { type: "close" }
            : { type: "close", condition: c as "system-shutdown", location: "x.example" }
        ),
      weight: 1,
    },
    { arbitrary: fc.constant({ type: "transport-closed" } as StreamInput), weight: 1 },
    {
      arbitrary: fc.oneof(id, fc.constant(42)).map((x): StreamInput => ({
        type: "cancel-iq",
        id: x as string,
      })),
      weight: 1,
    },
  );
}
