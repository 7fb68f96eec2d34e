import { readFileSync } from 'node:fs';
import { cpuSeconds } from './cpu.ts';

/** Peak resident set size of a live process so far, in MB (Linux's VmHWM). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

/** CPU used by a process between `start()` and `stop()`, as a share of one core. */
export function cpuMeter(pid: number) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return () => (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
}
