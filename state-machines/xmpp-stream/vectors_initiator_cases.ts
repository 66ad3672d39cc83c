/**
 * Vector scenarios for the initiator: valid negotiations, and a server that
 * misbehaves at every stage (headers, features, STARTTLS, SCRAM, binding,
 * stanzas, XML, XEP-0198, timers), each with the refusal it must cause.
 *
 * @module
 */
import { Element } from "ltx";
import { STREAM_CONDITIONS } from "./errors.ts";
import { chat, DOMAIN, FAKE_BINDING, iqGet } from "./testing.ts";
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
import type { ReplayStep } from "./replay.ts";
import type { Pair } from "./pair.ts";

const I = "initiator" as const;
const FULL = `juliet@${DOMAIN}/balcony`;
const FIRST = /<starttls/;
const TLS_FEATURES = /<mechanisms/;
const CHALLENGE = /<challenge/;
const SUCCESS = /<success/;
const BIND_FEATURES = /<stream:features><bind/;
const BIND_RESULT = /type="result"[^>]*><bind/;
const STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";

/** A session to resume: two stanzas were never acknowledged. */
export const RESUME_TOKEN = {
  id: "resume-0001",
  jid: FULL,
  inbound: 3,
  outbound: 5,
  acked: 3,
  unacked: [
    "<message to='romeo@example.net' id='u4'><body>4</body></message>",
    "<message to='romeo@example.net' id='u5'><body>5</body></message>",
  ],
};
/** A session whose counters are about to wrap. */
export const WRAP_TOKEN = {
  id: "wrap-0001",
  jid: FULL,
  inbound: 4294967294,
  outbound: 4294967294,
  acked: 4294967294,
  unacked: [],
};

const SM = {
  client: { streamManagement: { resume: true } },
  server: { streamManagement: { resume: true, max: 300 } },
};
const ENABLED = /<enabled/;

/** The stream header part of a header-plus-features step. */
const headerOf = (steps: ReplayStep[], re: RegExp): string => {
  const s = steps.find((x) => "peer" in x && re.test(x.peer)) as { peer: string };
  return s.peer.slice(0, s.peer.indexOf("<stream:features"));
};
/** Replaces the header-plus-features step matching `re` by its header and `rest`. */
const afterHeader = (re: RegExp, rest: string) => (steps: ReplayStep[]) =>
  replaceAt(re, peer(headerOf(steps, re) + rest))(steps);
/** Keeps everything through the bind result, then adds steps. */
const bound = (...extra: ReplayStep[]) => after(BIND_RESULT, ...extra);

const exchange = (p: Pair) => {
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "Wherefore art thou?") });
  p.serverInput({ type: "send", stanza: chat(FULL, "Here.") });
  p.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "v1") });
  p.serverInput({
    type: "send",
    stanza: new Element("iq", {
      type: "result",
      id: "v1",
      from: "romeo@example.net/garden",
      to: FULL,
    }),
  });
  p.clientInput({ type: "close" });
};

const MSG = "<message to='romeo@example.net'><body>x</body></message>";
const CLOSE = /^<\/stream:stream>$/;

export const INITIATOR_VALID: Scenario[] = [
  {
    comment: "server closes a bound stream; the client closes too",
    flags: ["Transcript", "Close"],
    spec: ["RFC6120-4.4"],
    role: I,
    script: (p) => p.serverInput({ type: "close" }),
    phase: "closed",
  },
  {
    comment: "client closes, reads a late stanza, then the server's close",
    flags: ["Transcript", "Close"],
    spec: ["RFC6120-4.4"],
    role: I,
    script: (p) => p.clientInput({ type: "close" }),
    mutate: (steps) => {
      const i = findPeer(steps, CLOSE);
      return [
        ...steps.slice(0, i),
        peer(`<message from='romeo@example.net/garden' to='${FULL}'><body>late</body></message>`),
        ...steps.slice(i),
      ];
    },
    phase: "closed",
  },
  {
    comment: "client closes and the server never answers: close timeout",
    flags: ["Close"],
    spec: ["RFC6120-4.4"],
    role: I,
    script: (p) => p.clientInput({ type: "close" }),
    mutate: replaceAt(CLOSE, input({ type: "tick", now: 5000 })),
    phase: "closed",
  },
  {
    comment: "client closes and the transport ends before the server's close",
    flags: ["Close"],
    spec: ["RFC6120-4.4"],
    role: I,
    script: (p) => p.clientInput({ type: "close" }),
    mutate: replaceAt(CLOSE, input({ type: "transport-closed" })),
    phase: "closed",
  },
  {
    comment: "client ends the stream with a stream error condition of its own",
    flags: ["Close"],
    spec: ["RFC6120-4.9.1.1"],
    role: I,
    script: (p) => p.clientInput({ type: "close", condition: "policy-violation" }),
    phase: "closed",
  },
  {
    comment: "SCRAM-SHA-256, bind, messages and an iq both ways, orderly close",
    flags: ["Transcript"],
    spec: [
      "RFC6120-4.2",
      "RFC6120-4.3.2",
      "RFC6120-5.4.2.1",
      "RFC6120-5.4.2.3",
      "RFC6120-6.4.6",
      "RFC6120-7.4",
      "RFC6120-7.7",
      "RFC6120-7.6.1",
      "RFC6120-4.3.6",
      "RFC6120-8.2",
      "RFC6120-8.2.3",
      "RFC6120-4.4",
    ],
    role: I,
    script: exchange,
    phase: "closed",
  },
  {
    comment: "SCRAM-SHA-1 by preference",
    flags: ["Transcript"],
    spec: ["RFC6120-6.3.3"],
    role: I,
    client: { mechanisms: ["SCRAM-SHA-1"] },
    phase: "bound",
  },
  {
    comment: "SCRAM-SHA-256-PLUS with tls-exporter binding",
    flags: ["Transcript", "ChannelBinding"],
    spec: ["RFC5802-6.plus"],
    role: I,
    tls: { channelBinding: FAKE_BINDING },
    phase: "bound",
  },
  {
    comment: "EXTERNAL with the client certificate's identity",
    flags: ["Transcript"],
    spec: ["RFC6120-6.3.4.external"],
    role: I,
    client: { password: undefined, clientCertificate: true },
    tls: { clientIdentities: [`juliet@${DOMAIN}`] },
    phase: "bound",
  },
  {
    comment: "PLAIN over TLS, enabled on both sides",
    flags: ["Transcript"],
    spec: ["RFC6120-13.8.plain"],
    role: I,
    client: { mechanisms: ["PLAIN"], plainEnabled: true },
    server: { plainEnabled: true },
    phase: "bound",
  },
  {
    comment: "server-generated resource",
    flags: ["Transcript"],
    spec: ["RFC6120-7.6"],
    role: I,
    client: { resource: undefined },
    phase: "bound",
  },
  {
    comment: "XEP-0198 enabled with resumption; acknowledgements both ways",
    flags: ["Transcript", "StreamManagement"],
    spec: ["XEP0198-2", "XEP0198-3.enable", "XEP0198-4.r", "XEP0198-4.count"],
    role: I,
    client: { streamManagement: { resume: true } },
    server: { streamManagement: { resume: true, max: 300 } },
    script: (p) => {
      for (let i = 0; i < 6; i++) {
        p.clientInput({ type: "send", stanza: chat("romeo@example.net", `m${i}`) });
      }
      for (let i = 0; i < 6; i++) p.serverInput({ type: "send", stanza: chat(FULL, `r${i}`) });
    },
    phase: "bound",
  },
  {
    comment: "XEP-0199 pings both ways",
    flags: ["Transcript", "Ping"],
    spec: ["XEP0199-ping", "XEP0199-pong"],
    role: I,
    client: { ping: { intervalMs: 1000, timeoutMs: 500 } },
    server: { ping: { intervalMs: 1000, timeoutMs: 500 } },
    script: (p) => {
      p.clientInput({ type: "tick", now: 1000 });
      p.serverInput({ type: "tick", now: 1200 });
      p.clientInput({ type: "tick", now: 1400 });
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
  role: I,
  mutate,
  error,
  phase,
  ...extra,
});

const streamErrors: Scenario[] = [...STREAM_CONDITIONS, "made-up-condition"].map((c) =>
  negative(
    `server sends stream error ${c} instead of features`,
    ["RFC6120-4.9.1.1", "RFC6120-4.9.2", "RFC6120-4.9.3"],
    `xmpp/${c === "made-up-condition" ? "undefined-condition" : c}`,
    afterHeader(FIRST, `<stream:error><${c} xmlns='${STREAMS}'/></stream:error></stream:stream>`),
    { flags: ["StreamError"] },
  )
);

const sasl = (f: (p: string) => string) => rewriteSasl(CHALLENGE, f);
const final = (f: (p: string) => string) => rewriteSasl(SUCCESS, f);
const xmlBad = (comment: string, error: string, text: string, extra: Partial<Scenario> = {}) =>
  negative(comment, ["RFC6120-11.1", "RFC6120-4.9.1.1"], error, bound(peer(text)), {
    flags: ["MalformedXml"],
    ...extra,
  });

export const INITIATOR_INVALID: Scenario[] = [
  // Response header (RFC 6120 §4.7, §4.8).
  negative(
    "stream header in a wrong stream namespace",
    ["RFC6120-4.8.1", "RFC6120-4.9.3.10"],
    "xmpp/invalid-namespace",
    rewrite(FIRST, (t) => t.replace("http://etherx.jabber.org/streams", "urn:example:wrong")),
  ),
  negative(
    "default namespace jabber:server on a client stream",
    ["RFC6120-4.8.2", "RFC6120-4.9.3.10"],
    "xmpp/invalid-namespace",
    rewrite(FIRST, (t) => t.replace("xmlns='jabber:client'", "xmlns='jabber:server'")),
  ),
  negative(
    "stream header version 0.9",
    ["RFC6120-4.7.5", "RFC6120-4.9.3.25"],
    "xmpp/unsupported-version",
    rewrite(FIRST, (t) => t.replace("' version='1.0'", "' version='0.9'")),
  ),
  negative(
    "stream header version 2.0",
    ["RFC6120-4.7.5", "RFC6120-4.9.3.25"],
    "xmpp/unsupported-version",
    rewrite(FIRST, (t) => t.replace("' version='1.0'", "' version='2.0'")),
  ),
  negative(
    "stream header without version",
    ["RFC6120-4.7.5", "RFC6120-4.9.3.25"],
    "xmpp/unsupported-version",
    rewrite(FIRST, (t) => t.replace("' version='1.0'", "'")),
  ),
  negative(
    "stream header without id",
    ["RFC6120-4.7.3"],
    "xmpp/invalid-stream-header",
    rewrite(FIRST, (t) => t.replace(/ id='[0-9a-f]+'/, "")),
  ),
  negative(
    "stream header from another domain",
    ["RFC6120-4.7.1"],
    "xmpp/wrong-peer-domain",
    rewrite(FIRST, (t) => t.replace(`from='${DOMAIN}'`, "from='evil.example'")),
  ),
  negative(
    "a message instead of stream features",
    ["RFC6120-4.3.2", "PD-71"],
    "xmpp/unexpected-element",
    afterHeader(FIRST, "<message><body>early</body></message>"),
  ),
  ...streamErrors,
  // STARTTLS (RFC 6120 §5).
  negative(
    "no STARTTLS offered (stripped by an attacker): mechanisms in the clear",
    ["RFC6120-5.3.1", "PD-76", "PD-71"],
    "xmpp/starttls-required",
    afterHeader(
      FIRST,
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
    ),
    { flags: ["Downgrade"] },
  ),
  negative(
    "no STARTTLS offered: empty features",
    ["RFC6120-5.3.1", "PD-76", "PD-71"],
    "xmpp/starttls-required",
    afterHeader(FIRST, "<stream:features/>"),
    { flags: ["Downgrade"] },
  ),
  negative(
    "STARTTLS answered with failure",
    ["RFC6120-5.4.2.2"],
    "xmpp/tls-failed",
    replaceAt(
      /<proceed/,
      peer("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>"),
    ),
  ),
  negative(
    "STARTTLS answered with a SASL success",
    ["RFC6120-5.4.2.3"],
    "xmpp/unexpected-element",
    replaceAt(/<proceed/, peer("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")),
  ),
  negative(
    "plaintext injected after proceed in the same read",
    ["RFC6120-5.4.3.3", "PD-76"],
    "xmpp/data-after-restart",
    rewrite(/<proceed/, (t) => t + "<message><body>injected</body></message>"),
    { flags: ["Injection"] },
  ),
  negative(
    "STARTTLS offered again after TLS",
    ["RFC6120-5.4.3.3", "PD-76"],
    "xmpp/tls-downgrade",
    afterHeader(
      TLS_FEATURES,
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256</mechanism></mechanisms></stream:features>",
    ),
    { flags: ["Downgrade"] },
  ),
  negative(
    "STARTTLS required again after TLS",
    ["RFC6120-5.4.3.3", "PD-76"],
    "xmpp/tls-downgrade",
    afterHeader(
      TLS_FEATURES,
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
    ),
    { flags: ["Downgrade"] },
  ),
  // SASL (RFC 6120 §6, RFC 5802).
  negative(
    "no mechanisms after TLS",
    ["RFC6120-6.3.1"],
    "xmpp/sasl-required",
    afterHeader(
      TLS_FEATURES,
      "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>",
    ),
  ),
  negative(
    "only PLAIN offered and PLAIN not enabled",
    ["RFC6120-6.3.3", "RFC6120-13.8.plain"],
    "sasl/mechanism-too-weak",
    afterHeader(
      TLS_FEATURES,
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
    ),
    { flags: ["Downgrade"] },
  ),
  negative(
    "only an unknown mechanism offered",
    ["RFC6120-6.3.3"],
    "sasl/no-acceptable-mechanism",
    afterHeader(
      TLS_FEATURES,
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>X-UNKNOWN</mechanism></mechanisms></stream:features>",
    ),
  ),
  negative(
    "server nonce with the client's part changed",
    ["RFC5802-5.1.r"],
    "sasl/nonce-mismatch",
    sasl((p) => p.replace(/^r=(.)/, (_, c) => `r=${c === "A" ? "B" : "A"}`)),
    { flags: ["Scram"] },
  ),
  negative(
    "server nonce that does not extend the client nonce",
    ["RFC5802-5.1.r"],
    "sasl/nonce-mismatch",
    sasl((p) => p.replace(/^r=[^,]*,/, "r=completely-different-nonce,")),
    { flags: ["Scram"] },
  ),
  negative(
    "iteration count 1000 below the 4096 minimum",
    ["RFC7677-4", "PD-42"],
    "sasl/iterations-too-low",
    sasl((p) => p.replace("i=4096", "i=1000")),
    { flags: ["Scram"] },
  ),
  negative(
    "iteration count 1",
    ["RFC7677-4", "PD-42"],
    "sasl/iterations-too-low",
    sasl((p) => p.replace("i=4096", "i=1")),
    { flags: ["Scram"] },
  ),
  negative(
    "iteration count 100000000 above the maximum",
    ["PD-42"],
    "sasl/iterations-too-high",
    sasl((p) => p.replace("i=4096", "i=100000000")),
    { flags: ["Scram"] },
  ),
  negative(
    "challenge that is not base64",
    ["RFC6120-6.4.3"],
    "sasl/invalid-base64",
    rewrite(CHALLENGE, (t) => t.replace(/>[^<]+</, ">not*base64<")),
    { flags: ["Scram"] },
  ),
  negative(
    "server-first without salt",
    ["RFC5802-7.server-first"],
    "sasl/malformed-message",
    sasl((p) => p.replace(/,s=[^,]*/, "")),
    { flags: ["Scram"] },
  ),
  negative(
    "server-first with a mandatory extension",
    ["RFC5802-5.1.m"],
    "sasl/unknown-extension",
    sasl((p) => "m=ext," + p),
    { flags: ["Scram"] },
  ),
  negative(
    "empty challenge",
    ["RFC5802-7.server-first"],
    "sasl/malformed-message",
    rewrite(CHALLENGE, (t) => t.replace(/>[^<]+<\/challenge>/, "/>")),
    { flags: ["Scram"] },
  ),
  negative(
    "server signature changed",
    ["RFC5802-5.v", "RFC6120-6.3.10", "PD-71"],
    "sasl/bad-server-signature",
    final((p) => p.replace(/^v=(.)/, (_, c) => `v=${c === "A" ? "B" : "A"}`)),
    { flags: ["Scram"] },
  ),
  negative(
    "success without server-final-message",
    ["RFC6120-6.3.10"],
    "sasl/bad-server-signature",
    rewrite(SUCCESS, () => "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"),
    { flags: ["Scram"] },
  ),
  negative(
    "server-final reporting e=invalid-proof inside success",
    ["RFC5802-7.e"],
    "sasl/server-invalid-proof",
    final(() => "e=invalid-proof"),
    { flags: ["Scram"] },
  ),
  negative(
    "server-final reporting an unknown e= value",
    ["RFC5802-7.e"],
    "sasl/server-other-error",
    final(() => "e=something-else"),
    { flags: ["Scram"] },
  ),
  negative(
    "success before any challenge",
    ["RFC6120-6.4.6"],
    "xmpp/unexpected-element",
    replaceAt(
      CHALLENGE,
      peer("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1hYmM=</success>"),
    ),
    { flags: ["Scram"] },
  ),
  negative(
    "failure not-authorized",
    ["RFC6120-6.4.5", "RFC6120-6.5"],
    "sasl/not-authorized",
    replaceAt(
      CHALLENGE,
      peer("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"),
    ),
  ),
  negative(
    "failure temporary-auth-failure",
    ["RFC6120-6.5"],
    "xmpp/sasl-failed",
    replaceAt(
      CHALLENGE,
      peer("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><temporary-auth-failure/></failure>"),
    ),
  ),
  negative(
    "failure account-disabled after the proof",
    ["RFC6120-6.5"],
    "xmpp/sasl-failed",
    replaceAt(
      SUCCESS,
      peer(
        "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><account-disabled/><text>closed</text></failure>",
      ),
    ),
  ),
  negative(
    "failure encryption-required",
    ["RFC6120-6.5"],
    "xmpp/starttls-required",
    replaceAt(
      CHALLENGE,
      peer("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><encryption-required/></failure>"),
    ),
  ),
  negative(
    "failure malformed-request",
    ["RFC6120-6.5"],
    "sasl/malformed-message",
    replaceAt(
      CHALLENGE,
      peer("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><malformed-request/></failure>"),
    ),
  ),
  // After SASL: restart and binding (RFC 6120 §4.3.3, §7).
  negative(
    "restart header without id",
    ["RFC6120-4.7.3"],
    "xmpp/invalid-stream-header",
    rewrite(BIND_FEATURES, (t) => t.replace(/ id='[0-9a-f]+'/, "")),
  ),
  negative(
    "no resource binding offered after SASL",
    ["RFC6120-7.3.1"],
    "xmpp/bind-unavailable",
    afterHeader(BIND_FEATURES, "<stream:features/>"),
  ),
  negative(
    "bind result for another account",
    ["RFC6120-7.6.1"],
    "xmpp/bind-wrong-jid",
    rewrite(BIND_RESULT, (t) => t.replace(FULL, `romeo@${DOMAIN}/balcony`)),
    { flags: ["WrongJid"] },
  ),
  negative(
    "bind result with a bare JID",
    ["RFC6120-7.6.1"],
    "xmpp/bind-wrong-jid",
    rewrite(BIND_RESULT, (t) => t.replace(FULL, `juliet@${DOMAIN}`)),
    { flags: ["WrongJid"] },
  ),
  negative(
    "bind result in another domain",
    ["RFC6120-7.6.1"],
    "xmpp/bind-wrong-jid",
    rewrite(BIND_RESULT, (t) => t.replace(FULL, "juliet@evil.example/balcony")),
    { flags: ["WrongJid"] },
  ),
  negative(
    "bind result with an invalid JID",
    ["RFC6120-7.6.1"],
    "xmpp/bind-wrong-jid",
    rewrite(BIND_RESULT, (t) => t.replace(FULL, "juliet@@example.net/x")),
    { flags: ["WrongJid"] },
  ),
  negative(
    "bind result without a jid",
    ["RFC6120-7.6.1"],
    "xmpp/bind-failed",
    rewrite(BIND_RESULT, (t) => t.replace(/<jid>[^<]*<\/jid>/, "")),
  ),
  negative(
    "bind refused with conflict",
    ["RFC6120-7.7.2.2", "RFC6120-7.7.2", "RFC6120-7.6.2"],
    "xmpp/bind-failed",
    rewrite(BIND_RESULT, (t) =>
      t.replace(
        /type="result"(.*)<bind.*<\/bind>/,
        `type="error"$1<error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`,
      )),
  ),
  negative(
    "a message before the bind result",
    ["RFC6120-7.1"],
    "xmpp/unexpected-element",
    replaceAt(
      BIND_RESULT,
      peer("<message from='romeo@example.net/garden'><body>too early</body></message>"),
    ),
  ),
  // Bound: stanzas (RFC 6120 §8).
  negative(
    "unknown first-level element",
    ["RFC6120-4.9.3.24"],
    "xmpp/unexpected-element",
    bound(peer("<foo xmlns='urn:example:foo'/>")),
  ),
  negative(
    "a nested stream header",
    ["RFC6120-4.9.3.24"],
    "xmpp/unexpected-element",
    bound(peer("<stream:stream/>")),
  ),
  negative(
    "iq result with an unknown id",
    ["RFC6120-8.2.3", "PD-75"],
    "xmpp/iq-unknown-id",
    bound(peer(`<iq type='result' id='nobody-asked' from='${DOMAIN}'/>`)),
    {},
    "bound",
  ),
  negative(
    "iq result from an address the request did not go to",
    ["PD-75"],
    "xmpp/iq-wrong-responder",
    bound(
      input({
        type: "send",
        stanza:
          "<iq type='get' id='v9' to='romeo@example.net/garden'><query xmlns='jabber:iq:version'/></iq>",
      }),
      peer("<iq type='result' id='v9' from='mallory@example.net/x'/>"),
    ),
    {},
    "bound",
  ),
  negative(
    "the same iq request id twice from one sender",
    ["PD-75"],
    "xmpp/iq-duplicate-id",
    bound(
      peer(
        "<iq type='get' id='d1' from='romeo@example.net/garden'><query xmlns='jabber:iq:version'/></iq>",
      ),
      peer(
        "<iq type='get' id='d1' from='romeo@example.net/garden'><query xmlns='jabber:iq:version'/></iq>",
      ),
    ),
    {},
    "bound",
  ),
  negative(
    "iq get with two payload children",
    ["RFC6120-8.2.3", "RFC6120-8.3.3.1"],
    "xmpp/invalid-stanza",
    bound(
      peer(
        "<iq type='get' id='t2' from='romeo@example.net/garden'><a xmlns='x'/><b xmlns='y'/></iq>",
      ),
    ),
    {},
    "bound",
  ),
  negative(
    "iq result without id",
    ["RFC6120-8.1.3"],
    "xmpp/invalid-stanza",
    bound(peer(`<iq type='result' from='${DOMAIN}'/>`)),
    {},
    "bound",
  ),
  negative(
    "iq of type bogus",
    ["RFC6120-8.2.3"],
    "xmpp/invalid-stanza",
    bound(peer(`<iq type='bogus' id='b1' from='${DOMAIN}'/>`)),
    {},
    "bound",
  ),
  // Bound: malformed or restricted XML mid-stream (RFC 6120 §11).
  xmlBad(
    "malformed XML mid-stream (mismatched end tag)",
    "xml/malformed",
    "<message><body>x</message>",
    { spec: ["RFC6120-4.9.3.13", "RFC6120-4.9.1.1"] },
  ),
  xmlBad(
    "oversize stanza (limit 512 bytes)",
    "xml/size-limit",
    `<message><body>${"x".repeat(600)}</body></message>`,
    { limits: { maxStanzaBytes: 512 } },
  ),
  xmlBad("comment mid-stream", "xml/comment", "<!-- hello -->"),
  xmlBad("processing instruction mid-stream", "xml/processing-instruction", "<?evil?>"),
  xmlBad(
    "entity reference other than the predefined five",
    "xml/undefined-entity",
    "<message><body>&ent;</body></message>",
  ),
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
  xmlBad("undeclared namespace prefix", "xml/unbound-prefix", "<x:message/>"),
  negative(
    "bytes that are not UTF-8 mid-stream",
    ["RFC6120-11.6"],
    "xml/invalid-utf8",
    bound({ peerHex: "3c6d6573736167653e3cff3e" }),
    { flags: ["MalformedXml"] },
  ),
  // XEP-0198 without and with stream management.
  negative(
    "<r/> without stream management",
    ["XEP0198-4.r"],
    "xmpp/sm-unexpected",
    bound(peer("<r xmlns='urn:xmpp:sm:3'/>")),
    { flags: ["StreamManagement"] },
  ),
  negative(
    "<a/> without stream management",
    ["XEP0198-4.ack"],
    "xmpp/sm-unexpected",
    bound(peer("<a xmlns='urn:xmpp:sm:3' h='0'/>")),
    { flags: ["StreamManagement"] },
  ),
  ...smCases(),
  // Closing, misuse and timers.
  negative(
    "a stanza sent before the stream is bound",
    ["PD-70"],
    "xmpp/invalid-input",
    replaceAt(CHALLENGE, input({ type: "send", stanza: MSG })),
    {},
    "authenticating",
  ),
  negative(
    "a stanza sent after the stream failed",
    ["RFC6120-4.4", "PD-70"],
    "xmpp/stream-closed",
    (
      steps,
    ) => [
      ...replaceAt(CHALLENGE, peer("</stream:stream>"))(steps),
      input({ type: "send", stanza: MSG }),
    ],
  ),
  negative(
    "a stanza sent after the stream closed",
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
    "server closes the stream during negotiation",
    ["RFC6120-4.4"],
    "xmpp/stream-closed",
    replaceAt(CHALLENGE, peer("</stream:stream>")),
  ),
  negative(
    "transport lost during negotiation",
    ["RFC6120-4.6.1"],
    "xmpp/transport-closed",
    replaceAt(CHALLENGE, input({ type: "transport-closed" })),
  ),
  negative(
    "negotiation takes longer than 30 s",
    ["RFC6120-4.9.3.4", "PD-78"],
    "xmpp/negotiation-timeout",
    replaceAt(CHALLENGE, input({ type: "tick", now: 30_000 })),
  ),
  negative(
    "ping unanswered for longer than the timeout",
    ["XEP0199-timeout"],
    "xmpp/ping-timeout",
    bound(input({ type: "tick", now: 1000 }), input({ type: "tick", now: 1500 })),
    { client: { ping: { intervalMs: 1000, timeoutMs: 500 } } },
  ),
  negative(
    "see-other-host before TLS is not followed",
    ["RFC6120-4.9.3.19", "PD-73"],
    "xmpp/see-other-host",
    afterHeader(
      FIRST,
      `<stream:error><see-other-host xmlns='${STREAMS}'>evil.example</see-other-host></stream:error>`,
    ),
    { flags: ["StreamError", "Redirect"] },
  ),
  negative(
    "see-other-host after TLS is handed to the adapter",
    ["RFC6120-4.9.3.19", "PD-73"],
    "xmpp/see-other-host",
    afterHeader(
      TLS_FEATURES,
      `<stream:error><see-other-host xmlns='${STREAMS}'>xmpp2.example.net:5222</see-other-host></stream:error>`,
    ),
    { flags: ["StreamError", "Redirect"] },
  ),
];

function smCases(): Scenario[] {
  const sm = (
    comment: string,
    spec: string[],
    error: string,
    mutate: Scenario["mutate"],
    phase = "failed",
    extra: Partial<Scenario> = {},
  ) =>
    negative(comment, spec, error, mutate, { flags: ["StreamManagement"], ...SM, ...extra }, phase);
  return [
    sm(
      "ack for more stanzas than were sent",
      ["XEP0198-4.too-high"],
      "xmpp/sm-handled-count-too-high",
      after(
        ENABLED,
        input({ type: "send", stanza: "<message to='romeo@example.net'><body>1</body></message>" }),
        peer("<a xmlns='urn:xmpp:sm:3' h='2'/>"),
      ),
    ),
    sm(
      "ack with h that is not a number",
      ["XEP0198-4.h"],
      "xmpp/sm-unexpected",
      after(ENABLED, peer("<a xmlns='urn:xmpp:sm:3' h='one'/>")),
    ),
    sm(
      "ack with h of 2^32",
      ["XEP0198-4.h", "XEP0198-4.wrap"],
      "xmpp/sm-unexpected",
      after(ENABLED, peer("<a xmlns='urn:xmpp:sm:3' h='4294967296'/>")),
    ),
    sm(
      "ack going backwards (h below the last one)",
      ["XEP0198-4.wrap", "XEP0198-4.too-high"],
      "xmpp/sm-handled-count-too-high",
      after(
        ENABLED,
        input({ type: "send", stanza: "<message to='romeo@example.net'><body>1</body></message>" }),
        peer("<a xmlns='urn:xmpp:sm:3' h='1'/>"),
        peer("<a xmlns='urn:xmpp:sm:3' h='0'/>"),
      ),
    ),
    sm(
      "enable refused with failed",
      ["XEP0198-3.failed"],
      "xmpp/sm-enable-failed",
      replaceAt(
        ENABLED,
        peer(
          "<failed xmlns='urn:xmpp:sm:3'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
        ),
      ),
      "bound",
    ),
    sm(
      "resumption refused: fresh bind follows",
      ["XEP0198-5.failed"],
      "xmpp/sm-resume-failed",
      undefined,
      "bound",
      { client: { ...SM.client, resumeFrom: RESUME_TOKEN } },
    ),
    sm(
      "resumed with another previd",
      ["XEP0198-5.resume"],
      "xmpp/sm-unexpected",
      rewrite(/<resumed/, (t) => t.replace(/previd="[^"]*"/, `previd="someone-else"`)),
      "failed",
      {
        client: { ...SM.client, resumeFrom: RESUME_TOKEN },
        server: { ...SM.server, resumable: { [RESUME_TOKEN.id]: RESUME_TOKEN } },
      },
    ),
    sm(
      "resumed acknowledging more than was ever sent",
      ["XEP0198-4.too-high", "XEP0198-5.resume"],
      "xmpp/sm-handled-count-too-high",
      rewrite(/<resumed/, (t) => t.replace(/ h="[0-9]+"/, ` h="9"`)),
      "failed",
      {
        client: { ...SM.client, resumeFrom: RESUME_TOKEN },
        server: { ...SM.server, resumable: { [RESUME_TOKEN.id]: RESUME_TOKEN } },
      },
    ),
    sm(
      "acknowledgement behind the counter across the 2^32 wrap",
      ["XEP0198-4.wrap", "XEP0198-4.too-high"],
      "xmpp/sm-handled-count-too-high",
      after(
        /<resumed/,
        input({ type: "send", stanza: "<message to='romeo@example.net'><body>w</body></message>" }),
        peer("<a xmlns='urn:xmpp:sm:3' h='4294967200'/>"),
      ),
      "failed",
      {
        client: { ...SM.client, resumeFrom: WRAP_TOKEN },
        server: { ...SM.server, resumable: { [WRAP_TOKEN.id]: WRAP_TOKEN } },
      },
    ),
  ];
}

export const INITIATOR_VALID_SM: Scenario[] = [
  {
    comment: "XEP-0198 resumption: unacknowledged stanzas resent",
    flags: ["Transcript", "StreamManagement"],
    spec: ["XEP0198-5.resume", "XEP0198-5.resend"],
    role: I,
    ...SM,
    client: { ...SM.client, resumeFrom: RESUME_TOKEN },
    server: {
      ...SM.server,
      resumable: { [RESUME_TOKEN.id]: { ...RESUME_TOKEN, unacked: [], inbound: 3, outbound: 3 } },
    },
    phase: "bound",
  },
  {
    comment: "XEP-0198 counters wrap at 2^32 and acknowledgements continue",
    flags: ["Transcript", "StreamManagement", "CounterWrap"],
    spec: ["XEP0198-4.wrap"],
    role: I,
    ...SM,
    client: { ...SM.client, resumeFrom: WRAP_TOKEN },
    server: { ...SM.server, resumable: { [WRAP_TOKEN.id]: WRAP_TOKEN } },
    script: (p) => {
      for (let i = 0; i < 7; i++) {
        p.clientInput({ type: "send", stanza: chat("romeo@example.net", `w${i}`) });
      }
      for (let i = 0; i < 7; i++) p.serverInput({ type: "send", stanza: chat(FULL, `v${i}`) });
    },
    phase: "bound",
  },
];
