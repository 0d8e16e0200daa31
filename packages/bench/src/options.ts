import type { TargetSpec } from './targets.js';

export interface BenchOptions {
  readonly scenarios: ReadonlySet<Scenario>;
  readonly pairs: number;
  readonly latencyMessages: number;
  readonly concurrency: number;
  readonly throughputMs: number;
  readonly rounds: number;
  readonly sweepRates: readonly number[];
  readonly sweepMs: number;
  readonly sockets: number;
  /** Presence comparison: connections, each watching `presenceWatched` users. */
  readonly presenceConnections: number;
  readonly presenceWatched: number;
  /**
   * Alternations of "with" and "without" presence. Presence is judged on p99,
   * which a few seconds of a busy neighbour move by more than the 10 % allowed:
   * four of each side, not two, so both meet the same moments of the machine.
   */
  readonly presenceRounds: number;
  /** Server variants measured beside the plain server in the throughput scenario. */
  readonly variants: readonly TargetSpec[];
  readonly cpuProfileDir: string | undefined;
  /** Where BENCHMARKS.md is rewritten (its load section only), or undefined to write nothing. */
  readonly markdownFile: string | undefined;
  readonly svgFile: string | undefined;
}

export const SCENARIOS = ['latency', 'throughput', 'sweep', 'connections', 'presence'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Limits on, set far above what the benchmark sends, to show what checking them costs. */
const LIMITS_ON = {
  MESSAGE_RATE: '1000000',
  REGISTRATION_RATE: '1000000',
  LOGIN_FAILURES_PER_ADDRESS: '1000000',
  WRONG_PASSWORDS_PER_USER: '1000000',
  PASSWORD_RESETS_PER_EMAIL: '1000000',
  PASSWORD_RESETS_PER_ADDRESS: '1000000',
  MAX_CONNECTIONS_PER_USER: '1000000',
  WS_FRAME_RATE: '1000000',
};

export const USAGE = `usage: npm run bench -- [options]

  --quick                    a few seconds of everything (a smoke run; figures mean little)
  --only a,b                 scenarios: ${SCENARIOS.join(', ')} (default: all)
  --sweep 250,1000,4000      offered rates of the open loop (default 250,500,1000,2000,4000)
  --rounds N                 alternating rounds of the latency and throughput scenarios (default 2); more rounds
                             average out more of a noisy machine when an A/B differs by a few per cent
  --sockets N                idle sockets in the connections scenario (default 10000)
  --presence-connections N   watching sockets in the presence scenario (default 5000, each watching 50 users)
  --variant "name:K=V,K=V"   also measure the server with this environment in the throughput scenario
                             (repeatable; e.g. --variant "in-flight 64:OVERLOAD_MAX_IN_FLIGHT=64")
  --compare "name=DIR[:K=V,K=V]"
                             also measure the built server of another checkout DIR (an A/B of two builds;
                             in the throughput, open-loop and connections scenarios), with that environment if given
                             ("limits=on", here and in --variant, stands for the "limits on" variant's settings)
  --no-default-variants      skip the built-in "limits on" and "workers 2" variants
  --cpu-prof DIR             write a V8 CPU profile of each server process into DIR/<target name>/
  --no-write                 print only; do not rewrite BENCHMARKS.md and the SVG
`;

/** A command line this benchmark does not understand: said with the usage, without a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  const args = [...argv];
  const quick = take(args, '--quick');
  const noWrite = take(args, '--no-write');
  const noDefaults = take(args, '--no-default-variants');
  const only = value(args, '--only');
  const sockets = value(args, '--sockets');
  const presenceConnections = value(args, '--presence-connections');
  const cpuProfileDir = value(args, '--cpu-prof');
  const sweepList = value(args, '--sweep');
  const rounds = value(args, '--rounds');
  const variants: TargetSpec[] = noDefaults
    ? []
    : [
        { name: 'server, limits on', kind: 'server', env: LIMITS_ON },
        { name: 'server, WORKERS=2', kind: 'server', env: { WORKERS: '2' } },
      ];
  for (let v = value(args, '--variant'); v !== undefined; v = value(args, '--variant')) variants.push(variantOf(v));
  for (let c = value(args, '--compare'); c !== undefined; c = value(args, '--compare')) {
    const [name, target] = splitOnce(c, '=');
    // A checkout path holds no ':' here; what follows one is that build's environment, as in --variant.
    const [dir, assignments] = target.includes(':') ? splitOnce(target, ':') : [target, undefined];
    variants.push({ name, kind: 'server', checkout: dir, ...(assignments ? { env: envOf(assignments) } : {}) });
  }
  if (args.length > 0) throw new UsageError(`unknown arguments: ${args.join(' ')}\n\n${USAGE}`);
  const scenarios = new Set<Scenario>(only ? (only.split(',') as Scenario[]) : SCENARIOS);
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new UsageError(`unknown scenario ${s}\n\n${USAGE}`);
  return {
    scenarios,
    pairs: quick ? 4 : 20,
    latencyMessages: quick ? 20 : 200,
    concurrency: quick ? 4 : 16,
    throughputMs: quick ? 1_000 : 3_000,
    rounds: rounds ? Number(rounds) : quick ? 1 : 2,
    sweepRates: sweepList ? sweepList.split(',').map(Number) : quick ? [100, 200] : [250, 500, 1000, 2000, 4000],
    sweepMs: quick ? 1_000 : 3_000,
    sockets: sockets ? Number(sockets) : quick ? 200 : 10_000,
    presenceConnections: presenceConnections ? Number(presenceConnections) : quick ? 200 : 5_000,
    presenceWatched: 50,
    presenceRounds: quick ? 1 : Math.max(4, rounds ? Number(rounds) : 0),
    variants,
    cpuProfileDir,
    markdownFile: noWrite ? undefined : `${repoRoot}BENCHMARKS.md`,
    svgFile: noWrite ? undefined : `${repoRoot}docs/benchmarks/latency-vs-load.svg`,
  };
}

function variantOf(text: string): TargetSpec {
  const [name, assignments] = splitOnce(text, ':');
  return { name, kind: 'server', env: envOf(assignments) };
}

/** `K=V,K=V`; `limits=on` stands for the built-in "limits on" settings. */
function envOf(assignments: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const assignment of assignments.split(',')) {
    const [key, val] = splitOnce(assignment, '=');
    if (key.trim() === 'limits' && val === 'on') Object.assign(env, LIMITS_ON);
    else env[key.trim()] = val;
  }
  return env;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  if (at < 0) throw new UsageError(`expected "${separator}" in ${JSON.stringify(text)}\n\n${USAGE}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function take(args: string[], flag: string): boolean {
  const at = args.indexOf(flag);
  if (at < 0) return false;
  args.splice(at, 1);
  return true;
}

function value(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const [, v] = args.splice(at, 2);
  if (v === undefined) throw new UsageError(`${flag} needs a value\n\n${USAGE}`);
  return v;
}
