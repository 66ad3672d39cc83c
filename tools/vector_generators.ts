/**
 * The list of vector generators run by `deno task vectors`. Each generator is
 * deterministic (fixed seeds through SeededEntropy) and returns whole vector
 * files keyed by their path under `vectors/`.
 *
 * @module
 */
import { cryptoVectorGenerator } from "../core/crypto/vectorgen/write.ts";
import { scramVectorGenerator } from "../state-machines/xmpp-stream/sasl/scram_vectors.ts";
import { streamVectorGenerator } from "../state-machines/xmpp-stream/stream_vectors_gen.ts";
import { pkiVectorGenerator } from "../core/pki/vectorgen/write.ts";
import { groupKeyingVectorGenerator } from "../state-machines/group-keying/vectorgen/write.ts";
import { aProfileVectorGenerator } from "../state-machines/a-profile/vectorgen/write.ts";
import { mucVectorGenerator } from "../state-machines/muc/vectorgen.ts";
import { associationVectorGenerator } from "../state-machines/association/vectorgen.ts";
import { derModelVectorGenerator } from "../apps/der/vectorgen.ts";
import { discoVectorGenerator } from "../state-machines/disco/vectorgen.ts";
import { pubsubVectorGenerator } from "../state-machines/pubsub/vectorgen.ts";
import { accessTokenVectorGenerator } from "../core/access/vectorgen/write.ts";
import { perMessageVectorGenerator } from "../state-machines/per-message/vectorgen/write.ts";
import { oauthBearerVectorGenerator } from "../state-machines/xmpp-stream/sasl/oauthbearer_vectors.ts";
import { oauthBearerReceiverVectorGenerator } from "../state-machines/xmpp-stream/vectors_oauthbearer.ts";

/** A generated vector file: path under `vectors/` and its JSON content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: unknown;
}

/** A named, deterministic generator. */
export interface VectorGenerator {
  readonly name: string;
  generate(): GeneratedFile[] | Promise<GeneratedFile[]>;
}

/** Every generator; areas add theirs here. */
export const generators: readonly VectorGenerator[] = [
  cryptoVectorGenerator,
  scramVectorGenerator,
  streamVectorGenerator,
  pkiVectorGenerator,
  groupKeyingVectorGenerator,
  aProfileVectorGenerator,
  mucVectorGenerator,
  associationVectorGenerator,
  accessTokenVectorGenerator,
  discoVectorGenerator,
  pubsubVectorGenerator,
  derModelVectorGenerator,
  oauthBearerVectorGenerator,
  perMessageVectorGenerator,
  oauthBearerReceiverVectorGenerator,
];
