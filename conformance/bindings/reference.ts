/**
 * The reference implementation as an IUT at protocol level: every area's
 * bindings combined, served in process ({@link reference}) or over stdio
 * (`conformance/examples/deno_iut.ts`).
 *
 * @module
 */
import denoConfig from "../../deno.json" with { type: "json" };
import type { ProviderChoice } from "../../core/crypto/suite.ts";
import { bindingBackend, type Bindings, combineBindings } from "../iut/bindings.ts";
import type { IutBackend } from "../iut/backend.ts";
import { accessTokenBindings } from "./access-token.ts";
import { aProfileBindings } from "./a-profile.ts";
import { associationBindings } from "./association.ts";
import { cryptoBindings } from "./crypto.ts";
import { derModelBindings } from "./der-model.ts";
import { discoBindings } from "./disco.ts";
import { groupKeyingBindings } from "./group-keying.ts";
import { jidBindings } from "./jid.ts";
import { mucBindings } from "./muc.ts";
import { perMessageBindings } from "./per-message.ts";
import { pkiBindings } from "./pki.ts";
import { pubsubBindings } from "./pubsub.ts";
import { saslBindings } from "./sasl.ts";
import { saslOAuthBearerBindings } from "./sasl-oauthbearer.ts";
import { xmlBindings } from "./xml.ts";
import { xmppStreamBindings } from "./xmpp-stream.ts";

/** Every binding of the reference implementation (crypto with the given provider choice). */
export function referenceBindings(provider: ProviderChoice = "default"): Bindings {
  return combineBindings("derlink reference", [
    accessTokenBindings,
    aProfileBindings,
    associationBindings,
    cryptoBindings(provider),
    derModelBindings,
    discoBindings,
    groupKeyingBindings,
    jidBindings,
    mucBindings,
    perMessageBindings,
    pkiBindings,
    pubsubBindings,
    saslBindings,
    saslOAuthBearerBindings,
    xmlBindings,
    xmppStreamBindings,
  ], denoConfig.version);
}

/** The reference implementation, in process. */
export const reference: IutBackend = bindingBackend(referenceBindings());
