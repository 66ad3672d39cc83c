/**
 * Just enough PNG reading to tell a real screenshot from a blank or broken
 * one: the signature, the IHDR size, and how varied the image data is once
 * inflated (a one-colour page inflates to a handful of distinct bytes).
 *
 * @module
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngSummary {
  readonly width: number;
  readonly height: number;
  /** Distinct byte values in the inflated image data (filter bytes included). */
  readonly distinctBytes: number;
}

/** Reads a PNG's size and the variety of its pixels; throws on anything that is not a PNG. */
export async function summarisePng(png: Uint8Array): Promise<PngSummary> {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error("not a PNG");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0, height = 0;
  const idat: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 8; at + 12 <= png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
    } else if (type === "IDAT") idat.push(new Uint8Array(data));
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (!width || !height || !idat.length) throw new Error("PNG without IHDR or IDAT");
  const inflated = new Uint8Array(
    await new Response(new Blob(idat).stream().pipeThrough(new DecompressionStream("deflate")))
      .arrayBuffer(),
  );
  const seen = new Set<number>();
  for (const b of inflated) {
    seen.add(b);
    if (seen.size === 256) break;
  }
  return { width, height, distinctBytes: seen.size };
}
