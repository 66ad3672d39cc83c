/**
 * Loading and validating JSON test vectors (DESIGN.md §4).
 *
 * Every file under `vectors/` names its schema; the loader validates the file
 * against the common header schema and its own schema before anyone reads a
 * field, so a malformed vector is a loud failure, never a silent skip.
 *
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { defineErrorCodes, DerlinkError } from "./errors.ts";

export const VectorError = defineErrorCodes("vectors", {
  "invalid-file": "a vector file does not match its schema",
  "unknown-schema": "a vector file names a schema that does not exist",
});

/** One test case (fields beyond the common ones depend on the schema). */
export interface VectorTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly spec: readonly string[];
  readonly result: "valid" | "invalid" | "acceptable";
  readonly error?: string;
  readonly [field: string]: unknown;
}

export interface VectorGroup {
  readonly type: string;
  readonly tests: readonly VectorTest[];
  readonly [field: string]: unknown;
}

export interface VectorFile {
  readonly suite: string;
  readonly schema: string;
  readonly version: number;
  readonly source: string;
  readonly generated?: boolean;
  readonly notes: Readonly<Record<string, string>>;
  readonly numberOfTests: number;
  readonly testGroups: readonly VectorGroup[];
  /** Where it was loaded from, relative to the vectors root. */
  readonly path: string;
}

export const VECTORS_ROOT = new URL("../vectors/", import.meta.url);
const SCHEMAS = new URL("schemas/", VECTORS_ROOT);
const COMMON = "vector-file.schema.json";

let ajv: Ajv2020 | undefined;
function validator(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const entry of Deno.readDirSync(SCHEMAS)) {
    if (entry.isFile && entry.name.endsWith(".schema.json")) {
      ajv.addSchema(JSON.parse(Deno.readTextFileSync(new URL(entry.name, SCHEMAS))), entry.name);
    }
  }
  return ajv;
}

/** Validates parsed JSON as a vector file; throws `vectors/invalid-file` with every schema error. */
// spec: DL-VEC-1
export function validateVectorFile(data: unknown, path: string): VectorFile {
  const v = validator();
  const check = (schema: string) => {
    const fn = v.getSchema(schema);
    if (!fn) throw new DerlinkError(VectorError["unknown-schema"], `${path}: ${schema}`);
    if (!fn(data)) {
      const why = (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("; ");
      throw new DerlinkError(VectorError["invalid-file"], `${path} (${schema}): ${why}`);
    }
  };
  check(COMMON);
  const file = data as Omit<VectorFile, "path">;
  if (file.schema !== COMMON) check(file.schema);
  const counted = file.testGroups.reduce((n, g) => n + g.tests.length, 0);
  if (counted !== file.numberOfTests) {
    throw new DerlinkError(
      VectorError["invalid-file"],
      `${path}: numberOfTests ${file.numberOfTests} but ${counted} tests`,
    );
  }
  const ids = new Set<number>();
  for (const g of file.testGroups) {
    for (const t of g.tests) {
      if (ids.has(t.tcId)) {
        throw new DerlinkError(VectorError["invalid-file"], `${path}: duplicate tcId ${t.tcId}`);
      }
      ids.add(t.tcId);
    }
  }
  return { ...file, path };
}

/** Loads and validates one file, path relative to `vectors/`. */
export function loadVectorFile(relativePath: string): VectorFile {
  const text = Deno.readTextFileSync(new URL(relativePath, VECTORS_ROOT));
  return validateVectorFile(JSON.parse(text), relativePath);
}

/** Every vector file under `vectors/` (schemas excluded), sorted by path. */
export function listVectorFiles(dir: URL = VECTORS_ROOT, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name === "schemas") continue;
    const rel = prefix + entry.name;
    if (entry.isDirectory) out.push(...listVectorFiles(new URL(entry.name + "/", dir), rel + "/"));
    else if (entry.name.endsWith(".json")) out.push(rel);
  }
  return out.sort();
}
