import type { AppProcess } from '@webhook-inbox/testing';
import { type CpuSplit, cpuSplitMeter } from './cpu-split.ts';
import { cpuMeter, peakRssMb, processTree, syscallCounts } from './proc.ts';

export interface Drain {
  jobsPerSecond: number;
  seconds: number;
  /** The workers' CPU over the timed part, summed, in cores. */
  cpuCores: number;
  /** The workers' CPU per job over the timed part, in microseconds. */
  cpuMicrosecondsPerJob: number;
  /**
   * The workers' system calls per job over the timed part: unlike time, a count the machine's
   * noise leaves alone, and each write to a socket costs a Postgres or Redis wake-up too.
   */
  syscallsPerJob: { reads: number; writes: number };
  /** The largest worker's. */
  peakRssMb: number;
  /** The `metered` process's CPU over the timed part (a receiver), when there is one. */
  meteredCpuCores?: number;
  /** Where the machine's CPU went over the timed part: which resource ran out first. */
  cpuSplit: CpuSplit;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits out the warm-up (until `warmupLeft` says only `measured` jobs are left), then times the
 * rest of the backlog until `left` says none is. Fails after 4 minutes, or at once when a worker
 * dies, with its last lines.
 */
export async function timeDrain({
  workers,
  measured,
  left,
  warmupLeft = left,
  metered,
}: {
  readonly workers: readonly AppProcess[];
  readonly measured: number;
  readonly left: () => Promise<number>;
  readonly warmupLeft?: () => Promise<number>;
  readonly metered?: AppProcess;
}): Promise<Drain> {
  const deadline = Date.now() + 240_000;
  const until = async (more: () => Promise<number>, atMost: number) => {
    for (let n = await more(); n > atMost; n = await more()) {
      const dead = workers.find((worker) => !worker.running);
      if (Date.now() > deadline || dead)
        throw new Error(`${n} jobs left\n${(dead ?? workers[0])?.tail()}`);
      await sleep(10);
    }
  };
  await until(warmupLeft, measured);
  const started = performance.now();
  const cpu = workers.map((worker) => cpuMeter(worker.pid ?? 0));
  const syscalls = () =>
    workers
      .map((worker) => syscallCounts(worker.pid ?? 0))
      .reduce((sum, c) => ({ reads: sum.reads + c.reads, writes: sum.writes + c.writes }));
  const syscallsBefore = syscalls();
  const meteredCpu = metered && cpuMeter(metered.pid ?? 0);
  const split = cpuSplitMeter({
    workers: workers.flatMap((worker) => processTree(worker.pid ?? 0)),
    ...(metered && { receiver: processTree(metered.pid ?? 0) }),
  });
  await until(left, 0);
  const cpuSplit = split();
  const seconds = (performance.now() - started) / 1000;
  const cpuCores = cpu.reduce((sum, meter) => sum + meter(), 0);
  const syscallsAfter = syscalls();
  const perJob = (count: number) => Number((count / measured).toFixed(2));
  return {
    jobsPerSecond: Math.round(measured / seconds),
    seconds: Number(seconds.toFixed(2)),
    cpuCores: Number(cpuCores.toFixed(2)),
    cpuMicrosecondsPerJob: Math.round((cpuCores * seconds * 1e6) / measured),
    syscallsPerJob: {
      reads: perJob(syscallsAfter.reads - syscallsBefore.reads),
      writes: perJob(syscallsAfter.writes - syscallsBefore.writes),
    },
    peakRssMb: Math.max(...workers.map((worker) => peakRssMb(worker.pid ?? 0))),
    ...(meteredCpu && { meteredCpuCores: Number(meteredCpu().toFixed(2)) }),
    cpuSplit,
  };
}
