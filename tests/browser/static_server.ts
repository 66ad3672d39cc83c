/**
 * A static file server on loopback for the browser test: the API reference
 * (typedoc) loads its icon sprite with `<use href="assets/icons.svg#…">`,
 * which Chromium refuses across `file:` URLs, so the docs are served the way
 * they are published, over HTTP from one origin. GET only, no directory
 * listings, nothing outside the root.
 *
 * @module
 */

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  md: "text/markdown; charset=utf-8",
  xml: "application/xml",
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT/` */
  readonly base: URL;
  close(): Promise<void>;
}

/** Serves the files under `root` on 127.0.0.1 at a free port. */
export function serveDirectory(root: string): StaticServer {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    // Browsers ask every HTTP origin for one; the docs have none.
    if (path === "/favicon.ico") return new Response(null, { status: 204 });
    if (req.method !== "GET" || path.split("/").includes("..")) {
      return new Response("refused", { status: 403 });
    }
    const file = path.endsWith("/") ? `${path}index.html` : path;
    try {
      const body = Deno.readFileSync(`${root}${file}`);
      const ext = file.slice(file.lastIndexOf(".") + 1);
      return new Response(body, {
        headers: { "content-type": TYPES[ext] ?? "application/octet-stream" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    base: new URL(`http://127.0.0.1:${addr.port}/`),
    close: () => server.shutdown(),
  };
}
