/**
 * Properties of the parts: both machines are total (any input, garbage
 * included, gives a declared step and never an internal error); the wire
 * form round-trips and refuses every byte change of a signed field; the
 * receive window accepts each number once and never one below it; the replay
 * cache stays bounded and never forgets a nonce inside the window; the key
 * schedule gives each direction and epoch its own key and nonce.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { toHex } from "../../core/bytes.ts";
import { getSuite } from "../../core/crypto/suite.ts";
import { assertMachineTotal } from "../../core/machine_testing.ts";
import { localSigner } from "./driver.ts";
import { AProfileError } from "./errors.ts";
import { initiatorConfig, JIDS, responderConfig, T0, testPki } from "./fixtures.ts";
import { initiator } from "./initiator.ts";
import { initialSecrets, nextSecret, pduNonce, trafficKeys } from "./keyschedule.ts";
import {
  decodeMessage,
  encodePdu,
  encodeRequest,
  encodeResponse,
  type Pdu,
  PDU_KINDS,
} from "./messages.ts";
import { Pair } from "./pair.ts";
import { header, headerChecked } from "./session.ts";
import { EMPTY_REPLAY_CACHE, isReplay, remember } from "./replay_cache.ts";
import { responder } from "./responder.ts";
import type { AProfileInput } from "./types.ts";
import { EMPTY_WINDOW, windowAccept, windowRefusal } from "./window.ts";
import type { XmlElement } from "./xml.ts";
import { parse } from "./vectorgen/tools.ts";

const pki = testPki("x25519-ed25519");
const pair = new Pair(
  initiatorConfig(pki, "p"),
  responderConfig(pki, "p"),
  localSigner(pki.vpp.signer),
  localSigner(pki.der.signer),
);
const wire = pair.handshake(T0).wire.map((w) => w.element);
const pdu =
  pair.run("initiator", { type: "send", payload: new Uint8Array([1, 2]), now: T0 + 1 }).wire[0]
    .element;
const elements: XmlElement[] = [...wire, pdu];

/** Well-formed inputs of both machines: honest elements (also mutated), time, application requests. */
function inputs(): fc.Arbitrary<AProfileInput> {
  const now = fc.integer({ min: T0 - 600_000, max: T0 + 3_600_000 });
  const element = fc.tuple(fc.constantFrom(...elements), fc.nat(), fc.integer({ min: 1, max: 255 }))
    .map(
      ([e, at, x]) => {
        const text = e.toString();
        const i = at % text.length;
        const mutated = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ x) +
          text.slice(i + 1);
        try {
          return parse(mutated);
        } catch {
          return e;
        }
      },
    );
  return fc.oneof(
    now.map((n) => ({ type: "start" as const, now: n })),
    now.map((n) => ({ type: "tick" as const, now: n })),
    fc.tuple(
      fc.constantFrom(...elements),
      fc.constantFrom(JIDS.vpp, JIDS.der, JIDS.mallory, undefined),
      now,
    )
      .map(([e, from, n]) => ({ type: "receive" as const, element: e, from, now: n })),
    fc.tuple(element, now).map(([e, n]) => ({
      type: "receive" as const,
      element: e,
      from: JIDS.vpp,
      now: n,
    })),
    fc.tuple(fc.uint8Array({ maxLength: 32 }), now).map(([p, n]) => ({
      type: "send" as const,
      payload: p,
      now: n,
    })),
    fc.tuple(fc.nat(4), fc.uint8Array({ maxLength: 80 })).map(([id, v]) => ({
      type: "signature" as const,
      id,
      value: v,
    })),
    fc.nat(4).map((id) => ({ type: "signer-failed" as const, id })),
    fc.tuple(
      fc.constantFrom("update-keys", "rehandshake", "release", "abort") as fc.Arbitrary<"release">,
      now,
    )
      .map(([type, n]) => ({ type, now: n })),
  );
}

Deno.test("a-profile: the initiator is total over well-formed, mutated and garbage inputs (PD-97)", () => {
  // spec: PD-97 PD-96
  assertMachineTotal(initiator, {
    config: fc.constantFrom(
      initiatorConfig(pki, "t1"),
      initiatorConfig(pki, "t2", { receiveWindow: 2 }),
    ),
    input: inputs(),
    numRuns: 150,
    seed: 7,
  });
});

Deno.test("a-profile: the responder is total over well-formed, mutated and garbage inputs (PD-97)", () => {
  // spec: PD-97 PD-96
  assertMachineTotal(responder, {
    config: fc.constantFrom(
      responderConfig(pki, "t1"),
      responderConfig(pki, "t2", { keyLifetimePdus: 2 }),
    ),
    input: inputs(),
    numRuns: 150,
    seed: 8,
  });
});

Deno.test("a-profile: request, response and PDU encodings round-trip (PD-85)", () => {
  // spec: PD-85
  for (const e of elements) {
    const d = decodeMessage(e);
    assert.ok(d.ok);
    const again = d.value.kind === "request"
      ? encodeRequest(d.value.request)
      : d.value.kind === "response"
      ? encodeResponse(d.value.response)
      : encodePdu(d.value.pdu);
    assert.equal(again.toString(), e.toString());
  }
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.nat(0xffff_ffff),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.nat(),
      fc.constantFrom(...PDU_KINDS),
      fc.uint8Array({ minLength: 16, maxLength: 200 }),
      (association, epoch, seq, time, kind, body) => {
        const p: Pdu = { association, epoch, seq, time, kind, body };
        const d = decodeMessage(parse(encodePdu(p).toString()));
        assert.ok(d.ok && d.value.kind === "pdu");
        assert.deepEqual(d.value.pdu, p);
      },
    ),
    { numRuns: 200, seed: 9 },
  );
});

Deno.test("a-profile: any single byte change in a request is refused and leaves the responder listening (PD-87 PD-96)", () => {
  // spec: PD-87 PD-96 PAPER-R2
  const [request] = wire;
  const text = request.toString();
  fc.assert(
    fc.property(fc.nat(text.length - 1), fc.integer({ min: 1, max: 127 }), (at, x) => {
      const changed = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ x) +
        text.slice(at + 1);
      let element: XmlElement;
      try {
        element = parse(changed);
      } catch {
        return; // the XML reader refuses it before the machine sees it
      }
      if (element.toString() === text) return; // an equivalent spelling (e.g. quote style)
      const r = responder.step(responder.init(responderConfig(pki, "t")), {
        type: "receive",
        element,
        from: JIDS.vpp,
        now: T0,
      });
      assert.equal(r.state.phase, "listening", changed.slice(Math.max(0, at - 20), at + 20));
      assert.equal(r.out.length, 1);
      assert.equal(r.out[0].type, "error");
    }),
    { numRuns: 300, seed: 10 },
  );
});

Deno.test("a-profile: the receive window accepts every number once and none below it (PD-91)", () => {
  // spec: PD-91 PAPER-AS3
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 120 }),
      fc.integer({ min: 1, max: 70 }),
      (seqs, width) => {
        let w = EMPTY_WINDOW;
        const accepted = new Set<number>();
        let highest = 0;
        for (const s of seqs) {
          const why = windowRefusal(w, s, width, 1 << 20);
          if (accepted.has(s)) {
            assert.ok(
              why === AProfileError.replay || why === AProfileError["out-of-window"],
            );
          }
          if (s <= highest - width) assert.equal(why, AProfileError["out-of-window"]);
          if (!accepted.has(s) && s > highest - width) assert.equal(why, undefined);
          if (why === undefined) {
            w = windowAccept(w, s, width);
            accepted.add(s);
            highest = Math.max(highest, s);
          }
        }
      },
    ),
    { numRuns: 300, seed: 11 },
  );
  assert.equal(windowRefusal(EMPTY_WINDOW, 10, 4, 8), AProfileError["sequence-gap"]);
});

Deno.test("a-profile: the replay cache stays bounded and never forgets a live nonce without raising its floor (PD-92)", () => {
  // spec: PD-92
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(50), fc.nat(1000)), { maxLength: 80 }),
      fc.integer({ min: 1, max: 8 }),
      (reqs, cap) => {
        let cache = EMPTY_REPLAY_CACHE;
        let now = 0;
        const seen: { nonce: string; time: number }[] = [];
        for (const [n, dt] of reqs) {
          now += dt;
          const nonce = toHex(new Uint8Array([n]));
          const time = now - (n % 7) * 10;
          const replay = isReplay(cache, nonce, time);
          // Any earlier nonce still inside the window is refused.
          if (seen.some((e) => e.nonce === nonce && e.time >= now - 300)) assert.ok(replay);
          if (!replay) {
            cache = remember(cache, nonce, time, now, 300, cap);
            seen.push({ nonce, time });
          }
          assert.ok(cache.entries.length <= cap);
        }
      },
    ),
    { numRuns: 300, seed: 12 },
  );
});

Deno.test("a-profile: keys differ per direction and epoch; GCM nonces are IV xor sequence number (PD-88 PD-90 PD-93)", () => {
  // spec: PD-88 PD-90 PD-93
  const suite = getSuite("p256");
  const secrets = initialSecrets(suite.kdf, new Uint8Array(32).fill(7), new Uint8Array(32).fill(9));
  const keys = new Set<string>();
  for (const dir of ["i2r", "r2i"] as const) {
    let secret = secrets[dir];
    for (let e = 0; e < 4; e++) {
      keys.add(toHex(trafficKeys(suite.kdf, secret, "aes-256-gcm").key));
      secret = nextSecret(suite.kdf, secret);
    }
  }
  assert.equal(keys.size, 8);
  const iv = new Uint8Array(12).fill(0xaa);
  assert.equal(toHex(pduNonce(iv, 1)), "aaaaaaaaaaaaaaaaaaaaaaab");
  assert.equal(toHex(pduNonce(iv, 0x0102)), "aaaaaaaaaaaaaaaaaaaaaba8");
  const other = initialSecrets(suite.kdf, new Uint8Array(32).fill(7), new Uint8Array(32).fill(8));
  assert.notEqual(toHex(other.i2r), toHex(secrets.i2r), "bound to the transcript hash");
});

Deno.test("a-profile: the PDU header written in place equals the generic encoding (PD-90)", () => {
  // spec: PD-90
  const pdu = fc.record({
    kind: fc.constantFrom(...PDU_KINDS),
    association: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    epoch: fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1)),
    seq: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(2 ** 32, 2 ** 32 - 1)),
    time: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constant(T0)),
  });
  fc.assert(
    fc.property(pdu, fc.constantFrom("i2r" as const, "r2i" as const), (p, d) => {
      assert.deepEqual(header(p, d), headerChecked(p, d));
    }),
    { numRuns: 500 },
  );
  // Out of range: refused as before (the generic path throws).
  const base = { kind: PDU_KINDS[0], association: new Uint8Array(16), epoch: 0, seq: 0, time: 0 };
  for (const bad of [{ epoch: 2 ** 32 }, { seq: -1 }, { time: 1.5 }]) {
    assert.throws(() => header({ ...base, ...bad }, "i2r"));
  }
});
