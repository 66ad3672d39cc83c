/**
 * Generator of `vectors/sasl/scram.json` (run by `deno task vectors`).
 *
 * The two RFC example exchanges are typed in (vectorgen/common.ts) from
 * RFC 5802 §5 and RFC 7677 §3. Every other case is derived from them: tables
 * of edits in vectorgen/, each with the code it must produce, written by
 * hand. Where a derived case needs a valid proof or signature over changed
 * messages (for instance a c= that carries the wrong binding but a correct
 * proof), vectorgen/common.ts computes it from
 * the key-schedule primitives directly — not through the client and server
 * functions under test — so the vectors check the message handling against
 * an independent assembly of AuthMessage.
 *
 * @module
 */
import { resetIds } from "./vectorgen/common.ts";
import { sha1ClientGroup } from "./vectorgen/client_sha1.ts";
import { otherClientGroups } from "./vectorgen/client_other.ts";
import { sha1ServerGroup } from "./vectorgen/server_sha1.ts";
import { otherServerGroups } from "./vectorgen/server_other.ts";

type Json = Record<string, unknown>;

/** The whole vector file. */
export function scramVectorFile(): Json {
  resetIds();
  const testGroups = [
    sha1ClientGroup(),
    ...otherClientGroups(),
    sha1ServerGroup(),
    ...otherServerGroups(),
  ];
  return {
    suite: "sasl.scram",
    schema: "scram.schema.json",
    version: 1,
    source:
      "RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256) example exchanges, typed in; every other case derived from them by state-machines/xmpp-stream/sasl/scram_vectors.ts with hand-written expected codes",
    generated: true,
    notes: {
      "rfc-example": "an exchange printed in the RFC, reproduced byte for byte",
      "saslprep": "exercises SASLprep (RFC 4013) of a username or password",
      "policy": "depends on the policy given in the test",
      "nonce": "nonce syntax or nonce continuity",
      "iterations": "iteration-count syntax or bounds",
      "salt": "salt encoding",
      "extension": "mandatory (m=) or optional extensions",
      "order": "attributes out of their defined order",
      "missing": "a required attribute or message is missing",
      "syntax": "other syntax errors",
      "encoding": "bytes that are not UTF-8",
      "signature": "the server signature does not verify",
      "proof": "the client proof does not verify",
      "server-error": "the server's e= value and the code it maps to",
      "channel-binding": "GS2 flags, -PLUS and the c= attribute",
      "downgrade": "an attempt to strip channel binding",
      "escaping": "SASLname =2C / =3D escaping",
      "unknown-user": "a username the server does not know",
      "replay": "a message from an earlier exchange",
    },
    numberOfTests: testGroups.reduce((n, g) => n + (g.tests as unknown[]).length, 0),
    testGroups,
  };
}

/** For tools/vector_generators.ts. */
export const scramVectorGenerator = {
  name: "sasl.scram",
  generate: () => [{ path: "sasl/scram.json", content: scramVectorFile() }],
};
