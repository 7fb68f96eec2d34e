import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from './cpu.ts';

function children(pid: number): number[] {
  const ids: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (listed) ids.push(...listed.split(' ').map(Number));
  }
  return ids;
}

/** A process and every process under it (a cluster's workers, a loader's helper), from Linux's /proc. */
export function processTree(pid: number): number[] {
  return [pid, ...children(pid).flatMap(processTree)];
}

/** The most resident memory the process ever had (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** The command name of a process (`node`, `esbuild`…). */
export function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** CPU a process uses from now until the returned function is called, as a share of one core. */
export function cpuMeter(pid: number) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return () => (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
}

/** System calls that read and that wrote a process has made so far (Linux's /proc/PID/io). */
export function syscallCounts(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const count = (name: string) => Number(io.match(new RegExp(`^${name}: (\\d+)`, 'm'))?.[1] ?? 0);
  return { reads: count('syscr'), writes: count('syscw') };
}
