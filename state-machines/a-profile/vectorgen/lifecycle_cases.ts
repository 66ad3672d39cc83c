/**
 * Cases for the phases a plain handshake does not visit: the external signer
 * answering (or failing, or being pre-empted) while a machine waits in
 * `signing` / `renew-signing`, re-handshakes and the data that flows during
 * them, the association lifetime, and everything that can happen while a
 * release waits for its acknowledgement.
 *
 * @module
 */
import { AProfileError as E } from "../errors.ts";
import { JIDS, T0, type TestPki } from "../fixtures.ts";
import type { JsonConfig, JsonStep } from "../replay.ts";
import { AT, type Case, expectCode, recv } from "./case.ts";
import { honestRequest } from "./request_cases.ts";
import type { SessionSetup } from "./session_cases.ts";
import {
  at as child,
  edit,
  flipBase64,
  type HonestInitiator,
  type HonestResponder,
  parse,
  setText,
} from "./tools.ts";

const manual: Partial<JsonConfig> = { manualSigner: true };
const at = (n: number) => AT + 100 + n;
const step = (
  type: "start" | "abort" | "release" | "update-keys" | "rehandshake" | "tick",
  now: number,
): JsonStep => ({
  input: { type, now },
});
const send = (n: number): JsonStep => ({ input: { type: "send", payload: "aa55", now: at(n) } });

/** The initiator from its very first input (group without prefix). */
export function startCases(iut: Pick<SessionSetup, "signature">): Case[] {
  const start = step("start", T0);
  const sig = iut.signature([start], manual);
  const wrongId = { input: { ...sig.input, id: 2 } } as JsonStep;
  return [
    {
      comment: "start: request signed and sent",
      flags: ["ValidTranscript"],
      spec: ["PAPER-M3", "PD-86"],
      expect: "valid",
      steps: [start],
    },
    {
      comment: "abort before start",
      flags: ["Abort"],
      spec: ["PD-99"],
      expect: "valid",
      steps: [step("abort", T0)],
    },
    {
      comment: "external signer: start asks for the signature",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: "valid",
      config: manual,
      steps: [start],
    },
    {
      comment: "external signer answers: request sent",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: "valid",
      config: manual,
      steps: [start, sig],
    },
    {
      comment: "external signer fails",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: expectCode(E["signer-failed"]),
      config: manual,
      steps: [start, { input: { type: "signer-failed", id: 1 } }],
    },
    {
      comment: "external signer answers a request that was not asked",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: expectCode(E["signer-failed"]),
      config: manual,
      steps: [start, wrongId],
    },
    {
      comment: "abort while the signer works",
      flags: ["Signer", "Abort"],
      spec: ["PD-98", "PD-99"],
      expect: "valid",
      config: manual,
      steps: [start, step("abort", T0 + 1)],
    },
    {
      comment: "abort while waiting for the response",
      flags: ["Abort"],
      spec: ["PD-99"],
      expect: "valid",
      steps: [start, step("abort", T0 + 1)],
    },
    {
      comment: "start twice",
      flags: ["Structure"],
      spec: ["PD-97"],
      expect: expectCode(E["unexpected-message"]),
      steps: [start, step("start", T0 + 1)],
    },
    {
      comment: "data before the association exists",
      flags: ["Structure"],
      spec: ["PD-97"],
      expect: expectCode(E["not-established"]),
      steps: [{ input: { type: "send", payload: "00", now: T0 } }],
    },
    {
      comment: "release before the association exists",
      flags: ["Release"],
      spec: ["PD-97"],
      expect: expectCode(E["unexpected-message"]),
      steps: [step("release", T0)],
    },
  ];
}

/** The responder before and while it signs its first response (group without prefix). */
export function responderStartCases(
  pki: TestPki,
  iut: Pick<SessionSetup, "signature">,
  response: string,
): Case[] {
  const R = recv(honestRequest(pki).toString());
  const sig = iut.signature([R], manual);
  return [
    {
      comment: "abort while listening",
      flags: ["Abort"],
      spec: ["PD-99"],
      expect: "valid",
      steps: [step("abort", AT)],
    },
    {
      comment: "external signer: a verified request asks for the response's signature",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: "valid",
      config: manual,
      steps: [R],
    },
    {
      comment: "external signer answers: response sent, established",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: "valid",
      config: manual,
      steps: [R, sig],
    },
    {
      comment: "external signer fails",
      flags: ["Signer"],
      spec: ["PD-98"],
      expect: expectCode(E["signer-failed"]),
      config: manual,
      steps: [R, { input: { type: "signer-failed", id: 1 } }],
    },
    {
      comment: "abort while the signer works",
      flags: ["Signer", "Abort"],
      spec: ["PD-98", "PD-99"],
      expect: "valid",
      config: manual,
      steps: [R, step("abort", AT + 1)],
    },
    {
      comment: "a second request while the signer works",
      flags: ["Signer", "Replay"],
      spec: ["PD-97"],
      expect: expectCode(E["unexpected-message"]),
      config: manual,
      steps: [R, R],
    },
    {
      comment: "a response sent to the responder",
      flags: ["Structure"],
      spec: ["PD-97"],
      expect: expectCode(E["unexpected-message"]),
      steps: [recv(response, JIDS.der)],
    },
  ];
}

/** Re-handshakes and releases, for either role after the handshake prefix. */
export function lifecycleCases(
  pki: TestPki,
  setup: SessionSetup,
  role: "initiator" | "responder",
  firstResponse = "",
): Case[] {
  const cases: Case[] = [];
  const from = setup.peerJid;
  const add = (
    comment: string,
    flags: string[],
    spec: string[],
    expect: Case["expect"],
    steps: JsonStep[],
    config?: Partial<JsonConfig>,
  ) => cases.push({ comment, flags, spec, expect, steps, config });
  const peerData = (n: number) =>
    recv(
      setup.peer().sent({ type: "send", payload: new Uint8Array([n]), now: at(n) })[0].toString(),
      from,
      at(n),
    );
  const peerSays = (type: "release" | "abort", n: number) =>
    recv(setup.peer().sent({ type, now: at(n) })[0].toString(), from, at(n));

  // The step that starts a re-handshake, and what completes it.
  let begin: JsonStep, complete: JsonStep, broken: JsonStep | undefined;
  if (role === "initiator") {
    begin = step("rehandshake", at(1));
    const request = setup.iutSent([begin], "request")[0];
    const response = (setup.peer() as unknown as HonestResponder).respond(parse(request), at(2));
    complete = recv(response.toString(), from, at(2));
    broken = recv(
      edit(response, (e) =>
        setText(
          child(e, "signature"),
          flipBase64(child(e, "signature").children[0] as string, -1),
        )),
      from,
      at(2),
    );
  } else {
    const request = (setup.peer() as unknown as HonestInitiator).rehandshake(at(1));
    begin = recv(request.toString(), from, at(1));
    complete = begin;
  }
  const renewSpec = ["PD-93", "PAPER-R2"];
  if (role === "initiator") {
    add(
      "re-handshake asked for and completed: new association",
      ["ValidTranscript", "Rehandshake"],
      renewSpec,
      "valid",
      [begin, complete],
    );
    add(
      "association lifetime over: the tick starts a re-handshake",
      ["Rehandshake", "Lifetime"],
      renewSpec,
      "valid",
      [step("tick", AT + 60_000)],
      { policy: { associationLifetimeMs: 60_000 } },
    );
    add(
      "re-handshake response never comes",
      ["Rehandshake", "Timeout"],
      ["PD-94"],
      expectCode(E.timeout),
      [begin, step("tick", at(1) + 30_000)],
    );
    add(
      "re-handshake response with a broken signature",
      ["Rehandshake", "FieldFlip"],
      renewSpec,
      expectCode(E["bad-signature"]),
      [begin, broken!],
    );
    add(
      "the first handshake's response replayed into the re-handshake",
      ["Rehandshake", "Replay"],
      renewSpec,
      expectCode(E["association-mismatch"]),
      [begin, recv(firstResponse, from, at(2))],
    );
  } else {
    add(
      "re-handshake from the same peer: response sent, new association",
      ["ValidTranscript", "Rehandshake"],
      renewSpec,
      "valid",
      [begin],
    );
    add(
      "after a re-handshake the old association still delivers",
      ["ValidTranscript", "Rehandshake"],
      renewSpec,
      "valid",
      [begin, peerData(2)],
    );
    add(
      "after a re-handshake and its grace period the old association is gone",
      ["Rehandshake"],
      renewSpec,
      expectCode(E["association-mismatch"]),
      [begin, step("tick", at(1) + 30_000), peerData(3)],
    );
    add(
      "a re-handshake by another peer, with its own valid certificate",
      ["Rehandshake", "Identity"],
      ["PD-86", "PAPER-R2"],
      expectCode(E["wrong-peer"]),
      [recv(honestRequest(pki, {}, pki.mallory, "third party").toString(), JIDS.mallory, at(1))],
    );
  }
  // While the new request is being signed (external signer), the old association works.
  const sig = setup.signature([begin], manual);
  const during: [string, JsonStep, Case["expect"]][] = [
    ["data from the peer", peerData(2), "valid"],
    ["we send data", send(2), "valid"],
    ["we update our key", step("update-keys", at(2)), "valid"],
    ["we release", step("release", at(2)), "valid"],
    ["the peer releases", peerSays("release", 2), "valid"],
    ["the peer aborts", peerSays("abort", 2), "valid"],
    ["we abort", step("abort", at(2)), "valid"],
    ["the signer answers", sig, "valid"],
    [
      "the signer fails",
      { input: { type: "signer-failed", id: 2 } },
      expectCode(E["signer-failed"]),
    ],
  ];
  for (const [what, s, expect] of during) {
    add(
      `re-handshake being signed (external signer): ${what}`,
      ["Rehandshake", "Signer"],
      ["PD-93", "PD-98"],
      expect,
      [begin, s],
      manual,
    );
  }
  if (role === "initiator") {
    for (const [what, s] of during.slice(0, 7)) {
      add(`re-handshake waiting for its response: ${what}`, ["Rehandshake"], ["PD-93"], "valid", [
        begin,
        s,
      ]);
    }
  }
  // While our release waits for its acknowledgement.
  const rel = step("release", at(1));
  add("release pending: data from the peer is still delivered", ["Release"], ["PD-99"], "valid", [
    rel,
    peerData(2),
  ]);
  add("release pending: the peer aborts", ["Release", "Abort"], ["PD-99"], "valid", [
    rel,
    peerSays("abort", 2),
  ]);
  add("release pending: we abort", ["Release", "Abort"], ["PD-99"], "valid", [
    rel,
    step("abort", at(2)),
  ]);
  add(
    "release never acknowledged",
    ["Release", "Timeout"],
    ["PD-99", "PD-94"],
    expectCode(E.timeout),
    [rel, step("tick", at(1) + 30_000)],
  );
  add(
    "release pending: a tick before the timeout changes nothing",
    ["Release"],
    ["PD-99"],
    "valid",
    [rel, step("tick", at(1) + 29_999)],
  );
  return cases;
}
