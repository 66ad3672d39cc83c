/**
 * derlink's public entry: re-exports the stable API of its modules, nothing
 * else. Importing it also registers every area's error codes, which is what
 * `docs/errors.md` is generated from (`deno task errors-doc`).
 *
 * @module
 */
export * from "./core/errors.ts";
export * from "./core/bytes.ts";
export * from "./core/entropy.ts";
export * from "./core/machine.ts";
export * from "./core/spec.ts";
export * from "./core/vectors.ts";
export * from "./core/crypto/suite.ts";
export * from "./core/xml.ts";
export * from "./state-machines/xmpp-stream/sasl/mod.ts";
export * from "./core/jid.ts";
export * from "./state-machines/xmpp-stream/errors.ts";
export * from "./adapters/deno-tcp.ts";
export * from "./core/pki/mod.ts";
export * from "./state-machines/group-keying/mod.ts";
export * from "./state-machines/muc/mod.ts";
export * from "./state-machines/a-profile/mod.ts";
export * from "./state-machines/association/mod.ts";
export * from "./state-machines/disco/mod.ts";
export * from "./state-machines/pubsub/mod.ts";
export * from "./core/access/mod.ts";
export * from "./core/acl/mod.ts";
export * from "./core/operator-auth/mod.ts";
/** The DER application (issue 6): information model, simulator, serve/tick/applyGroupCommand. */
export * as der from "./apps/der/mod.ts";
/** The control-centre application: traffic-light planner, group commands, market, fleet view. */
export * as controlCentre from "./apps/control-centre/mod.ts";
/** Per-message end-to-end protection (RFC 3923-style, the alternative to the A-profile session). */
export * as perMessage from "./state-machines/per-message/mod.ts";
/** The architecture options of issue 9 items 2-4: protection, credential plan, key server placement. */
export * as architecture from "./apps/options.ts";
