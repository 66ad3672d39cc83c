/**
 * `deno task simulate --ders N --minutes M [--seed S] [--server xmpp://HOST:PORT ...]`
 *
 * Runs the scenario (simulation/scenario.ts), shows a progress bar on
 * stderr (when it is a terminal, or with --progress), prints the summary
 * table, the checks and the run's SHA-256 digest on stdout, and writes the
 * SVG plot. Exit code 0 when every check passed, 1 when one failed, 2 for
 * a usage error.
 *
 * @module
 */
import { JOIN_BATCH_MS, parseArgs } from "./options.ts";
import { simulate } from "./run.ts";
import { plotSvg } from "./svg.ts";

// spec: DL-SIM-8
function progressBar(enabled: boolean) {
  if (!enabled) return undefined;
  const t0 = performance.now();
  const enc = new TextEncoder();
  let last = -1;
  return (done: number, phase: string) => {
    const pct = Math.floor(done * 100);
    if (pct === last) return;
    last = pct;
    const width = 30, full = Math.round(done * width);
    const bar = "#".repeat(full) + ".".repeat(width - full);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    const line = `\r[${bar}] ${String(pct).padStart(3)} % ${phase.padEnd(20)} ${s} s `;
    Deno.stderr.writeSync(enc.encode(done >= 1 ? `${line}\n` : line));
  };
}

async function main(): Promise<number> {
  let o;
  try {
    o = parseArgs(Deno.args);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const show = o.progress === "on" || (o.progress === "auto" && Deno.stderr.isTerminal());
  let out;
  try {
    out = await simulate(o, { progress: progressBar(show) });
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const r = out.result;
  console.log(
    `derlink simulation: ${o.ders} DERs in ${
      Math.ceil(o.ders / o.groupSize)
    } groups of up to ${o.groupSize}, ` +
      `${o.minutes} virtual minutes, seed ${o.seed}, key path ${o.keyPath}, ` +
      `join batch ${o.joinBatchMs ?? JOIN_BATCH_MS} ms, ` +
      `SCRAM iterations ${o.scramIterations}` +
      (o.credentials ? `, credentials ${o.credentials}` : "") +
      (o.keyPlacement ? `, key server at ${o.keyPlacement}` : "") +
      (o.protection && o.protection !== "a-profile" ? `, protection ${o.protection}` : "") +
      (o.access ? `, access ${o.access}` : ""),
  );
  console.log(
    `PKI: ${o.ders + 3} certificates ${r.provision.cached ? "read from the cache" : "issued"} in ${
      (r.provision.wallMs / 1000).toFixed(2)
    } s (not part of the run)\n`,
  );
  console.log(out.summary);
  console.log(out.times);
  console.log();
  for (const line of out.checks) console.log(line);
  const svg = plotSvg(r, out.start);
  const dir = o.svg.includes("/") ? o.svg.slice(0, o.svg.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(o.svg, svg);
  if (o.json) {
    await Deno.writeTextFile(
      o.json,
      JSON.stringify(
        {
          options: o,
          digest: out.digest,
          phases: r.phases,
          counts: r.metrics.counts,
          errors: Object.fromEntries(r.metrics.errorCodes),
          checks: r.checks,
          events: r.metrics.eventCount,
        },
        null,
        2,
      ),
    );
  }
  console.log(`\nplot: ${o.svg}`);
  console.log(`events logged: ${r.metrics.eventCount}`);
  console.log(`digest (SHA-256 of the event log and summary, wall time excluded): ${out.digest}`);
  return out.passed ? 0 : 1;
}

Deno.exit(await main());
