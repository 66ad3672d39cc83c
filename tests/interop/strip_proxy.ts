/**
 * A loopback TCP proxy for interop tests that plays a STARTTLS-stripping
 * attacker: it forwards both directions unchanged, except that it removes
 * the `<starttls/>` feature from the server's first stream features. It
 * records what the client sent, so a test can show nothing left in clear.
 *
 * @module
 */
import { concat, fromUtf8, utf8 } from "../../core/bytes.ts";
import { LOOPBACK } from "../harness/prosody.ts";

export interface StripProxy {
  readonly port: number;
  /** Everything the client sent, as text. */
  clientSent(): string;
  /** True once a features element was rewritten. */
  stripped(): boolean;
  close(): Promise<void>;
}

const STARTTLS = /<starttls\b[^>]*?(?:\/>|>[\s\S]*?<\/starttls>)/;

export function startStripProxy(upstreamPort: number): StripProxy {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const conns = new Set<Deno.Conn>();
  const fromClient: Uint8Array[] = [];
  let didStrip = false;

  const pump = async (
    from: Deno.Conn,
    to: Deno.Conn,
    edit?: (b: Uint8Array) => Uint8Array | undefined,
  ) => {
    const buf = new Uint8Array(16_384);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        const chunk = buf.slice(0, n);
        const out = edit ? edit(chunk) : chunk;
        if (out && out.length) await to.write(out);
      }
    } catch {
      // either side went away
    } finally {
      for (const c of [from, to]) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    }
  };

  const serve = async () => {
    for await (const client of listener) {
      const server = await Deno.connect({ hostname: LOOPBACK, port: upstreamPort });
      conns.add(client).add(server);
      let pending: Uint8Array | undefined = new Uint8Array(0);
      void pump(client, server, (b) => {
        fromClient.push(b);
        return b;
      });
      void pump(server, client, (b) => {
        if (pending === undefined) return b;
        pending = concat(pending, b);
        const text = fromUtf8(pending);
        if (!text.includes("</stream:features>")) return undefined;
        pending = undefined;
        didStrip = STARTTLS.test(text);
        return utf8(text.replace(STARTTLS, ""));
      });
    }
  };
  const served = serve().catch(() => {});

  return {
    port: (listener.addr as Deno.NetAddr).port,
    clientSent: () => fromUtf8(concat(...fromClient)),
    stripped: () => didStrip,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await served;
    },
  };
}
