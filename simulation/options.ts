/**
 * The simulation's options, their defaults, and the command line that sets
 * them (`deno task simulate --ders N --minutes M [--seed S] ...`).
 *
 * @module
 */
import type { KeyPath } from "./context.ts";

/**
 * End-to-end protection in the scenario (PD-247, PD-249): the two-party
 * associations over the A-profile session (default) or per-message signing
 * and encryption, group commands under the group key either way; or "none",
 * a plaintext baseline for tests and `deno task compare` only, refused
 * unless `insecurePlaintextForTestOnly` is set.
 */
export type SimProtection = "a-profile" | "per-message" | "none";

/** Access control of the paper's §V (simulation/access.ts); absent: none. */
export type SimAccess = "option-1" | "option-2" | "option-3";
import { type CredentialsChoice, isCredentialsChoice } from "./credentials.ts";
import { isAccessChoice } from "./access.ts";
import type { KeyServerPlacement } from "../state-machines/group-keying/placement.ts";

export interface SimulationOptions {
  /** Number of DERs. */
  readonly ders: number;
  /** Virtual duration of the scenario, minutes. */
  readonly minutes: number;
  readonly seed: string;
  /** DERs per group (one room, one key group, one multicast association each). */
  readonly groupSize: number;
  /** How rekeys reach the members (PD-129): "room" (b) or "unicast" (a). */
  readonly keyPath: KeyPath;
  /**
   * The key servers' join batch window, ms (PD-267, PD-268): members admitted
   * within it join in one rekey; 0: one rekey per join. Default JOIN_BATCH_MS.
   */
  readonly joinBatchMs?: number;
  /** Share of DERs that drop out, percent. */
  readonly dropoutPct: number;
  /** The red light's curtailment level, percent of rated power. */
  readonly limitPct: number;
  /** The level of the command after the evictions, percent. */
  readonly secondLimitPct: number;
  /** SCRAM-SHA-256 iteration count of the accounts (and the clients' policy minimum). */
  readonly scramIterations: number;
  /** Directory of the PKI cache; undefined: issue the certificates every run. */
  readonly pkiCache?: string;
  /** Real XMPP servers to run over instead of the in-memory router. */
  readonly servers: readonly string[];
  /** End-to-end protection (default "a-profile"). */
  readonly protection?: SimProtection;
  /** TEST ONLY: must be true for protection "none" (refused otherwise, PD-247). */
  readonly insecurePlaintextForTestOnly?: boolean;
  /**
   * Paper §V (simulation/access.ts): the server enforces the grid operator's
   * ACL (option-1, PD-211/PD-212), the server delegates logins to the grid
   * operator, who issues login tokens (option-2, PD-242, PD-246), or the
   * DERs check the operator's access tokens (option-3, PD-243/PD-244).
   * Default none.
   */
  readonly access?: SimAccess;
  /** Credential plan (PD-254; default "separate/grid-ca": passwords, grid PKI end to end). */
  readonly credentials?: CredentialsChoice;
  /** Where the group key server runs (PD-231, PD-258; default "separate-kdc", its own login). */
  readonly keyPlacement?: KeyServerPlacement;
}

export interface CliOptions extends SimulationOptions {
  /** Progress bar: on, off, or only when stderr is a terminal. */
  readonly progress: "on" | "off" | "auto";
  /** Where the SVG plot goes. */
  readonly svg: string;
  /** Also write the summary as JSON here. */
  readonly json?: string;
}

/** The default join batch window, ms (PD-268). */
export const JOIN_BATCH_MS = 1_000;

export const DEFAULTS: CliOptions = {
  ders: 100,
  minutes: 10,
  seed: "derlink",
  groupSize: 20,
  keyPath: "room",
  joinBatchMs: JOIN_BATCH_MS,
  dropoutPct: 5,
  limitPct: 40,
  secondLimitPct: 30,
  scramIterations: 16,
  pkiCache: "report/cache",
  servers: [],
  progress: "auto",
  svg: "report/simulation.svg",
};

export const USAGE = `deno task simulate --ders N --minutes M [options]

  --ders N              number of DERs (default ${DEFAULTS.ders})
  --minutes M           virtual duration (default ${DEFAULTS.minutes})
  --seed S              same seed, same run and digest (default ${DEFAULTS.seed})
  --group-size G        DERs per group: room, key group, multicast association (default ${DEFAULTS.groupSize})
  --key-path room|unicast   rekeys through the room (b) or to each member (a) (default ${DEFAULTS.keyPath})
  --join-batch-ms MS    members admitted within MS join in one rekey; 0: a rekey per join (default ${DEFAULTS.joinBatchMs})
  --protection a-profile|per-message   end-to-end protection of the associations (default a-profile;
                        the plaintext baseline "none" is test only: deno task compare runs it)
  --credentials C       separate/grid-ca (default), one/grid-ca, end-to-end/server-ca or
                        separate/server-ca: login by password or certificate, who issues what
  --key-placement K     separate-kdc (default: the key server's own login) or control-centre
  --access A            none (default), option-1 (the operator's ACL at the server), option-2
                        (logins delegated to the operator) or option-3 (operator tokens the DERs check)
  --dropout P           percent of DERs that drop out (default ${DEFAULTS.dropoutPct})
  --limit P             red-light curtailment, percent of rated power (default ${DEFAULTS.limitPct})
  --scram-iterations I  SCRAM-SHA-256 iterations of every account (default ${DEFAULTS.scramIterations})
  --pki-cache DIR       keep issued certificates here (default ${DEFAULTS.pkiCache}); --no-pki-cache
  --svg FILE            plot of power and commands (default ${DEFAULTS.svg})
  --json FILE           the summary as JSON too
  --progress / --no-progress   progress bar on stderr (default: when stderr is a terminal)
  --server SPEC          run over a real XMPP server instead: xmpp://HOST:PORT?ca=FILE
                         (accounts provisioned) or prosody (a private one started for the run)
`;

/** Parses the command line; throws an Error with a message for the user. */
export function parseArgs(args: readonly string[]): CliOptions {
  const o: Record<string, unknown> = { ...DEFAULTS, servers: [] as string[] };
  const int = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} takes an integer from ${min} to ${max}`);
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i], v = args[i + 1];
    const take = () => (i++, v);
    switch (a) {
      case "--ders":
        o.ders = int(a, take(), 1, 1_000_000);
        break;
      case "--minutes":
        o.minutes = int(a, take(), 1, 24 * 60);
        break;
      case "--seed":
        if (v === undefined || v === "") throw new Error("--seed takes a value");
        o.seed = take();
        break;
      case "--group-size":
        o.groupSize = int(a, take(), 1, 100_000);
        break;
      case "--key-path":
        if (v !== "room" && v !== "unicast") throw new Error("--key-path is room or unicast");
        o.keyPath = take();
        break;
      case "--join-batch-ms":
        // spec: PD-268
        o.joinBatchMs = int(a, take(), 0, 30_000);
        break;
      case "--credentials":
        // spec: PD-254
        if (v === undefined || !isCredentialsChoice(v)) {
          throw new Error(
            "--credentials is separate/grid-ca, one/grid-ca, end-to-end/server-ca or separate/server-ca",
          );
        }
        o.credentials = take();
        break;
      case "--key-placement":
        // spec: PD-258
        if (v !== "separate-kdc" && v !== "control-centre") {
          throw new Error("--key-placement is separate-kdc or control-centre");
        }
        o.keyPlacement = take();
        break;
      case "--protection":
        // spec: PD-247
        if (v !== "a-profile" && v !== "per-message") {
          throw new Error(
            v === "none"
              ? "--protection none is a test-only baseline, not a simulate option (deno task compare runs it)"
              : "--protection is a-profile or per-message",
          );
        }
        o.protection = take();
        break;
      case "--access":
        // spec: DL-SIM-ACC-1
        if (!isAccessChoice(v)) {
          throw new Error("--access is none, option-1, option-2 or option-3");
        }
        if (take() === "none") delete o.access;
        else o.access = v;
        break;
      case "--dropout":
        o.dropoutPct = int(a, take(), 0, 100);
        break;
      case "--limit":
        o.limitPct = int(a, take(), 0, 100);
        o.secondLimitPct = Math.floor((o.limitPct as number) * 3 / 4);
        break;
      case "--scram-iterations":
        o.scramIterations = int(a, take(), 1, 600_000);
        break;
      case "--pki-cache":
        if (v === undefined) throw new Error("--pki-cache takes a directory");
        o.pkiCache = take();
        break;
      case "--no-pki-cache":
        o.pkiCache = undefined;
        break;
      case "--svg":
      case "--json":
        if (v === undefined) throw new Error(`${a} takes a file name`);
        o[a.slice(2)] = take();
        break;
      case "--progress":
        o.progress = "on";
        break;
      case "--no-progress":
        o.progress = "off";
        break;
      case "--server":
        // The real-server driver (simulation/real/) parses and checks the value.
        if (v === undefined || v === "" || v.startsWith("--")) {
          throw new Error("--server takes a server: xmpp://HOST:PORT?ca=FILE or prosody");
        }
        (o.servers as string[]).push(take()!);
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${a}\n\n${USAGE}`);
    }
  }
  return o as unknown as CliOptions;
}
