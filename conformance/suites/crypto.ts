/**
 * Checkers for the crypto vectors (vectors/crypto/*.json, schema
 * crypto.schema.json), written against the IUT's `crypto.*` functions. Unit
 * tests run every file through `cryptoCheckers("noble")`, `("node")` and
 * `("default")` — the reference with one provider choice of the
 * {@link Suite} interface each — so a vector means the same thing in tests,
 * in conformance reports and against an out-of-process IUT.
 *
 * @module
 */
import type { ProviderChoice } from "../../core/crypto/suite.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import { type CallOutcome, type IutBackend, protocolChecker } from "../iut/backend.ts";
import { bindingBackend, combineBindings } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { cryptoBindings } from "../bindings/crypto.ts";
import { reference } from "../bindings/reference.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const PASS: CaseOutcome = { verdict: "pass" };

/** A function refused where the vector expects a result. */
class Refused extends Error {
  constructor(readonly what: string, readonly code: string) {
    super(`${what} refused with ${code}`);
  }
}

/** The result of a call that must succeed. */
function take(what: string, r: CallOutcome): JsonObject {
  if (!r.ok) throw new Refused(what, r.code);
  return r.result;
}

function compare(what: string, expected: string, observed: unknown): CaseOutcome {
  return observed === expected
    ? PASS
    : { verdict: "fail", expected, observed, message: `${what} differs` };
}

/** A call expected to refuse with `code`. */
async function expectCode(
  what: string,
  code: string | undefined,
  call: Promise<CallOutcome>,
): Promise<CaseOutcome> {
  const r = await call;
  if (!r.ok) {
    return r.code === code ? PASS : {
      verdict: "fail",
      expected: code,
      observed: r.code,
      message: `${what} refused with another code`,
    };
  }
  return { verdict: "fail", expected: code, observed: "accepted", message: `${what} was accepted` };
}

/** Runs outcome producers in order, stopping at the first non-pass. */
async function all(...steps: (() => Promise<CaseOutcome> | CaseOutcome)[]): Promise<CaseOutcome> {
  for (const step of steps) {
    const out = await step();
    if (out.verdict !== "pass") return out;
  }
  return PASS;
}

/** The crypto checkers, run against `iut`. */
export function cryptoCheckersFor(iut: IutBackend): GroupChecker[] {
  const call = (fn: string, args: JsonObject) => iut.call(`crypto.${fn}`, args);
  const checker = (
    groupType: string,
    functions: string[],
    run: (t: VectorTest, g: VectorGroup, suite: JsonObject) => Promise<CaseOutcome>,
  ): GroupChecker =>
    protocolChecker(
      iut,
      groupType,
      () => ({ functions: functions.map((f) => `crypto.${f}`) }),
      async (test, group) => {
        try {
          return await run(test, group, group.suite ? { suite: String(group.suite) } : {});
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          return { verdict: "fail", observed: e.code, message: `${e.what} refused unexpectedly` };
        }
      },
    );
  const hex = (v: unknown) => String(v ?? "");

  return [
    checker("crypto-kex", ["kex.public-key", "kex.check-public", "kex.agree"], (t, _g, s) => {
      const d = hex(t.private), q = hex(t.public);
      if (t.result !== "valid") {
        return expectCode(
          "key agreement",
          t.error,
          call("kex.agree", { ...s, private: d, public: q }),
        );
      }
      return all(
        async () => (t.ownPublic
          ? compare(
            "own public key",
            String(t.ownPublic),
            take("public key", await call("kex.public-key", { ...s, private: d })).public,
          )
          : PASS),
        async () => (take("public key check", await call("kex.check-public", { ...s, public: q })),
          PASS),
        async () =>
          compare(
            "shared secret",
            String(t.shared),
            take("key agreement", await call("kex.agree", { ...s, private: d, public: q })).shared,
          ),
      );
    }),
    checker("crypto-kex-iterated", ["kex.agree"], async (t, _g, s) => {
      // RFC 7748 §5.2: k and u start as the base point 9; each round k <- X25519(k, u), u <- old k.
      const nine = "09" + "00".repeat(31);
      let k = nine, u = nine;
      for (let i = 0; i < Number(t.iterations); i++) {
        const next = String(
          take("key agreement", await call("kex.agree", { ...s, private: k, public: u })).shared,
        );
        [k, u] = [next, k];
      }
      return compare("iterated output", String(t.output), k);
    }),
    checker("crypto-public-key", ["kex.public-key", "sig.public-key"], async (t, g, s) => {
      const fn = g.scheme === "kex" ? "kex.public-key" : "sig.public-key";
      const args = { ...s, private: hex(t.private) };
      if (t.result !== "valid") return expectCode("private key", t.error, call(fn, args));
      return compare(
        "public key",
        String(t.public),
        take("public key", await call(fn, args)).public,
      );
    }),
    checker(
      "crypto-signature",
      ["sig.check", "sig.verify", "sig.sign"],
      async (t, g, s) => {
        const args = {
          ...s,
          public: hex(t.publicKey ?? g.publicKey),
          msg: hex(t.msg),
          sig: hex(t.sig),
        };
        const checked = await call("sig.check", args);
        const verified = take("verify", await call("sig.verify", args)).valid === true;
        if (t.result !== "valid") {
          if (verified) return { verdict: "fail", expected: t.error, observed: "verified" };
          if (checked.ok) return { verdict: "fail", expected: t.error, observed: "check passed" };
          return checked.code === t.error
            ? PASS
            : { verdict: "fail", expected: t.error, observed: checked.code };
        }
        if (!checked.ok || !verified) {
          return {
            verdict: "fail",
            expected: "valid",
            observed: checked.ok ? "verify false" : checked.code,
          };
        }
        if (!g.privateKey) return PASS;
        const fresh = take(
          "sign",
          await call("sig.sign", { ...s, private: hex(g.privateKey), msg: hex(t.msg) }),
        );
        // A deterministic signer must reproduce the vector; any signer's output must verify.
        if (fresh.deterministic === true) return compare("signature", String(t.sig), fresh.sig);
        const again = take("verify", await call("sig.verify", { ...args, sig: String(fresh.sig) }));
        return again.valid === true
          ? PASS
          : { verdict: "fail", message: "fresh signature does not verify" };
      },
    ),
    checker(
      "crypto-hash",
      ["sha256"],
      async (t) =>
        compare(
          "digest",
          String(t.digest),
          take("digest", await call("sha256", { msg: hex(t.msg) })).digest,
        ),
    ),
    checker("crypto-hmac", ["hmac-sha256", "hmac-sha256.verify"], async (t) => {
      const key = hex(t.key), msg = hex(t.msg), expected = String(t.tag);
      const tag = String(take("mac", await call("hmac-sha256", { key, msg })).tag);
      const out = compare("tag", expected, tag.slice(0, expected.length));
      if (out.verdict !== "pass") return out;
      if (expected.length !== 64) {
        // spec: RFC2104-2
        // Verification takes full 32-byte tags only; a protocol that truncates checks its own
        // prefix (group keying's SPDUs do), so a truncated tag given to verify must be refused.
        const r = take("mac verify", await call("hmac-sha256.verify", { key, msg, tag: expected }));
        return r.valid === false
          ? PASS
          : { verdict: "fail", message: "mac.verify accepted a truncated tag" };
      }
      return take("mac verify", await call("hmac-sha256.verify", { key, msg, tag })).valid === true
        ? PASS
        : { verdict: "fail", message: "mac.verify refused" };
    }),
    checker(
      "crypto-hkdf",
      ["hkdf-sha256", "hkdf-sha256.extract", "hkdf-sha256.expand"],
      async (t) => {
        const args = {
          ikm: hex(t.ikm),
          salt: hex(t.salt),
          info: hex(t.info),
          size: Number(t.size),
        };
        if (t.result !== "valid") return expectCode("HKDF", t.error, call("hkdf-sha256", args));
        const okm = String(take("HKDF", await call("hkdf-sha256", args)).okm);
        if (t.okm === undefined) {
          return okm.length / 2 === args.size
            ? PASS
            : { verdict: "fail", expected: args.size, observed: okm.length / 2 };
        }
        const extract = async () =>
          String(
            take("extract", await call("hkdf-sha256.extract", { salt: args.salt, ikm: args.ikm }))
              .prk,
          );
        return all(
          () => compare("OKM", String(t.okm), okm),
          async () => (t.prk === undefined ? PASS : compare("PRK", String(t.prk), await extract())),
          async () =>
            compare(
              "expand(PRK)",
              String(t.okm),
              take(
                "expand",
                await call("hkdf-sha256.expand", {
                  prk: await extract(),
                  info: args.info,
                  size: args.size,
                }),
              ).okm,
            ),
        );
      },
    ),
    checker("crypto-aead", ["aes-gcm.seal", "aes-gcm.open"], (t) => {
      const key = hex(t.key), iv = hex(t.iv), aad = hex(t.aad), msg = hex(t.msg);
      const sealed = String(t.ct) + String(t.tag);
      if (t.result !== "valid") {
        return all(
          () => expectCode("open", t.error, call("aes-gcm.open", { key, iv, sealed, aad })),
          // Length faults are refused on the sealing side as well.
          () =>
            t.error === "crypto/aead-auth-failed"
              ? PASS
              : expectCode("seal", t.error, call("aes-gcm.seal", { key, iv, msg, aad })),
        );
      }
      return all(
        async () =>
          compare(
            "ciphertext||tag",
            sealed,
            take("seal", await call("aes-gcm.seal", { key, iv, msg, aad })).sealed,
          ),
        async () =>
          compare(
            "plaintext",
            msg,
            take("open", await call("aes-gcm.open", { key, iv, sealed, aad })).msg,
          ),
      );
    }),
  ];
}

/** The crypto checkers on the reference implementation with one provider choice. */
export function cryptoCheckers(provider: ProviderChoice = "default"): GroupChecker[] {
  return cryptoCheckersFor(
    bindingBackend(combineBindings(`derlink reference (${provider})`, [cryptoBindings(provider)])),
  );
}

/** Checkers with the default provider mix, as the conformance runner uses them. */
export const checkers: GroupChecker[] = cryptoCheckersFor(reference);
