/**
 * Vector scenarios for the receiver: valid negotiations, and a client that
 * misbehaves at every stage (header, skipping STARTTLS, SASL, binding,
 * spoofed addresses, stanzas, XML, XEP-0198, timers), each with the refusal
 * it must cause.
 *
 * @module
 */
import { STREAM_CONDITIONS } from "./errors.ts";
import { chat, DOMAIN, FAKE_BINDING } from "./testing.ts";
import {
  after,
  findPeer,
  input,
  peer,
  replaceAt,
  rewrite,
  rewriteSasl,
  type Scenario,
} from "./stream_vectors.ts";
import type { Pair } from "./pair.ts";

const R = "receiver" as const;
const FULL = `juliet@${DOMAIN}/balcony`;
const HEADER0 = /^<\?xml/;
const STARTTLS = /<starttls/;
const AUTH = /<auth /;
const RESPONSE = /<response/;
const BIND = /<bind xmlns/;
const SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
const STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";
const SM = {
  client: { streamManagement: { resume: true } },
  server: { streamManagement: { resume: true, max: 300 } },
};
const auth = (mechanism: string, payload: string) =>
  peer(`<auth xmlns='${SASL_NS}' mechanism='${mechanism}'>${payload}</auth>`);
const bound = (...extra: Parameters<typeof after>[1][]) => after(BIND, ...extra);

const exchange = (p: Pair) => {
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "Wherefore art thou?") });
  p.serverInput({ type: "send", stanza: chat(FULL, "Here.") });
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "Stay.") });
  p.clientInput({ type: "close" });
};

const RESUMABLE = {
  id: "resume-0002",
  jid: FULL,
  inbound: 2,
  outbound: 4,
  acked: 2,
  unacked: [
    `<message to='${FULL}' id='s3'><body>3</body></message>`,
    `<message to='${FULL}' id='s4'><body>4</body></message>`,
  ],
};

const MSG = "<message to='romeo@example.net'><body>x</body></message>";
const CLOSE = /^<\/stream:stream>$/;
const serverCloses = (p: Pair) => p.serverInput({ type: "close" });

export const RECEIVER_VALID: Scenario[] = [
  {
    comment: "SASL without an initial response: an empty challenge asks for it",
    flags: ["Transcript", "Scram"],
    spec: ["RFC6120-6.4.2", "RFC6120-6.4.3"],
    role: R,
    mutate: (steps) => {
      const i = findPeer(steps, AUTH);
      const a = (steps[i] as { peer: string }).peer;
      const data = />([^<]+)</.exec(a)![1];
      return [
        ...steps.slice(0, i),
        auth("SCRAM-SHA-256", ""),
        peer(`<response xmlns='${SASL_NS}'>${data}</response>`),
        ...steps.slice(i + 1),
      ];
    },
    phase: "bound",
  },
  {
    comment: "server closes; reads a late stanza, then the client's close",
    flags: ["Transcript", "Close"],
    spec: ["RFC6120-4.4"],
    role: R,
    script: serverCloses,
    mutate: (steps) => {
      const i = findPeer(steps, CLOSE);
      return [...steps.slice(0, i), peer(MSG), ...steps.slice(i)];
    },
    phase: "closed",
  },
  {
    comment: "server closes and the client never answers: close timeout",
    flags: ["Close"],
    spec: ["RFC6120-4.4"],
    role: R,
    script: serverCloses,
    mutate: replaceAt(CLOSE, input({ type: "tick", now: 5000 })),
    phase: "closed",
  },
  {
    comment: "server closes and the transport ends first",
    flags: ["Close"],
    spec: ["RFC6120-4.4"],
    role: R,
    script: serverCloses,
    mutate: replaceAt(CLOSE, input({ type: "transport-closed" })),
    phase: "closed",
  },
  {
    comment: "server shuts down with system-shutdown",
    flags: ["Close"],
    spec: ["RFC6120-4.9.3.20"],
    role: R,
    script: (p) => p.serverInput({ type: "close", condition: "system-shutdown" }),
    phase: "closed",
  },
  {
    comment: "server redirects with see-other-host",
    flags: ["Close", "Redirect"],
    spec: ["RFC6120-4.9.3.19"],
    role: R,
    script: (p) =>
      p.serverInput({ type: "close", condition: "see-other-host", location: "xmpp2.example.net" }),
    phase: "closed",
  },
  {
    comment: "SCRAM-SHA-256, bind, messages both ways with from stamping, client closes",
    flags: ["Transcript"],
    spec: [
      "RFC6120-4.2",
      "RFC6120-4.3.2",
      "RFC6120-5.3.1",
      "RFC6120-6.3.4",
      "RFC6120-6.4.6",
      "RFC6120-7.4",
      "RFC6120-7.7",
      "RFC6120-7.6.1",
      "RFC6120-8.1.2.1",
      "RFC6120-8.2",
    ],
    role: R,
    script: exchange,
    phase: "closed",
  },
  {
    comment: "SCRAM-SHA-1 chosen by the client",
    flags: ["Transcript"],
    spec: ["RFC6120-6.3.4"],
    role: R,
    client: { mechanisms: ["SCRAM-SHA-1"] },
    phase: "bound",
  },
  {
    comment: "SCRAM-SHA-256-PLUS offered and used with tls-exporter binding",
    flags: ["Transcript", "ChannelBinding"],
    spec: ["RFC5802-6.plus"],
    role: R,
    tls: { channelBinding: FAKE_BINDING },
    phase: "bound",
  },
  {
    comment: "EXTERNAL with the verified certificate identity",
    flags: ["Transcript"],
    spec: ["RFC6120-6.3.4.external", "XEP0178-3"],
    role: R,
    client: { password: undefined, clientCertificate: true },
    tls: { clientIdentities: [`juliet@${DOMAIN}`] },
    phase: "bound",
  },
  {
    comment: "PLAIN over TLS checked against stored SCRAM keys",
    flags: ["Transcript"],
    spec: ["RFC6120-13.8.plain"],
    role: R,
    client: { mechanisms: ["PLAIN"], plainEnabled: true },
    server: { plainEnabled: true },
    phase: "bound",
  },
  {
    comment: "resource generated by the server",
    flags: ["Transcript"],
    spec: ["RFC6120-7.6"],
    role: R,
    client: { resource: undefined },
    phase: "bound",
  },
  {
    comment: "XEP-0198 enabled; acknowledgements both ways",
    flags: ["Transcript", "StreamManagement"],
    spec: ["XEP0198-2", "XEP0198-3.enabled", "XEP0198-4.r", "XEP0198-4.count"],
    role: R,
    ...SM,
    script: (p) => {
      for (let i = 0; i < 6; i++) {
        p.clientInput({ type: "send", stanza: chat("romeo@example.net", `m${i}`) });
      }
      for (let i = 0; i < 6; i++) p.serverInput({ type: "send", stanza: chat(FULL, `r${i}`) });
    },
    phase: "bound",
  },
  {
    comment: "XEP-0198 resumption: the server resends what the client did not acknowledge",
    flags: ["Transcript", "StreamManagement"],
    spec: ["XEP0198-5.resume", "XEP0198-5.resend"],
    role: R,
    client: {
      ...SM.client,
      resumeFrom: { ...RESUMABLE, inbound: 2, outbound: 2, acked: 2, unacked: [] },
    },
    server: { ...SM.server, resumable: { [RESUMABLE.id]: RESUMABLE } },
    phase: "bound",
  },
  {
    comment: "XEP-0199 ping to the client answered",
    flags: ["Transcript", "Ping"],
    spec: ["XEP0199-ping"],
    role: R,
    server: { ping: { intervalMs: 1000, timeoutMs: 500 } },
    script: (p) => {
      p.serverInput({ type: "tick", now: 1000 });
      p.serverInput({ type: "tick", now: 1400 });
    },
    phase: "bound",
  },
];

const negative = (
  comment: string,
  spec: string[],
  error: string,
  mutate: Scenario["mutate"],
  extra: Partial<Scenario> = {},
  phase = "failed",
): Scenario => ({
  comment,
  flags: extra.flags ?? [],
  spec,
  role: R,
  mutate,
  error,
  phase,
  ...extra,
});
const header = (f: (t: string) => string) => rewrite(HEADER0, f);
const xmlBad = (comment: string, error: string, text: string, extra: Partial<Scenario> = {}) =>
  negative(comment, ["RFC6120-11.1", "RFC6120-4.9.1.1"], error, bound(peer(text)), {
    flags: ["MalformedXml"],
    ...extra,
  });
const flip = (c: string) => (c === "A" ? "B" : "A");

const streamErrors: Scenario[] = [...STREAM_CONDITIONS].map((c) =>
  negative(
    `client sends stream error ${c}`,
    ["RFC6120-4.9.1.1", "RFC6120-4.9.2", "RFC6120-4.9.3"],
    `xmpp/${c}`,
    replaceAt(
      AUTH,
      peer(`<stream:error><${c} xmlns='${STREAMS}'/></stream:error></stream:stream>`),
    ),
    { flags: ["StreamError"] },
  )
);

export const RECEIVER_INVALID: Scenario[] = [
  // Initial header (RFC 6120 §4.7, §4.8).
  negative(
    "stream header in a wrong stream namespace",
    ["RFC6120-4.8.1", "RFC6120-4.9.3.10", "RFC6120-4.9.1.2"],
    "xmpp/invalid-namespace",
    header((t) => t.replace("http://etherx.jabber.org/streams", "urn:example:wrong")),
  ),
  negative(
    "default namespace jabber:server",
    ["RFC6120-4.8.2", "RFC6120-4.9.3.10", "RFC6120-4.9.1.2"],
    "xmpp/invalid-namespace",
    header((t) => t.replace("xmlns='jabber:client'", "xmlns='jabber:server'")),
  ),
  negative(
    "stream header without version",
    ["RFC6120-4.7.5", "RFC6120-4.9.3.25", "RFC6120-4.9.1.2"],
    "xmpp/unsupported-version",
    header((t) => t.replace("' version='1.0'", "'")),
  ),
  negative(
    "stream header version 0.9",
    ["RFC6120-4.7.5"],
    "xmpp/unsupported-version",
    header((t) => t.replace("' version='1.0'", "' version='0.9'")),
  ),
  negative(
    "stream header without to",
    ["RFC6120-4.7.2", "RFC6120-4.9.1.3"],
    "xmpp/host-unknown",
    header((t) => t.replace(` to='${DOMAIN}'`, "")),
  ),
  negative(
    "stream header to a domain not served here",
    ["RFC6120-4.9.3.6"],
    "xmpp/host-unknown",
    header((t) => t.replace(`to='${DOMAIN}'`, "to='other.example'")),
  ),
  // STARTTLS is required (RFC 6120 §5.3.1).
  negative(
    "a message before STARTTLS",
    ["RFC6120-5.3.1", "PD-74"],
    "xmpp/starttls-required",
    replaceAt(STARTTLS, peer("<message to='romeo@example.net'><body>clear</body></message>")),
    { flags: ["Downgrade"] },
  ),
  negative(
    "SASL auth before STARTTLS",
    ["RFC6120-5.3.1", "PD-74"],
    "xmpp/starttls-required",
    replaceAt(STARTTLS, auth("PLAIN", "AGp1bGlldABwYXNz")),
    { flags: ["Downgrade"] },
  ),
  negative(
    "an iq before STARTTLS",
    ["RFC6120-5.3.1", "PD-74"],
    "xmpp/starttls-required",
    replaceAt(STARTTLS, peer("<iq type='get' id='x'><query xmlns='jabber:iq:roster'/></iq>")),
    { flags: ["Downgrade"] },
  ),
  negative(
    "data pipelined after starttls in the same read",
    ["RFC6120-5.4.3.3", "PD-76"],
    "xmpp/data-after-restart",
    rewrite(
      STARTTLS,
      (t) => t + `<auth xmlns='${SASL_NS}' mechanism='PLAIN'>AGp1bGlldABwYXNz</auth>`,
    ),
    { flags: ["Injection"] },
  ),
  // SASL (RFC 6120 §6, RFC 5802).
  negative(
    "a message before SASL",
    ["RFC6120-4.9.3.12", "PD-74"],
    "xmpp/stanza-before-bind",
    replaceAt(AUTH, peer("<message to='romeo@example.net'><body>hi</body></message>")),
  ),
  negative(
    "a presence before SASL",
    ["RFC6120-4.9.3.12", "PD-74"],
    "xmpp/stanza-before-bind",
    replaceAt(AUTH, peer("<presence/>")),
  ),
  negative(
    "an unknown element before SASL",
    ["PD-74"],
    "xmpp/unexpected-element",
    replaceAt(AUTH, peer("<foo xmlns='urn:example:foo'/>")),
  ),
  negative(
    "PLAIN requested but not offered",
    ["RFC6120-6.4.2", "RFC6120-13.8.plain"],
    "sasl/unknown-mechanism",
    replaceAt(AUTH, auth("PLAIN", "AGp1bGlldABwYXNz")),
    {},
    "awaiting-auth",
  ),
  negative(
    "an unknown mechanism requested",
    ["RFC6120-6.4.2"],
    "sasl/unknown-mechanism",
    replaceAt(AUTH, auth("DIGEST-MD5", "=")),
    {},
    "awaiting-auth",
  ),
  negative(
    "EXTERNAL requested without a client certificate",
    ["RFC6120-6.3.4.external"],
    "sasl/unknown-mechanism",
    replaceAt(AUTH, auth("EXTERNAL", "=")),
    {},
    "awaiting-auth",
  ),
  negative(
    "initial response that is not base64",
    ["RFC6120-6.4.2"],
    "sasl/invalid-base64",
    replaceAt(AUTH, auth("SCRAM-SHA-256", "***")),
    {},
    "awaiting-auth",
  ),
  negative(
    "client-first without the GS2 header",
    ["RFC5802-7.client-first"],
    "sasl/malformed-message",
    rewriteSasl(AUTH, (p) => p.replace(/^n,,/, "")),
    { flags: ["Scram"] },
    "awaiting-auth",
  ),
  negative(
    "client-first with a mandatory extension",
    ["RFC5802-5.1.m"],
    "sasl/unknown-extension",
    rewriteSasl(AUTH, (p) => p.replace(/^n,,/, "n,,m=ext,")),
    { flags: ["Scram"] },
    "awaiting-auth",
  ),
  negative(
    "unknown user: the exchange runs with a decoy and fails at the proof",
    ["RFC5802-9.enum"],
    "sasl/not-authorized",
    rewriteSasl(AUTH, (p) => p.replace("n=juliet", "n=mallory"), 1),
    { flags: ["Scram"] },
    "awaiting-auth",
  ),
  negative(
    "wrong client proof",
    ["RFC5802-5.p"],
    "sasl/not-authorized",
    rewriteSasl(RESPONSE, (p) => p.replace(/p=(.)/, (_, c) => `p=${flip(c)}`)),
    { flags: ["Scram"] },
    "awaiting-auth",
  ),
  negative(
    "client-final nonce changed",
    ["RFC5802-5.1.r"],
    "sasl/nonce-mismatch",
    rewriteSasl(RESPONSE, (p) => p.replace(/,r=(.)/, (_, c) => `,r=${flip(c)}`)),
    { flags: ["Scram"] },
    "awaiting-auth",
  ),
  negative(
    "client-final channel-binding data changed",
    ["RFC5802-6.plus"],
    "sasl/channel-binding-mismatch",
    rewriteSasl(RESPONSE, (p) => p.replace(/^c=biws/, "c=eSws")),
    { flags: ["Scram", "ChannelBinding"] },
    "awaiting-auth",
  ),
  negative(
    "three failed attempts close the stream",
    ["RFC6120-6.4.5", "PD-79"],
    "xmpp/sasl-retries-exceeded",
    replaceAt(AUTH, auth("DIGEST-MD5", "="), auth("DIGEST-MD5", "="), auth("DIGEST-MD5", "=")),
  ),
  negative(
    "client aborts the exchange",
    ["RFC6120-6.4.4"],
    "xmpp/sasl-failed",
    replaceAt(RESPONSE, peer(`<abort xmlns='${SASL_NS}'/>`)),
    {},
    "awaiting-auth",
  ),
  negative(
    "a stanza in the middle of SASL",
    ["RFC6120-4.9.3.12", "PD-74"],
    "xmpp/stanza-before-bind",
    replaceAt(RESPONSE, peer("<message><body>x</body></message>")),
  ),
  negative(
    "PLAIN acting for another user",
    ["RFC6120-6.3.8"],
    "sasl/invalid-authzid",
    rewriteSasl(AUTH, (p) => "romeo@example.net" + p),
    { client: { mechanisms: ["PLAIN"], plainEnabled: true }, server: { plainEnabled: true } },
    "awaiting-auth",
  ),
  negative(
    "PLAIN with a wrong password",
    ["RFC4616-2"],
    "sasl/not-authorized",
    rewriteSasl(AUTH, (p) => p.replace(/[^\0]*$/, "wrong-password")),
    { client: { mechanisms: ["PLAIN"], plainEnabled: true }, server: { plainEnabled: true } },
    "awaiting-auth",
  ),
  negative(
    "PLAIN in the clear (test server without TLS) is not offered",
    ["RFC6120-13.8.plain"],
    "sasl/unknown-mechanism",
    replaceAt(AUTH, auth("PLAIN", "AGp1bGlldABwYXNz")),
    { client: { allowPlaintextForTest: true }, server: { noTlsForTest: true } },
    "awaiting-auth",
  ),
  negative(
    "GS2 flag y while -PLUS was offered (binding downgrade)",
    ["RFC5802-6.server-y"],
    "sasl/channel-binding-downgrade",
    (steps) =>
      rewriteSasl(AUTH, (p) => p.replace(/^p=tls-exporter,/, "y,"))(steps).map((s) =>
        "peer" in s && AUTH.test(s.peer)
          ? { peer: s.peer.replace("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256") }
          : s
      ),
    { flags: ["Scram", "ChannelBinding", "Downgrade"], tls: { channelBinding: FAKE_BINDING } },
    "awaiting-auth",
  ),
  negative(
    "-PLUS with a binding type the connection lacks",
    ["RFC5802-6.server-p"],
    "sasl/channel-binding-unsupported",
    rewriteSasl(AUTH, (p) => p.replace(/^p=tls-exporter,/, "p=tls-unique,")),
    { flags: ["Scram", "ChannelBinding"], tls: { channelBinding: FAKE_BINDING } },
    "awaiting-auth",
  ),
  negative(
    "EXTERNAL acting for another user",
    ["XEP0178-3.authzid"],
    "sasl/invalid-authzid",
    rewrite(AUTH, (t) => t.replace(/>[^<]*</, `>${btoa("romeo@example.net")}<`)),
    {
      client: { password: undefined, clientCertificate: true },
      tls: { clientIdentities: [`juliet@${DOMAIN}`] },
    },
    "awaiting-auth",
  ),
  // Binding (RFC 6120 §7).
  negative(
    "a message before binding",
    ["RFC6120-4.9.3.12", "PD-74"],
    "xmpp/stanza-before-bind",
    replaceAt(BIND, peer("<message to='romeo@example.net'><body>x</body></message>")),
  ),
  negative(
    "an iq get for bind",
    ["PD-74"],
    "xmpp/stanza-before-bind",
    rewrite(BIND, (t) => t.replace('type="set"', 'type="get"')),
  ),
  negative(
    "a resource longer than 1023 bytes",
    ["RFC6120-7.7.2.1"],
    "xmpp/bind-failed",
    rewrite(BIND, (t) => t.replace("balcony", "b".repeat(1100))),
    {},
    "awaiting-bind",
  ),
  negative(
    "enable before binding",
    ["XEP0198-3.before-bind"],
    "xmpp/sm-unexpected",
    replaceAt(BIND, peer("<enable xmlns='urn:xmpp:sm:3'/>")),
    SM,
    "awaiting-bind",
  ),
  negative(
    "resume of an unknown session",
    ["XEP0198-5.failed"],
    "xmpp/sm-resume-failed",
    replaceAt(BIND, peer("<resume xmlns='urn:xmpp:sm:3' previd='nope' h='0'/>")),
    SM,
    "awaiting-bind",
  ),
  negative(
    "resume of another account's session",
    ["XEP0198-5.failed", "PD-77"],
    "xmpp/sm-resume-failed",
    replaceAt(BIND, peer("<resume xmlns='urn:xmpp:sm:3' previd='romeo-1' h='0'/>")),
    {
      ...SM,
      server: {
        ...SM.server,
        resumable: { "romeo-1": { ...RESUMABLE, id: "romeo-1", jid: `romeo@${DOMAIN}/garden` } },
      },
    },
    "awaiting-bind",
  ),
  negative(
    "resume without a valid h",
    ["XEP0198-4.h"],
    "xmpp/sm-unexpected",
    replaceAt(BIND, peer(`<resume xmlns='urn:xmpp:sm:3' previd='${RESUMABLE.id}' h='x'/>`)),
    { ...SM, server: { ...SM.server, resumable: { [RESUMABLE.id]: RESUMABLE } } },
  ),
  negative(
    "resume acknowledging more than the server sent",
    ["XEP0198-4.too-high"],
    "xmpp/sm-handled-count-too-high",
    replaceAt(BIND, peer(`<resume xmlns='urn:xmpp:sm:3' previd='${RESUMABLE.id}' h='7'/>`)),
    { ...SM, server: { ...SM.server, resumable: { [RESUMABLE.id]: RESUMABLE } } },
  ),
  // Bound: addresses (RFC 6120 §8.1.2.1, §4.9.3.9).
  negative(
    "spoofed from: another user",
    ["RFC6120-8.1.2.1", "RFC6120-4.9.3.9", "PD-72"],
    "xmpp/invalid-from",
    bound(
      peer(`<message from='romeo@${DOMAIN}/garden' to='nurse@${DOMAIN}'><body>x</body></message>`),
    ),
    { flags: ["Spoofing"] },
  ),
  negative(
    "spoofed from: another domain",
    ["RFC6120-8.1.2.1", "PD-72"],
    "xmpp/invalid-from",
    bound(peer("<presence from='juliet@evil.example/balcony'/>")),
    { flags: ["Spoofing"] },
  ),
  negative(
    "spoofed from: another resource of the same account",
    ["RFC6120-8.1.2.1", "PD-72"],
    "xmpp/invalid-from",
    bound(
      peer(
        `<iq type='get' id='s1' from='juliet@${DOMAIN}/tomb'><query xmlns='jabber:iq:version'/></iq>`,
      ),
    ),
    { flags: ["Spoofing"] },
  ),
  negative(
    "spoofed from: the server itself",
    ["RFC6120-8.1.2.1", "PD-72"],
    "xmpp/invalid-from",
    bound(peer(`<message from='${DOMAIN}' to='romeo@${DOMAIN}'><body>x</body></message>`)),
    { flags: ["Spoofing"] },
  ),
  negative(
    "to that is not a JID",
    ["RFC6120-8.3.3.8"],
    "xmpp/invalid-stanza",
    bound(peer("<message to='a@@b'><body>x</body></message>")),
    {},
    "bound",
  ),
  negative(
    "iq without id",
    ["RFC6120-8.1.3"],
    "xmpp/invalid-stanza",
    bound(peer("<iq type='get' to='romeo@example.net'><query xmlns='x'/></iq>")),
    {},
    "bound",
  ),
  negative(
    "iq set with two children",
    ["RFC6120-8.2.3", "RFC6120-8.3.3.1"],
    "xmpp/invalid-stanza",
    bound(peer("<iq type='set' id='t2' to='romeo@example.net'><a xmlns='x'/><b xmlns='y'/></iq>")),
    {},
    "bound",
  ),
  negative(
    "unknown first-level element",
    ["RFC6120-4.9.3.24"],
    "xmpp/unexpected-element",
    bound(peer("<foo xmlns='urn:example:foo'/>")),
  ),
  negative(
    "a stanza in the jabber:server namespace",
    ["RFC6120-4.9.3.24"],
    "xmpp/unexpected-element",
    bound(peer("<message xmlns='jabber:server'><body>x</body></message>")),
  ),
  // Bound: XML (RFC 6120 §11).
  xmlBad("malformed XML mid-stream", "xml/malformed", "<message><body>x</message>", {
    spec: ["RFC6120-4.9.3.13", "RFC6120-4.9.1.1"],
  }),
  xmlBad(
    "oversize stanza (limit 512 bytes)",
    "xml/size-limit",
    `<message to='romeo@example.net'><body>${"x".repeat(600)}</body></message>`,
    { limits: { maxStanzaBytes: 512 } },
  ),
  xmlBad("comment", "xml/comment", "<!-- x -->"),
  xmlBad("processing instruction", "xml/processing-instruction", "<?pi x?>"),
  xmlBad("undefined entity", "xml/undefined-entity", "<message><body>&lol;</body></message>"),
  xmlBad(
    "nesting deeper than the limit (4)",
    "xml/depth-limit",
    "<message><a><b><c><d/></c></b></a></message>",
    { limits: { maxDepth: 4 } },
  ),
  xmlBad(
    "more attributes than the limit (8)",
    "xml/attribute-limit",
    "<message a='1' b='2' c='3' d='4' e='5' f='6' g='7' h='8' i='9'/>",
    { limits: { maxAttributes: 8 } },
  ),
  xmlBad("text between stanzas", "xml/text-at-stream-level", "hello"),
  xmlBad("undeclared prefix", "xml/unbound-prefix", "<x:message/>"),
  negative(
    "bytes that are not UTF-8",
    ["RFC6120-11.6"],
    "xml/invalid-utf8",
    bound({ peerHex: "3c6d6573736167653e3cfe3e" }),
    { flags: ["MalformedXml"] },
  ),
  // XEP-0198.
  negative(
    "<r/> without stream management",
    ["XEP0198-4.r"],
    "xmpp/sm-unexpected",
    bound(peer("<r xmlns='urn:xmpp:sm:3'/>")),
    { flags: ["StreamManagement"] },
  ),
  negative(
    "ack for stanzas the server never sent",
    ["XEP0198-4.too-high"],
    "xmpp/sm-handled-count-too-high",
    after(/<enable/, peer("<a xmlns='urn:xmpp:sm:3' h='1'/>")),
    { flags: ["StreamManagement"], ...SM },
  ),
  negative(
    "enable twice",
    ["XEP0198-3.enable"],
    "xmpp/sm-unexpected",
    after(/<enable/, peer("<enable xmlns='urn:xmpp:sm:3'/>")),
    { flags: ["StreamManagement"], ...SM },
  ),
  ...streamErrors,
  // Closing, misuse and timers.
  negative(
    "a stanza routed to a client that is not bound yet",
    ["PD-70"],
    "xmpp/invalid-input",
    replaceAt(AUTH, input({ type: "send", stanza: MSG })),
    {},
    "awaiting-auth",
  ),
  negative(
    "a stanza routed after the stream failed",
    ["RFC6120-4.4", "PD-70"],
    "xmpp/stream-closed",
    (
      steps,
    ) => [
      ...replaceAt(AUTH, peer("</stream:stream>"))(steps),
      input({ type: "send", stanza: MSG }),
    ],
  ),
  negative(
    "a stanza routed after the stream closed",
    ["RFC6120-4.4", "PD-70"],
    "xmpp/stream-closed",
    bound(
      input({ type: "close", condition: "system-shutdown" }),
      input({ type: "send", stanza: MSG }),
    ),
    {},
    "closed",
  ),
  negative(
    "client closes the stream during negotiation",
    ["RFC6120-4.4"],
    "xmpp/stream-closed",
    replaceAt(AUTH, peer("</stream:stream>")),
  ),
  negative(
    "transport lost during negotiation",
    ["RFC6120-4.6.1"],
    "xmpp/transport-closed",
    replaceAt(AUTH, input({ type: "transport-closed" })),
  ),
  negative(
    "negotiation takes longer than 30 s",
    ["RFC6120-4.9.3.4", "PD-78"],
    "xmpp/negotiation-timeout",
    replaceAt(AUTH, input({ type: "tick", now: 30_000 })),
  ),
  negative(
    "client never answers a ping",
    ["XEP0199-timeout"],
    "xmpp/ping-timeout",
    bound(input({ type: "tick", now: 1000 }), input({ type: "tick", now: 1500 })),
    { server: { ping: { intervalMs: 1000, timeoutMs: 500 } } },
  ),
];
