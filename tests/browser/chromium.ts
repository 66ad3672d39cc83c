/**
 * Headless Chromium driven over the DevTools protocol with Deno's own
 * WebSocket (no puppeteer): launch with a throwaway profile, open a page,
 * collect every console error, exception and error log entry, evaluate
 * expressions, take screenshots, close. PD-177: a missing Chromium is an
 * error that says how to install it, never a skip.
 *
 * @module
 */

/** What to run when Chromium is missing. */
export const INSTALL_HINT = "install it as root with: apt-get update && " +
  "DEBIAN_FRONTEND=noninteractive apt-get install -y chromium (or bash .ci/install-chromium.sh); " +
  "or point CHROMIUM at a Chromium or Chrome binary";

const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

// spec: DL-SITE-5 PD-177
/** The Chromium binary: `$CHROMIUM`, else the first known name on `path`; throws with the install hint. */
export function findChromium(
  path = Deno.env.get("PATH") ?? "",
  override = Deno.env.get("CHROMIUM"),
): string {
  const candidates = override ? [override] : path.split(":").filter(Boolean)
    .flatMap((dir) => NAMES.map((n) => `${dir}/${n}`));
  for (const c of candidates) {
    try {
      const info = Deno.statSync(c);
      if (info.isFile && (info.mode ?? 0o111) & 0o111) return c;
    } catch {
      // not there: try the next one
    }
  }
  const where = override ? `CHROMIUM=${override} does not exist` : "no chromium on PATH";
  throw new Error(`Chromium is needed to render the docs (${where}); ${INSTALL_HINT}`);
}

// deno-lint-ignore no-explicit-any
type Json = any;

/** A DevTools protocol connection: numbered requests, events to listeners. */
class Cdp {
  readonly #ws: WebSocket;
  #next = 1;
  readonly #pending = new Map<number, { ok: (v: Json) => void; fail: (e: Error) => void }>();
  readonly #listeners = new Set<(method: string, params: Json, session?: string) => void>();
  readonly closed: Promise<void>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (typeof msg.id === "number") {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.fail(new Error(`${msg.error.message} (${msg.error.code})`));
        else p?.ok(msg.result);
      } else for (const l of this.#listeners) l(msg.method, msg.params, msg.sessionId);
    };
    this.closed = new Promise((resolve) => {
      ws.onclose = () => {
        for (const p of this.#pending.values()) p.fail(new Error("DevTools connection closed"));
        this.#pending.clear();
        resolve();
      };
    });
  }

  static connect(url: string): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Cdp(ws));
      ws.onerror = (e) => reject(new Error(`DevTools WebSocket: ${(e as ErrorEvent).message}`));
    });
  }

  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.#next++;
    return new Promise((ok, fail) => {
      this.#pending.set(id, { ok, fail });
      this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  on(listener: (method: string, params: Json, session?: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#ws.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// spec: DL-SITE-3
/** One tab. `problems` collects console errors, uncaught exceptions and error log entries. */
export class Page {
  readonly problems: string[] = [];
  readonly #cdp: Cdp;
  readonly #session: string;
  readonly #stop: () => void;

  constructor(cdp: Cdp, session: string) {
    this.#cdp = cdp;
    this.#session = session;
    this.#stop = cdp.on((method, p, s) => {
      if (s !== session) return;
      if (method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
        const text = (p.args ?? []).map((a: Json) => a.value ?? a.description ?? "").join(" ");
        this.problems.push(`console.${p.type}: ${text}`);
      } else if (method === "Runtime.exceptionThrown") {
        const d = p.exceptionDetails;
        this.problems.push(`exception: ${d.exception?.description ?? d.text}`);
      } else if (method === "Log.entryAdded" && p.entry.level === "error") {
        this.problems.push(`log ${p.entry.source}: ${p.entry.text} ${p.entry.url ?? ""}`.trim());
      }
    });
  }

  #send(method: string, params: Json = {}): Promise<Json> {
    return withTimeout(this.#cdp.send(method, params, this.#session), 20_000, method);
  }

  /** Opens `url` and waits for its load event. */
  async goto(url: string, width = 1280, height = 900): Promise<void> {
    await this.#send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    let stop = () => {};
    const loaded = new Promise<void>((resolve) => {
      stop = this.#cdp.on((m, _p, s) => {
        if (s === this.#session && m === "Page.loadEventFired") resolve();
      });
    });
    try {
      const r = await this.#send("Page.navigate", { url });
      if (r.errorText) throw new Error(`cannot open ${url}: ${r.errorText}`);
      await withTimeout(loaded, 20_000, `load of ${url}`);
    } finally {
      stop();
    }
  }

  /** Evaluates an expression in the page and returns its value (JSON). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.#send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) {
      throw new Error(
        `evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
      );
    }
    return r.result.value as T;
  }

  /**
   * A PNG of the page from the top, at most `maxHeight` CSS pixels tall, or
   * of the box around the first element `selector` matches.
   */
  async screenshot(maxHeight = 6000, selector?: string): Promise<Uint8Array> {
    let clip: { x: number; y: number; width: number; height: number };
    if (selector) {
      clip = await this.evaluate(
        `(() => { const r = document.querySelector(${
          JSON.stringify(selector)
        }).getBoundingClientRect(); return { x: Math.max(0, r.left + scrollX - 8), ` +
          `y: Math.max(0, r.top + scrollY - 8), width: r.width + 16, height: r.height + 16 }; })()`,
      );
    } else {
      const m = await this.#send("Page.getLayoutMetrics");
      const size = m.cssContentSize ?? m.contentSize;
      clip = { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height) };
    }
    clip.height = Math.min(clip.height, maxHeight);
    const r = await this.#send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
      clip: { ...clip, scale: 1 },
    });
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }

  close(): void {
    this.#stop();
  }
}

/** A running headless Chromium with its own temporary profile. */
export class Browser {
  readonly #child: Deno.ChildProcess;
  readonly #cdp: Cdp;
  readonly #profile: string;
  readonly #stderr: Promise<void>;

  private constructor(child: Deno.ChildProcess, cdp: Cdp, profile: string, stderr: Promise<void>) {
    this.#child = child;
    this.#cdp = cdp;
    this.#profile = profile;
    this.#stderr = stderr;
  }

  /** Starts Chromium and connects to it; throws with the install hint when it is missing. */
  static async launch(): Promise<Browser> {
    const binary = findChromium();
    const profile = Deno.makeTempDirSync({ prefix: "derlink-chromium-" });
    const args = [
      "--headless=new",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-gpu",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-sync",
      "--hide-scrollbars",
      "--mute-audio",
      // Chromium refuses to run as root inside its sandbox.
      ...(Deno.uid() === 0 ? ["--no-sandbox"] : []),
      "about:blank",
    ];
    const child = new Deno.Command(binary, { args, stdin: "null", stdout: "null", stderr: "piped" })
      .spawn();
    // Read stderr until Chromium names its DevTools endpoint, then keep draining it.
    const tail: string[] = [];
    let found: (url: string) => void = () => {};
    const endpoint = new Promise<string>((resolve) => found = resolve);
    const stderr = (async () => {
      const decoder = new TextDecoder();
      let buffered = "";
      for await (const chunk of child.stderr) {
        buffered += decoder.decode(chunk, { stream: true });
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 20) tail.shift();
          const m = line.match(/DevTools listening on (ws:\/\/\S+)/);
          if (m) found(m[1]);
        }
      }
    })();
    let url: string;
    try {
      url = await withTimeout(endpoint, 30_000, "Chromium start");
    } catch (e) {
      child.kill("SIGKILL");
      await child.status;
      await stderr;
      Deno.removeSync(profile, { recursive: true });
      throw new Error(`${(e as Error).message}; Chromium said:\n${tail.join("\n")}`);
    }
    const cdp = await Cdp.connect(url);
    return new Browser(child, cdp, profile, stderr);
  }

  /** A new tab with console, runtime and log events enabled. */
  async newPage(): Promise<Page> {
    const { targetId } = await this.#cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.#cdp.send("Target.attachToTarget", {
      targetId,
      flatten: true,
    });
    const page = new Page(this.#cdp, sessionId);
    for (const domain of ["Runtime", "Log", "Page"]) {
      await this.#cdp.send(`${domain}.enable`, {}, sessionId);
    }
    return page;
  }

  /** Closes Chromium (politely, then by force) and removes its profile. */
  async close(): Promise<void> {
    try {
      await withTimeout(this.#cdp.send("Browser.close"), 5_000, "Browser.close");
    } catch {
      // it may already be gone; the kill below makes sure
    }
    this.#cdp.close();
    await this.#cdp.closed;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = await Promise.race([
      this.#child.status.then(() => true),
      new Promise<boolean>((r) => timer = setTimeout(() => r(false), 5_000)),
    ]);
    clearTimeout(timer);
    if (!exited) {
      this.#child.kill("SIGKILL");
      await this.#child.status;
    }
    await this.#stderr;
    Deno.removeSync(this.#profile, { recursive: true });
  }
}
