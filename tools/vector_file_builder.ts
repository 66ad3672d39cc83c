/**
 * The builder vector generators share: accumulates test groups, numbers
 * tests 1..n in order of addition, and writes the Wycheproof-style header
 * of DESIGN.md §4 in a fixed key order (so regenerated files are
 * byte-identical).
 *
 * @module
 */

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** One test as a generator writes it; `tcId` is assigned by the builder. */
export interface TestCase {
  comment: string;
  flags?: string[];
  spec: string[];
  result: "valid" | "invalid" | "acceptable";
  error?: string;
  [field: string]: Json | undefined;
}

/** The header fields of a vector file (see vectors/schemas/vector-file.schema.json). */
export interface VectorFileHeader {
  readonly suite: string;
  readonly schema: string;
  readonly source: string;
  readonly notes: Record<string, string>;
  /** Set by generators whose output CI regenerates and compares. */
  readonly generated?: boolean;
}

/** Accumulates groups and numbers tests 1..n in order of addition. */
export class VectorFileBuilder {
  #groups: { [k: string]: Json }[] = [];
  #count = 0;

  constructor(readonly header: VectorFileHeader) {}

  group(type: string, fields: Record<string, Json>, tests: TestCase[]): this {
    const numbered = tests.map((t) => {
      const { comment, flags, spec, result, error, ...rest } = t;
      const out: { [k: string]: Json } = { tcId: ++this.#count, comment, flags: flags ?? [], spec };
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
      out.result = result;
      if (error !== undefined) out.error = error;
      return out;
    });
    this.#groups.push({ type, ...fields, tests: numbered });
    return this;
  }

  build(): Json {
    const { suite, schema, source, notes, generated } = this.header;
    return {
      suite,
      schema,
      version: 1,
      source,
      ...(generated === undefined ? {} : { generated }),
      notes,
      numberOfTests: this.#count,
      testGroups: this.#groups,
    };
  }
}
