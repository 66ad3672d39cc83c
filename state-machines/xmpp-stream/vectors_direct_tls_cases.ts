/**
 * Vector scenarios for direct TLS (XEP-0368), both roles: TLS is up before
 * the first stream, so negotiation starts at the TLS stage and STARTTLS
 * never appears; a peer that brings STARTTLS back, or TLS reported once the
 * stream has started in the clear, is refused.
 *
 * @module
 */
import { Element } from "ltx";
import { chat, DOMAIN, FAKE_BINDING, iqGet } from "./testing.ts";
import { peer, replaceAt, rewrite, type Scenario } from "./stream_vectors.ts";
import type { Pair } from "./pair.ts";

const FULL = `juliet@${DOMAIN}/balcony`;
const SPEC = ["XEP0368-3.direct", "XEP0368-3.no-starttls", "PD-105"];
const TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";

const exchange = (p: Pair) => {
  p.clientInput({ type: "send", stanza: chat("romeo@example.net", "Wherefore art thou?") });
  p.serverInput({ type: "send", stanza: chat(FULL, "Here.") });
  p.clientInput({ type: "send", stanza: iqGet("romeo@example.net/garden", "d1") });
  p.serverInput({
    type: "send",
    stanza: new Element("iq", { type: "result", id: "d1", from: "romeo@example.net/garden" }),
  });
  p.clientInput({ type: "close" });
};

const direct = (s: Omit<Scenario, "directTls" | "flags"> & { flags?: string[] }): Scenario => ({
  ...s,
  flags: ["DirectTls", ...(s.flags ?? [])],
  directTls: true,
});

export const DIRECT_TLS_INITIATOR_VALID: Scenario[] = [
  direct({
    comment: "direct TLS: SCRAM-SHA-256 on the first stream, bind, messages and an iq, close",
    flags: ["Transcript"],
    spec: [...SPEC, "RFC6120-4.7.1", "RFC6120-6.4.6", "RFC6120-7.6.1", "RFC6120-8.2"],
    role: "initiator",
    script: exchange,
    phase: "closed",
  }),
  direct({
    comment: "direct TLS with tls-exporter binding: SCRAM-SHA-256-PLUS",
    flags: ["Transcript", "ChannelBinding"],
    spec: [...SPEC, "RFC5802-6.plus"],
    role: "initiator",
    tls: { channelBinding: FAKE_BINDING },
    phase: "bound",
  }),
];

export const DIRECT_TLS_RECEIVER_VALID: Scenario[] = [
  direct({
    comment: "direct TLS: mechanisms offered on the first stream, bind, stanzas, close",
    flags: ["Transcript"],
    spec: [...SPEC, "RFC6120-6.3.4", "RFC6120-7.4", "RFC6120-8.1.2.1"],
    role: "receiver",
    script: exchange,
    phase: "closed",
  }),
  direct({
    comment: "direct TLS: EXTERNAL with the client certificate's identity given before the header",
    flags: ["Transcript"],
    spec: [...SPEC, "RFC6120-6.3.4.external"],
    role: "receiver",
    client: { password: undefined, clientCertificate: true },
    tls: { clientIdentities: [`juliet@${DOMAIN}`] },
    phase: "bound",
  }),
];

export const DIRECT_TLS_INITIATOR_INVALID: Scenario[] = [
  direct({
    comment: "the server offers STARTTLS on a direct TLS connection",
    flags: ["Downgrade"],
    spec: [...SPEC, "PD-76"],
    role: "initiator",
    mutate: rewrite(
      /<mechanisms/,
      (t) =>
        t.replace(
          "<stream:features>",
          `<stream:features><starttls xmlns='${TLS_NS}'><required/></starttls>`,
        ),
    ),
    error: "xmpp/tls-downgrade",
    phase: "failed",
  }),
  direct({
    comment: "TLS reported twice before start: the second report is refused, the stream goes on",
    spec: ["PD-70", "PD-105"],
    role: "initiator",
    mutate: (steps) => [steps[0], ...steps],
    error: "xmpp/invalid-input",
    phase: "bound",
  }),
];

export const DIRECT_TLS_RECEIVER_INVALID: Scenario[] = [
  direct({
    comment: "the client asks for STARTTLS on a direct TLS connection",
    flags: ["Downgrade"],
    spec: [...SPEC, "PD-74"],
    role: "receiver",
    mutate: replaceAt(/<auth /, peer(`<starttls xmlns='${TLS_NS}'/>`)),
    error: "xmpp/unexpected-element",
    phase: "failed",
  }),
  direct({
    comment:
      "TLS reported after the client's first plain header is refused; the stream stays plain",
    spec: ["PD-70", "PD-105"],
    role: "receiver",
    mutate: (steps) => [steps[1], steps[0]],
    error: "xmpp/invalid-input",
    phase: "awaiting-starttls",
  }),
];
