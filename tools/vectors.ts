/**
 * `deno task vectors [--check]`: regenerates every generated vector file from
 * its fixed seed. With `--check` it writes nothing and fails when a file on
 * disk differs from what the generator produces (CI runs this), so generated
 * vectors can never drift from the reference implementation.
 *
 * @module
 */
import { validateVectorFile, VECTORS_ROOT } from "../core/vectors.ts";
import { generators } from "./vector_generators.ts";

/** The canonical text of a vector file: two-space JSON and a final newline. */
export const vectorText = (content: unknown): string => JSON.stringify(content, null, 2) + "\n";

async function main(args: string[]): Promise<number> {
  const check = args.includes("--check");
  let differing = 0;
  let total = 0;
  for (const generator of generators) {
    for (const file of await generator.generate()) {
      total++;
      validateVectorFile(file.content, file.path);
      const url = new URL(file.path, VECTORS_ROOT);
      const text = vectorText(file.content);
      let onDisk: string | undefined;
      try {
        onDisk = await Deno.readTextFile(url);
      } catch {
        onDisk = undefined;
      }
      if (onDisk === text) continue;
      if (check) {
        differing++;
        console.error(`vectors: ${file.path} differs from its generator ${generator.name}`);
      } else {
        await Deno.mkdir(new URL(".", url), { recursive: true });
        await Deno.writeTextFile(url, text);
        console.error(`vectors: wrote ${file.path}`);
      }
    }
  }
  console.error(`vectors: ${total} generated files, ${differing} differing`);
  return differing === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
