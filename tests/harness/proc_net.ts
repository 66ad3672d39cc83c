/**
 * Which TCP addresses a process listens on, read from Linux's /proc.
 *
 * Used to check that a server started by the harness listens on loopback
 * only (DL-HARNESS-1): the process's socket inodes come from /proc/PID/fd,
 * the listening sockets with their local addresses from /proc/net/tcp{,6}.
 *
 * @module
 */

/** A listening TCP socket. */
export interface ListeningSocket {
  readonly address: string;
  readonly port: number;
  readonly inode: number;
}

const LISTEN = "0A";

/** Parses /proc/net/tcp or /proc/net/tcp6 text into its listening sockets. */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const [hexAddr, hexPort] = f[1].split(":");
    out.push({ address: decodeAddress(hexAddr), port: parseInt(hexPort, 16), inode: Number(f[9]) });
  }
  return out;
}

/** The listening TCP sockets that belong to process `pid`. */
export async function listeningSocketsOf(pid: number): Promise<ListeningSocket[]> {
  const inodes = new Set<number>();
  for await (const entry of Deno.readDir(`/proc/${pid}/fd`)) {
    const target = await Deno.readLink(`/proc/${pid}/fd/${entry.name}`).catch(() => "");
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) inodes.add(Number(m[1]));
  }
  const all: ListeningSocket[] = [];
  for (const table of ["tcp", "tcp6"]) {
    const text = await Deno.readTextFile(`/proc/${pid}/net/${table}`).catch(() => "");
    all.push(...parseProcNetTcp(text));
  }
  return all.filter((s) => inodes.has(s.inode));
}

/** /proc stores addresses as host-order 32-bit words in hex. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(":");
}
