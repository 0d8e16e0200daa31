import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /** User + system CPU time, in milliseconds, of the process and the workers under it. */
  readonly cpuMs: number;
  /** Resident set size in bytes, summed the same way. */
  readonly rssBytes: number;
}

/** CPU and RSS of a process tree, read from /proc (a cluster primary and its workers count as one server). */
export function sampleTree(pid: number): ProcessSample {
  let cpuMs = 0;
  let rssBytes = 0;
  for (const p of [pid, ...descendants(pid)]) {
    const s = sampleOne(p);
    if (!s) continue;
    cpuMs += s.cpuMs;
    rssBytes += s.rssBytes;
  }
  return { cpuMs, rssBytes };
}

function sampleOne(pid: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuMs: cpuMsOf(pid) ?? 0, rssBytes: rssKb * 1024 };
  } catch {
    return undefined; // Gone already.
  }
}

function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * What else ran on the machine while a target was measured: whether a second
 * worker had a core to run on is only known from the busy time of every core
 * and from who spent it (the database, Redis, this load generator).
 */
export interface MachineSample {
  /** Busy (all but idle and I/O wait) and all CPU time of every core, from the first line of /proc/stat, in ms. */
  readonly busyMs: number;
  readonly allMs: number;
  /** CPU of every `mariadbd` (or `mysqld`) and `redis-server` process on the machine; undefined where none is readable. */
  readonly mariadbMs: number | undefined;
  readonly redisMs: number | undefined;
  /** This load generator's own CPU. */
  readonly clientMs: number;
}

/** Busy and all CPU time of every core so far, in ms: two readings give how busy the machine was between them. */
export interface CoreTimes {
  readonly busyMs: number;
  readonly allMs: number;
}

export function sampleCores(): CoreTimes {
  const [, ...ticks] = (safeRead('/proc/stat').split('\n')[0] ?? '').trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: (busy * 1000) / TICKS_PER_SECOND, allMs: ((busy + idle + iowait) * 1000) / TICKS_PER_SECOND };
}

export function sampleMachine(): MachineSample {
  const usage = process.cpuUsage();
  return {
    ...sampleCores(),
    mariadbMs: cpuOfCommands(['mariadbd', 'mysqld']),
    redisMs: cpuOfCommands(['redis-server']),
    clientMs: (usage.user + usage.system) / 1000,
  };
}

/** Pids by command name, looked up once: the services outlive a benchmark run. */
const pidsByCommand = new Map<string, number[]>();

function cpuOfCommands(names: readonly string[]): number | undefined {
  const key = names.join(',');
  let pids = pidsByCommand.get(key);
  if (!pids) {
    pids = readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e) && names.includes(safeRead(`/proc/${e}/comm`).trim()))
      .map(Number);
    pidsByCommand.set(key, pids);
  }
  const times = pids.map(cpuMsOf).filter((t): t is number => t !== undefined);
  return times.length > 0 ? times.reduce((a, b) => a + b, 0) : undefined;
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // Exited while we looked.
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** One line describing the machine, for the report. */
export function machine(): { cpus: string; cores: number; memory: string; loadAverage: string } {
  const cpuinfo = safeRead('/proc/cpuinfo');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(safeRead('/proc/meminfo'))?.[1] ?? 0);
  return {
    cpus: model,
    cores,
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    loadAverage: safeRead('/proc/loadavg').split(' ').slice(0, 3).join(' '),
  };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
