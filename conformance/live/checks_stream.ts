/**
 * The stream-level live checks: STARTTLS required (DL-LIVE-1),
 * authentication in clear refused (DL-LIVE-2), SCRAM offered after TLS and
 * used to log in (DL-LIVE-3). Verdict rules: PD-174.
 *
 * @module
 */
import type { EntropySource } from "../../core/entropy.ts";
import type { XmppClient } from "../../adapters/xmpp_client.ts";
import { type FeatureProbe, probeClearAuth, probeFeatures } from "./probe.ts";
import { type CheckResult, describeError, type LiveOptions, result } from "./types.ts";

const why = describeError;

/** DL-LIVE-1 from the features read before (and after) TLS. */
// spec: DL-LIVE-1 PD-174
export function judgeStarttls(fp: FeatureProbe): CheckResult {
  const before = fp.beforeTls;
  const observed = {
    starttlsOffered: before.starttls !== undefined,
    starttlsRequired: before.starttls?.required ?? false,
    mechanismsBeforeTls: before.mechanisms ?? [],
    ...(fp.tlsProtocol ? { tlsProtocol: fp.tlsProtocol } : {}),
  };
  if (!before.starttls) return result("starttls", "fail", "STARTTLS is not offered", observed);
  if (!before.starttls.required) {
    return result("starttls", "fail", "STARTTLS is offered but not marked <required/>", observed);
  }
  if ((before.mechanisms ?? []).length > 0) {
    return result(
      "starttls",
      "fail",
      `SASL mechanisms offered before TLS: ${before.mechanisms!.join(" ")}`,
      observed,
    );
  }
  if (!fp.afterTls) {
    return result("starttls", "fail", fp.tlsProblem ?? "TLS was not established", observed);
  }
  return result(
    "starttls",
    "pass",
    `<starttls><required/></starttls> offered, no SASL mechanism before TLS; ` +
      `TLS established (${fp.tlsProtocol ?? "protocol not reported"})`,
    observed,
  );
}

/** Runs the feature probe; the result feeds DL-LIVE-1 and DL-LIVE-3. */
export async function featureProbe(
  o: LiveOptions,
  domain: string,
): Promise<{ probe?: FeatureProbe; starttls: CheckResult }> {
  try {
    const probe = await probeFeatures(
      { host: o.host, port: o.port },
      domain,
      o.anchors,
      o.stepTimeoutMs ?? 10_000,
    );
    return { probe, starttls: judgeStarttls(probe) };
  } catch (e) {
    return { starttls: result("starttls", "fail", `probe failed: ${why(e)}`) };
  }
}

/** DL-LIVE-2: a SCRAM client-first message sent in clear must not be taken up. */
// spec: DL-LIVE-2 PD-174
export async function checkClearAuth(
  o: LiveOptions,
  domain: string,
  entropy: EntropySource,
): Promise<CheckResult> {
  try {
    const r = await probeClearAuth(
      { host: o.host, port: o.port },
      domain,
      o.anchors,
      entropy,
      o.stepTimeoutMs ?? 10_000,
    );
    const observed = { outcome: r.outcome, ...(r.condition ? { condition: r.condition } : {}) };
    const said = r.condition ? ` (${r.condition})` : "";
    if (r.outcome === "failure") {
      return result("clearAuth", "pass", `refused with a SASL failure${said}`, observed);
    }
    if (r.outcome === "stream-error") {
      return result("clearAuth", "pass", `refused with a stream error${said}`, observed);
    }
    if (r.outcome === "closed") {
      return result("clearAuth", "pass", "refused: the server closed the stream", observed);
    }
    return result(
      "clearAuth",
      "fail",
      r.outcome === "other"
        ? `unexpected answer${said}`
        : `the server answered <${r.outcome}/>: it authenticates in clear`,
      observed,
    );
  } catch (e) {
    return result("clearAuth", "fail", `probe failed: ${why(e)}`);
  }
}

/** DL-LIVE-3 from the mechanisms offered after TLS and the login that was made. */
// spec: DL-LIVE-3 PD-174
export function judgeScram(
  probe: FeatureProbe | undefined,
  login: { client?: XmppClient; error?: unknown },
): CheckResult {
  const offered = probe?.afterTls?.mechanisms ?? [];
  const scram = offered.filter((m) => m.startsWith("SCRAM-"));
  const used = login.client?.connection?.driver.state.mechanism;
  const observed = {
    offeredAfterTls: offered,
    ...(used ? { usedForLogin: used } : {}),
  };
  if (!probe?.afterTls) {
    return result("scram", "fail", "the features after TLS could not be read", observed);
  }
  if (scram.length === 0) {
    return result(
      "scram",
      "fail",
      `no SCRAM mechanism offered (${offered.join(" ") || "none"})`,
      observed,
    );
  }
  if (!login.client) {
    return result("scram", "fail", `login failed: ${why(login.error)}`, observed);
  }
  if (!used?.startsWith("SCRAM-")) {
    return result("scram", "fail", `the login used ${used ?? "no mechanism"}, not SCRAM`, observed);
  }
  return result(
    "scram",
    "pass",
    `offered after TLS: ${offered.join(" ")}; login with ${used}`,
    observed,
  );
}
