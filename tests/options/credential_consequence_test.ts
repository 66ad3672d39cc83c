/**
 * The consequence of the credential plan that matters (issue 9 item 2,
 * PD-230), executed against the real endpoints: the XMPP server operator
 * is compromised (or dishonest). It routes the DER's JID to itself and, with
 * its own CA key, mints a certificate for that JID.
 *
 * - End-to-end certificates issued by the XMPP server operator's CA: the
 *   control centre accepts the impostor — the A-profile association comes
 *   up and the operate command reaches the impostor in clear; a
 *   per-message channel accepts the impostor's signed report as the DER's.
 * - End-to-end certificates issued by the grid operator's CA: the same
 *   minted certificate is refused (`pki/untrusted`), nothing is associated
 *   and nothing reaches the impostor.
 */
import assert from "node:assert/strict";
import { SeededEntropy } from "../../core/entropy.ts";
import {
  type CredentialPlan,
  issuePlan,
  type Issuer,
  mint,
  partyOf,
} from "../../core/pki/credential_plan.ts";
import { validateChain } from "../../core/pki/validate.ts";
import { localSigner } from "../../state-machines/a-profile/driver.ts";
import type { EndpointOutput } from "../../state-machines/association/endpoint.ts";
import { SecurePair } from "../../state-machines/association/pair.ts";
import { perMessageSettings } from "../../state-machines/association/protection.ts";
import { ChannelPair } from "../../state-machines/per-message/driver.ts";
import { localAgreement } from "../../state-machines/per-message/seal.ts";
import type { PerMessageOutput } from "../../state-machines/per-message/types.ts";

const NOW = Date.UTC(2025, 0, 15, 12);
const CC = "vpp@grid.example", DER = "der1@grid.example";
const CC_FULL = `${CC}/control`, DER_FULL = `${DER}/iec61850`;

const planFor = (endToEndIssuer: Issuer) =>
  issuePlan({
    options: { endToEndIssuer },
    suite: "p256",
    domain: "grid.example",
    parties: [
      { name: "cc", jid: CC, role: "control-centre" },
      { name: "der1", jid: DER, role: "der" },
    ],
    now: NOW,
    seed: `consequence ${endToEndIssuer}`,
  });

/** The control centre as the plan configures it, and an impostor with a minted certificate. */
function impostorPair(plan: CredentialPlan) {
  const cc = partyOf(plan, "cc");
  const forged = mint(plan, "xmpp-operator", DER, "impostor");
  const common = {
    signatureSuite: plan.suite,
    crls: plan.endToEndCrls,
    validateChain,
    policy: { suites: [plan.suite] },
  };
  return new SecurePair(
    {
      role: "client",
      peerJid: DER_FULL,
      aProfile: {
        ...common,
        localJid: CC,
        peerJid: DER,
        chain: cc.endToEnd.chain,
        anchors: cc.endToEndAnchors,
        entropy: new SeededEntropy("cc"),
      },
      signer: localSigner(cc.endToEnd.key),
    },
    {
      role: "server",
      peerJid: CC_FULL,
      // The impostor trusts whatever lets it talk to the control centre.
      aProfile: {
        ...common,
        localJid: DER,
        chain: forged.chain,
        anchors: [...cc.endToEndAnchors, plan.operators["grid-operator"].root.der],
        entropy: new SeededEntropy("impostor"),
      },
      signer: localSigner(forged.key),
    },
    NOW,
  );
}

const events = (out: EndpointOutput[]) => out.flatMap((o) => o.type === "event" ? [o.event] : []);
const codes = (out: EndpointOutput[]) => out.flatMap((o) => o.type === "error" ? [o.code] : []);
const OPERATE = {
  type: "request" as const,
  request: {
    service: "select-with-value" as const,
    control: "DER1/DRCC1.WMaxLimPct",
    params: {
      ctlVal: { type: "float" as const, value: 0, width: 32 as const },
      origin: { orCat: "remote-control" as const, orIdent: "vpp" },
      ctlNum: 1,
      t: NOW,
      test: false,
      check: { synchrocheck: false, interlockCheck: false },
    },
  },
};

Deno.test("credential plan consequence: with the XMPP operator's CA end to end, its minted DER certificate is accepted and control requests reach the impostor (PD-230)", () => {
  // spec: PD-230 PAPER-OPT4 PAPER-TA5 PAPER-R2
  const pair = impostorPair(planFor("xmpp-operator"));
  const a = pair.run("client", { type: "associate" });
  assert.deepEqual(events(a.client).map((e) => e.type), ["associated"]);
  const r = pair.run("client", OPERATE);
  const seen = events(r.server).find((e) => e.type === "indication");
  assert.ok(seen, "the impostor received the control request");
  assert.match(JSON.stringify(seen), /WMaxLimPct/);
});

Deno.test("credential plan consequence: with the grid operator's CA end to end, the same minted certificate is refused (PD-230)", () => {
  // spec: PD-230 PAPER-OPT4 PAPER-TA2 PAPER-M2
  const pair = impostorPair(planFor("grid-operator"));
  const a = pair.run("client", { type: "associate" });
  assert.ok(codes(a.client).includes("pki/untrusted"), JSON.stringify(codes(a.client)));
  assert.equal(pair.client.association.phase === "associated", false);
  assert.deepEqual(events(a.server), []);
  const r = pair.run("client", OPERATE);
  assert.deepEqual(events(r.server), [], "nothing reaches the impostor");
});

for (const issuer of ["xmpp-operator", "grid-operator"] as const) {
  Deno.test(`credential plan consequence, per-message: a signed report from the minted certificate is ${issuer === "xmpp-operator" ? "accepted" : "refused"} (end to end by ${issuer})`, () => {
    // spec: PD-230 PD-229 PAPER-OPT4 PAPER-OPT7
    const plan = planFor(issuer);
    const cc = partyOf(plan, "cc");
    const forged = mint(plan, "xmpp-operator", DER, "impostor");
    const channel = (
      jid: string,
      peer: string,
      c: typeof forged,
      anchors: readonly Uint8Array[],
    ) => ({
      localJid: jid,
      peerJid: peer,
      chain: c.chain,
      signatureSuite: plan.suite,
      agree: localAgreement(c.key),
      peerChain: jid === DER ? cc.endToEnd.chain : undefined,
      anchors,
      crls: plan.endToEndCrls,
      validateChain,
      entropy: new SeededEntropy(jid),
    });
    const pair = new ChannelPair(
      channel(DER, CC, forged, cc.endToEndAnchors),
      channel(CC, DER, cc.endToEnd, cc.endToEndAnchors),
      localSigner(forged.key),
      localSigner(cc.endToEnd.key),
    );
    pair.run("a", { type: "start", now: NOW });
    const r = pair.run("a", {
      type: "send",
      payload: new TextEncoder().encode("TotW 0 kW"),
      now: NOW,
    });
    const got = r.b as PerMessageOutput[];
    if (issuer === "xmpp-operator") {
      assert.deepEqual(got.map((o) => o.type), ["established", "data"]);
    } else {
      assert.deepEqual(got, [{
        type: "error",
        code: "pki/untrusted",
        detail: (got[0] as { detail: string }).detail,
      }]);
    }
  });
}

Deno.test("credential plan consequence: per-message with the DER's certificate from the operator's inventory keeps commands from the impostor even under the XMPP operator's CA", () => {
  // spec: PD-230 PD-228
  const plan = planFor("xmpp-operator");
  const cc = partyOf(plan, "cc");
  const der = partyOf(plan, "der1");
  const forged = mint(plan, "xmpp-operator", DER, "impostor");
  const pair = new SecurePair(
    {
      role: "client",
      peerJid: DER_FULL,
      aProfile: {
        localJid: CC,
        peerJid: DER,
        chain: cc.endToEnd.chain,
        signatureSuite: plan.suite,
        anchors: cc.endToEndAnchors,
        crls: plan.endToEndCrls,
        validateChain,
        entropy: new SeededEntropy("cc"),
      },
      signer: localSigner(cc.endToEnd.key),
      protection: "per-message",
      // The genuine DER's certificate, provisioned from the grid operator's inventory.
      perMessage: perMessageSettings(cc.endToEnd.key, der.endToEnd.chain),
    },
    {
      role: "server",
      peerJid: CC_FULL,
      aProfile: {
        localJid: DER,
        chain: forged.chain,
        signatureSuite: plan.suite,
        anchors: cc.endToEndAnchors,
        crls: plan.endToEndCrls,
        validateChain,
        entropy: new SeededEntropy("impostor"),
      },
      signer: localSigner(forged.key),
      protection: "per-message",
      perMessage: perMessageSettings(forged.key),
    },
    NOW,
  );
  const a = pair.run("client", { type: "associate" });
  assert.deepEqual(codes(a.server), ["permessage/wrong-recipient"]);
  assert.deepEqual(events(a.server), []);
  assert.notEqual(pair.client.association.phase, "associated");
});
