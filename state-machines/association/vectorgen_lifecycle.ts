/**
 * Positive lifecycle scenarios: conclude, aborts, presence loss, pings,
 * timeouts (one transcript per role each), and the loss of the
 * association in every live phase by every signal (client only).
 *
 * @module
 */
import { CLIENT_JID, OTHER_JID, presence, SERVER_JID, T0 } from "./testing.ts";
import {
  associated,
  CLIENT_SETTINGS,
  type Positive,
  selected,
  SERVER_SETTINGS,
} from "./vectorgen_scenarios.ts";
import { type Scenario, scenario } from "./vectorgen_tools.ts";
import { pduText } from "./xer.ts";

const ask = (sc: Scenario, request: Parameters<Scenario["client"]>[0] & { type: "request" }) =>
  sc.client(request);

export const LIFECYCLE: Positive[] = [
  {
    comment: "conclude",
    spec: ["IEC61850-CONCLUDE", "PD-146"],
    build: () => {
      const sc = associated();
      sc.client({ type: "conclude" });
      return sc;
    },
  },
  {
    comment: "associate again after conclude",
    spec: ["IEC61850-ASSOCIATE", "IEC61850-CONCLUDE"],
    build: () => {
      const sc = associated();
      sc.client({ type: "conclude" });
      sc.client({ type: "associate" });
      return sc;
    },
  },
  {
    comment: "client aborts with a request outstanding",
    spec: ["PD-146"],
    build: () => {
      const sc = associated();
      ask(sc, { type: "request", request: { service: "select", control: "DER1/CSWI1.Pos" } });
      sc.client({ type: "abort" });
      return sc;
    },
  },
  {
    comment: "the DER aborts with an indication unanswered",
    spec: ["PD-146"],
    build: () => {
      const sc = associated();
      ask(sc, { type: "request", request: { service: "select", control: "DER1/CSWI1.Pos" } });
      sc.server({ type: "abort" });
      return sc;
    },
  },
  {
    comment: "presence unavailable from the DER: abort at once, pending requests fail",
    spec: ["PAPER-MAP3", "PD-149"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" }] },
      });
      ask(sc, { type: "request", request: { service: "select", control: "DER1/CSWI1.Pos" } });
      sc.client({ type: "presence", stanza: presence(SERVER_JID, "unavailable") });
      sc.server({ type: "presence", stanza: presence(CLIENT_JID, "unavailable") });
      return sc;
    },
  },
  {
    comment: "the DER comes back: no resurrection, a new associate is needed",
    spec: ["PAPER-MAP3", "PD-149"],
    build: () => {
      const sc = associated();
      sc.client({ type: "presence", stanza: presence(SERVER_JID, "unavailable") });
      sc.server({ type: "presence", stanza: presence(CLIENT_JID, "unavailable") });
      sc.client({ type: "presence", stanza: presence(SERVER_JID) });
      sc.client({ type: "associate" });
      return sc;
    },
  },
  {
    comment: "the stream reports its XEP-0199 ping timed out: the association is lost",
    spec: ["XEP0199-4.4", "PD-150"],
    build: () => {
      const sc = associated();
      sc.client({ type: "ping-timeout" });
      sc.server({ type: "ping-timeout" });
      return sc;
    },
  },
  {
    comment: "the A-profile session under the association ends: the association is lost",
    spec: ["PD-140"],
    build: () => {
      const sc = associated();
      sc.client({ type: "session-lost" });
      sc.server({ type: "session-lost" });
      return sc;
    },
  },
  {
    comment: "association ping answered, then unanswered",
    spec: ["XEP0199-4.4", "PD-150"],
    build: () => {
      const ping = { intervalMs: 30_000, timeoutMs: 5_000 };
      const sc = associated(
        { ...CLIENT_SETTINGS, ping } as typeof CLIENT_SETTINGS,
        { ...SERVER_SETTINGS, ping } as typeof SERVER_SETTINGS,
      );
      sc.p.now = T0 + 30_000;
      sc.client({ type: "tick" });
      sc.client({ type: "pong", id: "p1", from: SERVER_JID });
      sc.server({ type: "tick" });
      sc.server({ type: "pong", id: "p1", from: CLIENT_JID });
      sc.p.now = T0 + 60_000;
      sc.client({ type: "tick" });
      sc.server({ type: "tick" });
      sc.p.now = T0 + 65_000;
      sc.client({ type: "tick" });
      sc.server({ type: "tick" });
      return sc;
    },
  },
  {
    comment: "a request times out",
    spec: ["PD-145"],
    build: () => {
      const sc = associated();
      ask(sc, {
        type: "request",
        request: { service: "read", items: [{ ref: "DER1/MMXU1.TotW", fc: "MX" }] },
        timeoutMs: 2_000,
      });
      sc.p.now = T0 + 2_000;
      sc.client({ type: "tick" });
      return sc;
    },
  },
  {
    comment: "the select times out on both ends",
    spec: ["IEC61850-SBO-TIMEOUT", "PD-147"],
    build: () => {
      const sc = selected(associated());
      sc.p.now = T0 + 30_000;
      sc.client({ type: "tick" });
      sc.server({ type: "tick" });
      return sc;
    },
  },
  {
    comment: "presence from other addresses is ignored and counted",
    spec: ["PD-149"],
    build: () => {
      const sc = associated();
      sc.client({ type: "presence", stanza: presence(OTHER_JID, "unavailable") });
      sc.server({ type: "presence", stanza: presence(OTHER_JID, "unavailable") });
      sc.client({ type: "presence", stanza: presence(SERVER_JID) });
      sc.server({ type: "presence", stanza: presence(CLIENT_JID) });
      return sc;
    },
  },
];

/** The association lost in each live phase by each signal: client transcripts only. */
export function clientLosses(): Positive[] {
  const phases: [string, () => Scenario][] = [
    ["while associating", () => {
      const sc = scenario(CLIENT_SETTINGS, SERVER_SETTINGS);
      sc.p.deliver = false;
      sc.client({ type: "associate" });
      return sc;
    }],
    ["while associated", () => associated()],
    ["while concluding", () => {
      const sc = associated();
      sc.p.deliver = false;
      sc.client({ type: "conclude" });
      return sc;
    }],
  ];
  const signals: [string, (sc: Scenario) => void][] = [
    [
      "presence unavailable",
      (sc) => sc.client({ type: "presence", stanza: presence(SERVER_JID, "unavailable") }),
    ],
    ["stream ping timeout", (sc) => sc.client({ type: "ping-timeout" })],
    ["A-profile session lost", (sc) => sc.client({ type: "session-lost" })],
    [
      "abort PDU from the DER",
      (sc) =>
        sc.client({
          type: "pdu",
          data: abortPdu(),
          carriage: { kind: "message" },
          from: SERVER_JID,
        }),
    ],
    ["local abort", (sc) => sc.client({ type: "abort" })],
  ];
  const out: Positive[] = phases.flatMap(([when, setup]) =>
    signals.map(([what, signal]) => ({
      comment: `${what} ${when}`,
      spec: ["PAPER-MAP3", "PD-146", "PD-149", "PD-150", "PD-140"],
      build: () => {
        const sc = setup();
        sc.p.deliver = false;
        signal(sc);
        return sc;
      },
    }))
  );
  out.push({
    comment: "conclude unanswered: the association is aborted",
    spec: ["PD-145", "PD-146"],
    build: () => {
      const sc = phases[2][1]();
      sc.client({ type: "tick", now: T0 + 30_000 });
      return sc;
    },
  });
  return out;
}

const abortPdu = () => new TextEncoder().encode(pduText({ kind: "abort", reason: "user" }));
