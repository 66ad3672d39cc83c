/**
 * The grid operator's login service over HTTP (Option 2, PD-223): a thin
 * Deno.serve wrapper around core/operator-auth's pure `answerLoginRequest`.
 * It reads the method, two headers and at most MAX_BODY_BYTES of body,
 * passes the clock's time in, and writes the JSON answer. Loopback by
 * default; a deployment puts it behind TLS (Deno.serve's `cert`/`key`).
 *
 * ```ts
 * const service = await createLoginService({ acl, issuer, keys, callerSecret });
 * const running = startOperatorAuthService(service);
 * // Prosody: operatorAuthHostLua({ url: running.url, callerSecret })
 * await running.close();
 * ```
 *
 * @module
 */
import {
  answerLoginRequest,
  type LoginService,
  MAX_BODY_BYTES,
} from "../core/operator-auth/mod.ts";

export interface OperatorAuthServiceOptions {
  /** Default 127.0.0.1. */
  readonly hostname?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Path of the login endpoint. Default "/login". */
  readonly path?: string;
  /** Milliseconds since the epoch. Default Date.now. */
  readonly clock?: () => number;
  /** Called once per answered request (for counting in benches and tests). */
  readonly onAnswer?: (status: number, body: Readonly<Record<string, unknown>>) => void;
}

export interface RunningOperatorAuthService {
  /** The login endpoint's URL, for Prosody's configuration. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Reads at most `limit` bytes of body; undefined when there are more. */
async function boundedText(request: Request, limit: number): Promise<string | undefined> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) all.set(c, at), at += c.length;
  return new TextDecoder("utf-8", { fatal: false }).decode(all);
}

/** Starts the service; resolves nothing, it is listening when this returns. */
// spec: PD-223 DL-OPT2-3 PAPER-OPT2
export function startOperatorAuthService(
  service: LoginService,
  options: OperatorAuthServiceOptions = {},
): RunningOperatorAuthService {
  const path = options.path ?? "/login";
  const clock = options.clock ?? Date.now;
  const server = Deno.serve(
    {
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 0,
      onListen: () => {},
    },
    async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname !== path) return new Response(null, { status: 404 });
      const answer = await answerLoginRequest(service, {
        method: request.method,
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
        body: await boundedText(request, MAX_BODY_BYTES),
      }, clock());
      options.onAnswer?.(answer.status, answer.body);
      return Response.json(answer.body, { status: answer.status });
    },
  );
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://${addr.hostname}:${addr.port}${path}`,
    port: addr.port,
    close: () => server.shutdown(),
  };
}
