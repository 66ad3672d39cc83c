/**
 * Checkers for the crypto vectors (vectors/crypto/*.json, schema
 * crypto.schema.json): each group type is run against one provider choice
 * of the {@link Suite} interface. Unit tests run every file through
 * `cryptoCheckers("noble")`, `("node")` and `("default")`, so a vector
 * means the same thing in tests and in conformance reports.
 *
 * @module
 */
import { fromHex, toHex } from "../../core/bytes.ts";
import { isDerlinkError } from "../../core/errors.ts";
import type { VectorGroup, VectorTest } from "../../core/vectors.ts";
import {
  getSuite,
  isSuiteId,
  type ProviderChoice,
  type Suite,
  supports,
} from "../../core/crypto/suite.ts";
import type { CaseOutcome, GroupChecker } from "../suite.ts";

const PASS: CaseOutcome = { verdict: "pass" };
const h = (v: unknown): Uint8Array => fromHex(String(v ?? ""));

function compare(what: string, expected: string, observed: Uint8Array): CaseOutcome {
  const got = toHex(observed);
  return got === expected
    ? PASS
    : { verdict: "fail", expected, observed: got, message: `${what} differs` };
}

/** Runs `f` expecting a DerlinkError with `code`. */
function expectCode(what: string, code: string | undefined, f: () => unknown): CaseOutcome {
  try {
    f();
  } catch (e) {
    if (isDerlinkError(e) && e.code === code) return PASS;
    const observed = isDerlinkError(e) ? e.code : String(e);
    return {
      verdict: "fail",
      expected: code,
      observed,
      message: `${what} refused with another code`,
    };
  }
  return { verdict: "fail", expected: code, observed: "accepted", message: `${what} was accepted` };
}

/** Runs a sequence of outcome producers, stopping at the first non-pass. */
function all(...steps: (() => CaseOutcome)[]): CaseOutcome {
  for (const step of steps) {
    let out: CaseOutcome;
    try {
      out = step();
    } catch (e) {
      const observed = isDerlinkError(e) ? e.code : String(e);
      return { verdict: "fail", observed, message: "unexpected exception" };
    }
    if (out.verdict !== "pass") return out;
  }
  return PASS;
}

export function cryptoCheckers(provider: ProviderChoice = "default"): GroupChecker[] {
  /** The suite a group runs against, or null when this provider cannot compute it. */
  const suiteOf = (group: VectorGroup): Suite | null => {
    const id = String(group.suite ?? "p256"); // symmetric groups: any suite the provider has
    if (!isSuiteId(id) || !supports(id, provider)) return null;
    return getSuite(id, provider);
  };
  const na: CaseOutcome = {
    verdict: "not-applicable",
    message: `provider ${provider} does not implement this suite`,
  };
  const checker = (
    groupType: string,
    run: (s: Suite, t: VectorTest, g: VectorGroup) => CaseOutcome,
  ): GroupChecker => ({
    groupType,
    check(test, group) {
      const suite = suiteOf(group);
      return suite ? run(suite, test, group) : na;
    },
  });

  return [
    checker("crypto-kex", (s, t) => {
      const d = h(t.private), q = h(t.public);
      if (t.result !== "valid") {
        return expectCode("key agreement", t.error, () => s.kex.agree(d, q));
      }
      return all(
        () => (t.ownPublic
          ? compare("own public key", String(t.ownPublic), s.kex.publicFromPrivate(d))
          : PASS),
        () => (s.kex.checkPublicKey(q), PASS),
        () => compare("shared secret", String(t.shared), s.kex.agree(d, q)),
      );
    }),
    checker("crypto-kex-iterated", (s, t) => {
      // RFC 7748 §5.2: k and u start as the base point 9; each round k <- X25519(k, u), u <- old k.
      let k: Uint8Array = new Uint8Array(32), u: Uint8Array = new Uint8Array(32);
      k[0] = u[0] = 9;
      for (let i = 0; i < Number(t.iterations); i++) [k, u] = [s.kex.agree(k, u), k];
      return compare("iterated output", String(t.output), k);
    }),
    checker("crypto-public-key", (s, t, g) => {
      const scheme = g.scheme === "kex" ? s.kex : s.sig;
      const d = h(t.private);
      if (t.result !== "valid") {
        return expectCode("private key", t.error, () => scheme.publicFromPrivate(d));
      }
      return compare("public key", String(t.public), scheme.publicFromPrivate(d));
    }),
    checker("crypto-signature", (s, t, g) => {
      const pub = h(t.publicKey ?? g.publicKey), msg = h(t.msg), sig = h(t.sig);
      const checked = s.sig.check(pub, msg, sig);
      const verified = s.sig.verify(pub, msg, sig);
      if (t.result !== "valid") {
        if (verified) return { verdict: "fail", expected: t.error, observed: "verified" };
        if (checked.ok) return { verdict: "fail", expected: t.error, observed: "check passed" };
        return checked.error.code === t.error
          ? PASS
          : { verdict: "fail", expected: t.error, observed: checked.error.code };
      }
      if (!checked.ok || !verified) {
        return {
          verdict: "fail",
          expected: "valid",
          observed: checked.ok ? "verify false" : checked.error.code,
        };
      }
      if (!g.privateKey) return PASS;
      const d = h(g.privateKey);
      const fresh = s.sig.sign(d, msg);
      // A deterministic signer must reproduce the vector; any signer's output must verify.
      if (s.sig.deterministic) return compare("signature", String(t.sig), fresh);
      return s.sig.verify(pub, msg, fresh)
        ? PASS
        : { verdict: "fail", message: "fresh signature does not verify" };
    }),
    checker("crypto-hash", (s, t) => compare("digest", String(t.digest), s.hash.digest(h(t.msg)))),
    checker("crypto-hmac", (s, t) => {
      const key = h(t.key), msg = h(t.msg), expected = String(t.tag);
      const tag = s.mac.mac(key, msg);
      const out = compare("tag", expected, tag.subarray(0, expected.length / 2));
      if (out.verdict !== "pass" || expected.length !== 64) return out;
      return s.mac.verify(key, msg, tag)
        ? PASS
        : { verdict: "fail", message: "mac.verify refused" };
    }),
    checker("crypto-hkdf", (s, t) => {
      const ikm = h(t.ikm), salt = h(t.salt), info = h(t.info), size = Number(t.size);
      if (t.result !== "valid") {
        return expectCode("HKDF", t.error, () => s.kdf.hkdf(ikm, salt, info, size));
      }
      const okm = s.kdf.hkdf(ikm, salt, info, size);
      if (t.okm === undefined) {
        return okm.length === size
          ? PASS
          : { verdict: "fail", expected: size, observed: okm.length };
      }
      return all(
        () => compare("OKM", String(t.okm), okm),
        () => (t.prk === undefined
          ? PASS
          : compare("PRK", String(t.prk), s.kdf.extract(salt, ikm))),
        () =>
          compare("expand(PRK)", String(t.okm), s.kdf.expand(s.kdf.extract(salt, ikm), info, size)),
      );
    }),
    checker("crypto-aead", (s, t) => {
      const key = h(t.key), iv = h(t.iv), aad = h(t.aad), msg = h(t.msg);
      const sealed = h(String(t.ct) + String(t.tag));
      if (t.result !== "valid") {
        return all(
          () => expectCode("open", t.error, () => s.aead.open(key, iv, sealed, aad)),
          // Length faults are refused on the sealing side as well.
          () =>
            t.error === "crypto/aead-auth-failed"
              ? PASS
              : expectCode("seal", t.error, () => s.aead.seal(key, iv, msg, aad)),
        );
      }
      return all(
        () =>
          compare("ciphertext||tag", String(t.ct) + String(t.tag), s.aead.seal(key, iv, msg, aad)),
        () => compare("plaintext", String(t.msg), s.aead.open(key, iv, sealed, aad)),
      );
    }),
  ];
}

/** Checkers with the default provider mix, as the conformance runner uses them. */
export const checkers: GroupChecker[] = cryptoCheckers();
