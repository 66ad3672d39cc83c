/**
 * The crypto vector generator: every file under vectors/crypto/, built from
 * the typed-in RFC examples and the mutations in this folder. Registered in
 * tools/vector_generators.ts, so `deno task vectors` writes the files and
 * `deno task vectors --check` fails when the committed files drift.
 *
 * @module
 */
import type { VectorGenerator } from "../../../tools/vector_generators.ts";
import type { Json, VectorFileBuilder } from "./common.ts";
import { ed25519File, x25519File } from "./curve25519_vectors.ts";
import { aesGcmFile, hkdfFile, hmacFile, sha256File } from "./symmetric_vectors.ts";
import { brainpoolFile, p256File } from "./weierstrass_vectors.ts";

/** Every crypto vector file: name under vectors/crypto/ → JSON content. */
export function cryptoVectorFiles(): Map<string, Json> {
  const builders: VectorFileBuilder[] = [
    x25519File(),
    ed25519File(),
    p256File(),
    brainpoolFile(),
    sha256File(),
    hmacFile(),
    hkdfFile(),
    aesGcmFile(),
  ];
  return new Map(builders.map((b) => [b.name, b.build()]));
}

/** The generator entry for `deno task vectors`. */
export const cryptoVectorGenerator: VectorGenerator = {
  name: "crypto",
  generate: () =>
    [...cryptoVectorFiles()].map(([name, content]) => ({ path: `crypto/${name}`, content })),
};
