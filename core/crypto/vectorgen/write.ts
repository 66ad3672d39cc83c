/**
 * Writes the crypto vector files under vectors/crypto/ from the generators
 * in this folder. Run: `deno run --allow-read --allow-write core/crypto/vectorgen/write.ts`.
 * A unit test checks that the committed files equal what this produces.
 *
 * @module
 */
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

export const render = (json: Json): string => JSON.stringify(json, null, 2) + "\n";

if (import.meta.main) {
  const dir = new URL("../../../vectors/crypto/", import.meta.url);
  Deno.mkdirSync(dir, { recursive: true });
  for (const [name, json] of cryptoVectorFiles()) {
    Deno.writeTextFileSync(new URL(name, dir), render(json));
    console.log(`vectors/crypto/${name}`);
  }
}
