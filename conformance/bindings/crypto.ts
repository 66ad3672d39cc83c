/**
 * The reference crypto suites at protocol level, for one provider choice
 * (docs/conformance.md lists the functions). Asymmetric functions take a
 * `suite` id ("p256", "brainpool256", "x25519-ed25519"); symmetric ones
 * (SHA-256, HMAC-SHA-256, HKDF-SHA-256, AES-GCM) take none. Every byte
 * string is hex. A suite the provider cannot compute is `unsupported`.
 *
 * @module
 */
import { toHex } from "../../core/bytes.ts";
import {
  getSuite,
  isSuiteId,
  type ProviderChoice,
  type Suite,
  supports,
} from "../../core/crypto/suite.ts";
import { IutUnsupported } from "../iut/backend.ts";
import type { FunctionBinding } from "../iut/bindings.ts";
import type { JsonObject } from "../iut/protocol.ts";
import { bytes, num, str } from "./args.ts";

export function cryptoBindings(provider: ProviderChoice = "default") {
  /** The suite named by `args.suite` (symmetric functions: any suite the provider has). */
  const suiteOf = (args: JsonObject, symmetric = false): Suite => {
    const id = symmetric ? "p256" : str(args, "suite");
    if (!isSuiteId(id) || !supports(id, provider)) {
      throw new IutUnsupported(`provider ${provider} does not implement this suite`);
    }
    return getSuite(id, provider);
  };
  const sym = (args: JsonObject) => suiteOf(args, true);
  const functions: Record<string, FunctionBinding> = {
    "crypto.kex.public-key": (a) => ({
      public: toHex(suiteOf(a).kex.publicFromPrivate(bytes(a, "private"))),
    }),
    "crypto.kex.check-public": (a) => (suiteOf(a).kex.checkPublicKey(bytes(a, "public")), {}),
    "crypto.kex.agree": (a) => ({
      shared: toHex(suiteOf(a).kex.agree(bytes(a, "private"), bytes(a, "public"))),
    }),
    "crypto.sig.public-key": (a) => ({
      public: toHex(suiteOf(a).sig.publicFromPrivate(bytes(a, "private"))),
    }),
    "crypto.sig.sign": (a) => {
      const s = suiteOf(a);
      return {
        sig: toHex(s.sig.sign(bytes(a, "private"), bytes(a, "msg"))),
        deterministic: s.sig.deterministic,
      };
    },
    "crypto.sig.verify": (a) => ({
      valid: suiteOf(a).sig.verify(bytes(a, "public"), bytes(a, "msg"), bytes(a, "sig")),
    }),
    "crypto.sig.check": (a) => {
      const r = suiteOf(a).sig.check(bytes(a, "public"), bytes(a, "msg"), bytes(a, "sig"));
      if (!r.ok) throw r.error;
      return {};
    },
    "crypto.sha256": (a) => ({ digest: toHex(sym(a).hash.digest(bytes(a, "msg"))) }),
    "crypto.hmac-sha256": (a) => ({ tag: toHex(sym(a).mac.mac(bytes(a, "key"), bytes(a, "msg"))) }),
    "crypto.hmac-sha256.verify": (a) => ({
      valid: sym(a).mac.verify(bytes(a, "key"), bytes(a, "msg"), bytes(a, "tag")),
    }),
    "crypto.hkdf-sha256": (a) => ({
      okm: toHex(
        sym(a).kdf.hkdf(bytes(a, "ikm"), bytes(a, "salt"), bytes(a, "info"), num(a, "size")),
      ),
    }),
    "crypto.hkdf-sha256.extract": (a) => ({
      prk: toHex(sym(a).kdf.extract(bytes(a, "salt"), bytes(a, "ikm"))),
    }),
    "crypto.hkdf-sha256.expand": (a) => ({
      okm: toHex(sym(a).kdf.expand(bytes(a, "prk"), bytes(a, "info"), num(a, "size"))),
    }),
    "crypto.aes-gcm.seal": (a) => ({
      sealed: toHex(
        sym(a).aead.seal(bytes(a, "key"), bytes(a, "iv"), bytes(a, "msg"), bytes(a, "aad")),
      ),
    }),
    "crypto.aes-gcm.open": (a) => ({
      msg: toHex(
        sym(a).aead.open(bytes(a, "key"), bytes(a, "iv"), bytes(a, "sealed"), bytes(a, "aad")),
      ),
    }),
  };
  return { functions, machines: {} };
}
