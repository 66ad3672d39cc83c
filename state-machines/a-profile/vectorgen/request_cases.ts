/**
 * Cases for a responder under test: the honest request of the fixture's
 * control centre, accepted, then mutated field by field (without re-signing),
 * broken structurally, changed and re-signed with a real key, sent with the
 * wrong certificates or sender, and replayed.
 *
 * @module
 */
import type { SuiteId } from "../../../core/crypto/suite.ts";
import { AProfileError as E } from "../errors.ts";
import { JIDS, type TestPki } from "../fixtures.ts";
import { SIGNATURE_ALGORITHMS } from "../tokens.ts";
import type { XmlElement } from "../xml.ts";
import { AT, type Case, expectCode, recv } from "./case.ts";
import { structureCases } from "./structure_cases.ts";
import {
  all,
  at,
  badKeyShare,
  edit,
  flipBase64,
  HonestInitiator,
  resignRequest,
  setText,
} from "./tools.ts";

const SUITES: readonly SuiteId[] = ["p256", "brainpool256", "x25519-ed25519"];
const MIN5 = 5 * 60_000;

/** The honest request of the control centre (or of another credential / policy). */
export function honestRequest(
  pki: TestPki,
  opts: ConstructorParameters<typeof HonestInitiator>[2] = {},
  who = pki.vpp,
  seed = "vectors peer initiator",
): XmlElement {
  return new HonestInitiator(pki, seed, opts, who).request(AT);
}

export function requestCases(pki: TestPki): Case[] {
  const R = honestRequest(pki);
  const tok = (e: XmlElement) => at(e, "clear-token");
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const flip = (
    comment: string,
    change: (e: XmlElement) => void,
    expect: readonly string[],
    spec = ["PD-87", "PAPER-R2"],
  ) => add({ comment, flags: ["FieldFlip"], spec, expect, steps: [recv(edit(R, change))] });

  // ---- valid
  add({
    comment: "honest request: verified, response signed and sent, established",
    flags: ["ValidTranscript"],
    spec: ["PAPER-R2", "PAPER-M3", "PD-86", "PD-89"],
    expect: "valid",
    steps: [recv(R.toString())],
  });
  add({
    comment: "no sender address given by the adapter: identity from the certificate only",
    flags: ["ValidTranscript"],
    spec: ["PD-86"],
    expect: "valid",
    steps: [recv(R.toString(), undefined)],
  });
  add({
    comment: "the third party's own request, sent under its own JID, is authenticated as itself",
    flags: ["ValidTranscript", "Identity"],
    spec: ["PAPER-R2", "PD-86"],
    expect: "valid",
    steps: [recv(honestRequest(pki, {}, pki.mallory).toString(), JIDS.mallory)],
  });
  for (const d of [-MIN5, MIN5]) {
    const xml = resignRequest(R, (t) => ({ ...t, time: AT + d }), pki.vpp.signer);
    add({
      comment: `request time ${d / 60000} min from local time: at the window's edge, accepted`,
      flags: ["Timestamp", "Resigned"],
      spec: ["PD-86"],
      expect: "valid",
      steps: [recv(xml)],
    });
  }

  // ---- each signed field flipped, not re-signed
  const assoc = tok(R).attrs.association!;
  for (const i of [0, 31]) {
    const changed = assoc.slice(0, i) + (assoc[i] === "0" ? "1" : "0") + assoc.slice(i + 1);
    flip(
      `association id digit ${i} changed`,
      (e) => tok(e).attrs.association = changed,
      expectCode(E["bad-signature"]),
    );
  }
  for (const d of [1, -1, 1000]) {
    flip(
      `time changed by ${d} ms`,
      (e) => tok(e).attrs.time = String(AT + d),
      expectCode(E["bad-signature"]),
    );
  }
  flip(
    "time changed by ten minutes",
    (e) => tok(e).attrs.time = String(AT + 2 * MIN5),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
  );
  for (const i of [0, 15, -1]) {
    flip(
      `nonce byte ${i} flipped`,
      (e) => tok(e).attrs.nonce = flipBase64(tok(e).attrs.nonce!, i),
      expectCode(E["bad-signature"]),
    );
  }
  flip(
    "intended responder changed to another DER",
    (e) => tok(e).attrs.responder = "der2@grid.example",
    expectCode(E["wrong-peer"]),
    ["PD-86"],
  );
  flip(
    "intended responder changed to the third party",
    (e) => tok(e).attrs.responder = JIDS.mallory,
    expectCode(E["wrong-peer"]),
    ["PD-86"],
  );
  for (const s of SUITES.filter((s) => s !== pki.suite)) {
    flip(
      `signature algorithm renamed to ${SIGNATURE_ALGORITHMS[s]}`,
      (e) => tok(e).attrs["signature-algorithm"] = SIGNATURE_ALGORITHMS[s],
      expectCode(E["bad-signature"]),
    );
  }
  for (const s of SUITES.filter((s) => s !== pki.suite)) {
    flip(
      `offered suite renamed to ${s}`,
      (e) => at(e, "clear-token", "offer").attrs.suite = s,
      expectCode(E["bad-signature"], E.malformed),
      ["PD-87", "PD-89"],
    );
  }
  for (const i of [1, 20, -1]) {
    flip(`ephemeral key byte ${i} flipped`, (e) => {
      const o = at(e, "clear-token", "offer");
      o.attrs.key = flipBase64(o.attrs.key!, i);
    }, expectCode(E["bad-signature"]));
  }
  flip(
    "first mode changed to integrity-only",
    (e) => at(e, "clear-token", "mode").attrs.name = "hmac-sha256",
    expectCode(E["bad-signature"]),
    ["PD-87", "PD-89"],
  );
  flip(
    "second mode removed",
    (e) => {
      const t = tok(e);
      t.children.splice(t.children.indexOf(all(t, "mode")[1]), 1);
    },
    expectCode(E["bad-signature"]),
    ["PD-87", "PD-89"],
  );
  flip(
    "modes swapped",
    (e) => {
      const [a, b] = all(tok(e), "mode");
      [a.attrs.name, b.attrs.name] = [b.attrs.name, a.attrs.name];
    },
    expectCode(E["bad-signature"]),
    ["PD-87", "PD-89"],
  );
  for (const [which, n] of [["end-entity", 0], ["intermediate", 1]] as const) {
    for (const i of [12, 200, -3]) {
      flip(
        `${which} certificate byte ${i} flipped`,
        (e) => {
          const c = all(tok(e), "certificate")[n];
          setText(c, flipBase64(c.children[0] as string, i));
        },
        expectCode("pki/*", E["bad-signature"]),
        ["PAPER-M2", "PAPER-R2"],
      );
    }
  }
  flip(
    "intermediate certificate removed",
    (e) => {
      const t = tok(e);
      t.children.splice(t.children.indexOf(all(t, "certificate")[1]), 1);
    },
    expectCode("pki/untrusted"),
    ["PAPER-M2"],
  );
  flip(
    "certificates in reverse order",
    (e) => {
      const [a, b] = all(tok(e), "certificate");
      const [ta, tb] = [a.children[0] as string, b.children[0] as string];
      setText(a, tb);
      setText(b, ta);
    },
    expectCode("pki/*"),
    ["PAPER-M2"],
  );
  for (const i of [0, 10, -1]) {
    flip(
      `signature byte ${i} flipped`,
      (e) => setText(at(e, "signature"), flipBase64(at(e, "signature").children[0] as string, i)),
      expectCode(E["bad-signature"]),
    );
  }

  // ---- changed and re-signed with the control centre's real key
  const resigned = (
    comment: string,
    change: Parameters<typeof resignRequest>[1],
    expect: readonly string[],
    spec: string[],
    flags = ["Resigned"],
  ) =>
    add({ comment, flags, spec, expect, steps: [recv(resignRequest(R, change, pki.vpp.signer))] });
  resigned(
    "time 5 min 1 ms before local time, re-signed",
    (t) => ({ ...t, time: AT - MIN5 - 1 }),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
    ["Resigned", "Timestamp"],
  );
  resigned(
    "time 5 min 1 ms after local time, re-signed",
    (t) => ({ ...t, time: AT + MIN5 + 1 }),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
    ["Resigned", "Timestamp"],
  );
  resigned(
    "time a day old, re-signed",
    (t) => ({ ...t, time: AT - 86_400_000 }),
    expectCode(E["stale-timestamp"]),
    ["PD-86"],
    ["Resigned", "Timestamp"],
  );
  resigned(
    "request names the third party as responder, re-signed",
    (t) => ({ ...t, responder: JIDS.mallory }),
    expectCode(E["wrong-peer"]),
    ["PD-86"],
    ["Resigned", "Identity"],
  );
  resigned(
    "ephemeral key not on the curve (or small order), re-signed",
    (t) => ({ ...t, offers: t.offers.map((o) => ({ ...o, key: badKeyShare(o.suite) })) }),
    expectCode(E["bad-key-share"]),
    ["PD-89"],
  );
  for (const s of SUITES.filter((s) => s !== pki.suite)) {
    resigned(
      `token claims signature algorithm ${SIGNATURE_ALGORITHMS[s]}, re-signed with the real key`,
      (t) => ({ ...t, signatureSuite: s }),
      expectCode(E["bad-signature"]),
      ["PAPER-R2", "PD-87"],
    );
  }
  add({
    comment: "signed by the third party's key over the control centre's chain",
    flags: ["Certificate", "Resigned"],
    spec: ["PAPER-R2"],
    expect: expectCode(E["bad-signature"]),
    steps: [recv(resignRequest(R, (t) => t, pki.mallory.signer))],
  });
  const malloryChain = resignRequest(
    R,
    (t) => ({ ...t, chain: pki.mallory.chain }),
    pki.vpp.signer,
  );
  add({
    comment: "third party's chain swapped in, sent from the control centre's JID",
    flags: ["Certificate", "Identity"],
    spec: ["PAPER-R2", "PAPER-TA1"],
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(malloryChain)],
  });
  add({
    comment: "third party's chain swapped in, sent from its JID, signed by the control centre",
    flags: ["Certificate"],
    spec: ["PAPER-R2"],
    expect: expectCode(E["bad-signature"]),
    steps: [recv(malloryChain, JIDS.mallory)],
  });
  add({
    comment: "third party's honest request sent under the control centre's JID",
    flags: ["Identity"],
    spec: ["PAPER-R2", "PAPER-TA1"],
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(honestRequest(pki, {}, pki.mallory).toString(), JIDS.vpp)],
  });
  add({
    comment: "the control centre's request relayed from the third party's JID",
    flags: ["Identity"],
    spec: ["PAPER-R2", "PAPER-TA1"],
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(R.toString(), JIDS.mallory)],
  });
  add({
    comment: "peer not in the responder's accepted list",
    flags: ["Identity"],
    spec: ["PAPER-TA2", "PD-86"],
    config: { acceptPeers: ["other@grid.example"] },
    expect: expectCode(E["wrong-peer"]),
    steps: [recv(R.toString())],
  });
  add({
    comment: "certificate expired an hour ago",
    flags: ["Certificate"],
    spec: ["PAPER-M2"],
    expect: expectCode("pki/expired"),
    steps: [recv(honestRequest(pki, {}, pki.expired).toString())],
  });
  add({
    comment: "certificate revoked on the issuing CA's CRL",
    flags: ["Certificate"],
    spec: ["PAPER-M2", "PAPER-M7"],
    expect: expectCode("pki/revoked"),
    steps: [recv(honestRequest(pki, {}, pki.revoked).toString())],
  });
  add({
    comment: "chain from another root CA",
    flags: ["Certificate"],
    spec: ["PAPER-M2", "PAPER-TA2"],
    expect: expectCode("pki/untrusted"),
    steps: [recv(honestRequest(pki, {}, pki.foreign).toString(), JIDS.der)],
  });
  add({
    comment: "CRLs required but none supplied",
    flags: ["Certificate"],
    spec: ["PAPER-M7"],
    config: { crls: [], policy: { requireCrl: true } },
    expect: expectCode("pki/crl-missing"),
    steps: [recv(R.toString())],
  });
  const otherSuite = SUITES.find((s) => s !== pki.suite)!;
  add({
    comment: "certificate key of a suite the responder's policy does not accept",
    flags: ["Certificate"],
    spec: ["PD-89"],
    config: { policy: { certificateSuites: [otherSuite] } },
    expect: expectCode("pki/disallowed-suite"),
    steps: [recv(R.toString())],
  });

  // ---- negotiation
  add({
    comment: "only integrity-only protection offered while the responder requires confidentiality",
    flags: ["Confidentiality"],
    spec: ["PAPER-R6a", "PD-89"],
    expect: expectCode(E["confidentiality-required"]),
    steps: [
      recv(
        honestRequest(pki, { modes: ["hmac-sha256"], requireConfidentiality: false }).toString(),
      ),
    ],
  });
  add({
    comment: "integrity-only offered and allowed by both policies: accepted",
    flags: ["ValidTranscript", "Confidentiality"],
    spec: ["PD-89", "PAPER-R4a"],
    config: { policy: { modes: ["hmac-sha256"], requireConfidentiality: false } },
    expect: "valid",
    steps: [
      recv(
        honestRequest(pki, { modes: ["hmac-sha256"], requireConfidentiality: false }).toString(),
      ),
    ],
  });
  add({
    comment: "only a suite the responder does not allow is offered",
    flags: ["Downgrade"],
    spec: ["PD-89"],
    expect: expectCode(E["no-common-suite"]),
    steps: [recv(honestRequest(pki, { suites: [otherSuite] }).toString())],
  });
  add({
    comment: "offered suites in preference order, responder takes the first it allows",
    flags: ["ValidTranscript"],
    spec: ["PD-89"],
    expect: "valid",
    steps: [recv(honestRequest(pki, { suites: [otherSuite, pki.suite] }).toString())],
  });
  add({
    comment: "no offered mode is allowed by the responder",
    flags: ["Downgrade"],
    spec: ["PD-89"],
    config: { policy: { modes: ["aes-128-gcm"] } },
    expect: expectCode(E["no-common-mode"]),
    steps: [recv(honestRequest(pki, { modes: ["aes-256-gcm"] }).toString())],
  });

  // ---- replay
  add({
    comment: "the same request twice: the second is a replay (responder already established)",
    flags: ["Replay"],
    spec: ["PD-92", "PAPER-AS3"],
    expect: expectCode(E.replay),
    steps: [recv(R.toString()), recv(R.toString(), JIDS.vpp, AT + 2000)],
  });
  add({
    comment: "the same request twice, the second after the window: stale",
    flags: ["Replay", "Timestamp"],
    spec: ["PD-86", "PD-92"],
    expect: expectCode(E["stale-timestamp"]),
    steps: [recv(R.toString()), recv(R.toString(), JIDS.vpp, AT + MIN5 + 1)],
  });

  cases.push(...structureCases(R, "request", (xml) => [recv(xml)]));
  return cases;
}
