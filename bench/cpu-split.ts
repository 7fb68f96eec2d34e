import { readdirSync, readFileSync } from 'node:fs';
import { cpuSecondsIfAlive, ticksPerSecond } from './cpu.ts';

/** Where the machine's CPU went over a timed part, in cores (1 = one core busy throughout). */
export interface CpuSplit {
  /** The parts the bench named (the ingress, the workers), then Postgres and Redis. */
  readonly cores: Record<string, number>;
  /** Busy on the machine but in none of those: the load generator, the bench itself, the system. */
  readonly rest: number;
  readonly idle: number;
  /** Cores the machine has. */
  readonly of: number;
}

/** The machine's busy and idle CPU seconds so far, from the first line of Linux's /proc/stat. */
function machineSeconds() {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0] = fields;
  return {
    busy: (user + nice + system + irq + softirq) / ticksPerSecond,
    idle: (idle + iowait) / ticksPerSecond,
  };
}

/** Processes whose command name is `name` (`postgres` counts every backend and helper). */
function processesNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // Gone since the listing.
    }
  }
  return pids;
}

const round = (cores: number) => Number(cores.toFixed(2));

/**
 * Starts metering where the machine's CPU goes: the bench's own `parts` (named process lists),
 * every Postgres and Redis process on the machine, and what is left. The returned function
 * ends the meter. A process that started meanwhile counts from its start; one that ended
 * meanwhile counts for nothing, and its CPU shows in `rest`.
 */
export function cpuSplitMeter(parts: Record<string, readonly number[]>): () => CpuSplit {
  const services = () => ({
    postgres: processesNamed('postgres'),
    redis: processesNamed('redis-server'),
  });
  const at0 = { ...parts, ...services() };
  const before = new Map(
    Object.values(at0).flatMap((pids) => pids.map((p) => [p, cpuSecondsIfAlive(p)])),
  );
  const machine0 = machineSeconds();
  const t0 = performance.now();
  return () => {
    const elapsed = (performance.now() - t0) / 1000;
    const machine = machineSeconds();
    const groups: Record<string, readonly number[]> = { ...parts, ...services() };
    const cores: Record<string, number> = {};
    let named = 0;
    for (const [name, pids] of Object.entries(groups)) {
      const seconds = pids.reduce(
        (sum, p) => sum + Math.max(0, cpuSecondsIfAlive(p) - (before.get(p) ?? 0)),
        0,
      );
      named += seconds;
      cores[name] = round(seconds / elapsed);
    }
    const busy = machine.busy - machine0.busy;
    const idle = machine.idle - machine0.idle;
    return {
      cores,
      rest: round(Math.max(0, busy - named) / elapsed),
      idle: round(idle / elapsed),
      of: round((busy + idle) / elapsed),
    };
  };
}

/** One line: `worker 0.61, postgres 0.30, redis 0.14, rest 0.10, idle 0.85 (of 2 cores)`. */
export function describeCpuSplit(split: CpuSplit, rest = 'rest'): string {
  const named = Object.entries(split.cores).map(([name, cores]) => `${name} ${cores.toFixed(2)}`);
  return `${[...named, `${rest} ${split.rest.toFixed(2)}`, `idle ${split.idle.toFixed(2)}`].join(', ')} (of ${Math.round(split.of)} cores)`;
}
