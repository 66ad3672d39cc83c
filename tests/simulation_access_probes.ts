/**
 * What the access tests do to a running scenario, on any network (the
 * in-memory router in tests/simulation_access_test.ts, a private Prosody in
 * tests/interop/access_fleet_test.ts): extra sessions that try what the
 * access option forbids, once every DER has joined and before the red light.
 *
 * - Option 1: a second session of a DER addresses another DER, publishes to
 *   the tariff node and joins another group's room; each comes back as an
 *   error stanza with the ACL's code.
 * - Option 2: an account the ACL does not list logs in with a login token
 *   the operator signed, then a DER presents another DER's token; the
 *   operator refuses both.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { SimulationOptions } from "../simulation/options.ts";
import { allPassed, checkLines } from "../simulation/report.ts";
import {
  type NetworkFactory,
  runScenario,
  type ScenarioResult,
  START,
} from "../simulation/scenario.ts";
import type { Link, Network, NetworkSetup } from "../simulation/network.ts";
import { groupName } from "../simulation/context.ts";
import { TARIFF_NODE } from "../simulation/scenario_acl.ts";
import { joinPresence } from "../state-machines/muc/stanzas.ts";
import type { Xel } from "../state-machines/xmpp-stream/messages.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
/** When the probes start, as a share of the run: every DER joined, the red light not yet. */
const PROBE_SHARE = 0.35;

/** What Option 1 must answer the three forbidden stanzas: [stanza, condition, code]. */
export const ACL_REFUSALS = [
  ["iq", "forbidden", "acl/publish-denied"],
  ["message", "forbidden", "acl/address-denied"],
  ["presence", "forbidden", "acl/room-denied"],
];

/** What the operator answers the two forbidden logins under Option 2, in order. */
export const LOGIN_REFUSALS = ["operator-auth/not-listed", "operator-auth/wrong-account"];

/** A probe session: what it heard, whether it logged in, how it ended. */
export interface Probe {
  readonly heard: Xel[];
  up?: boolean;
  ended?: string;
  link?: Link;
}

/** Starts a session of `account` (with `token` under Option 2); `onUp` runs once bound. */
export function probeSession(
  net: Network,
  account: string,
  token?: string,
  onUp: (p: Probe) => void = () => {},
  onEnd: () => void = () => {},
): Probe {
  const p: Probe = { heard: [] };
  p.link = net.connect(account, "probe", {
    established: () => {
      p.up = true;
      onUp(p);
    },
    stanza: (x) => p.heard.push(x),
    closed: (reason) => {
      p.up ??= false;
      p.ended = reason;
      onEnd();
    },
  }, token === undefined ? {} : { bearerToken: token });
  return p;
}

/** [stanza name, condition, text] of every error stanza a probe heard, sorted. */
export function refusalsOf(p: Probe): string[][] {
  return p.heard.filter((x) => x.attrs.type === "error").map((x) => {
    const err = x.children.find((k): k is Xel => typeof k === "object" && k.name === "error");
    const kids = err?.children.filter((k): k is Xel => typeof k === "object") ?? [];
    const cond = kids.find((k) => k.attrs.xmlns === STANZAS && k.name !== "text");
    return [x.name, cond?.name ?? "?", kids.find((k) => k.name === "text")?.getText() ?? ""];
  }).sort();
}

/** Option 1's probe: der00001's second session tries three things the ACL forbids. */
export function aclProbe(net: Network, setup: NetworkSetup): Probe {
  return probeSession(net, "der00001", undefined, (p) => {
    p.link!.send(
      new Element("message", { to: `der00002@${setup.domain}/der`, type: "chat", id: "d2d" })
        .c("body").t("d2d").root(),
    );
    p.link!.send(
      new Element("iq", { type: "set", to: net.pubsubDomain, id: "pub" })
        .c("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" })
        .c("publish", { node: TARIFF_NODE }).c("item", { id: "t-probe" })
        .c("tariff", { xmlns: "urn:derlink:tariff:0" }).root(),
    );
    p.link!.send(joinPresence(`${groupName(1)}@${net.mucDomain}/der00001`));
  });
}

/** Option 2's probes, one after the other: an unlisted account, then another DER's token. */
export function loginProbes(net: Network, setup: NetworkSetup): Probe[] {
  const op = setup.operator;
  if (!op) throw new Error("Option 2's probes need the scenario's operator");
  const out: Probe[] = [];
  const second = () =>
    out.push(
      probeSession(net, "der00001", op.loginToken(`der00002@${setup.domain}`, net.clock.now)),
    );
  out.push(
    probeSession(
      net,
      "intruder",
      op.loginToken(`intruder@${setup.domain}`, net.clock.now),
      undefined,
      second,
    ),
  );
  return out;
}

/** Runs the scenario on `factory`'s network with `probe` at PROBE_SHARE; every check must pass. */
export async function runWithProbe<T>(
  o: SimulationOptions,
  factory: NetworkFactory,
  probe: (net: Network, setup: NetworkSetup) => T,
): Promise<{ result: ScenarioResult; setup: NetworkSetup; probed: T }> {
  let setup: NetworkSetup | undefined, probed: T | undefined;
  const result = await runScenario(o, (st, pki) => {
    setup = st;
    const net = factory(st, pki);
    const at = START + Math.round(o.minutes * 60_000 * PROBE_SHARE);
    net.clock.at(at, () => probed = probe(net, st));
    return net;
  });
  assert.ok(allPassed(result), checkLines(result).join("\n"));
  assert.ok(probed !== undefined, "the probe ran");
  return { result, setup: setup!, probed: probed! };
}
