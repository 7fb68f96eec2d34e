// `node --import tsx bench/profile-summary.ts <file.cpuprofile>…`: where a CPU profile's time went,
// by package (drizzle, pg, bullmq, ioredis, pino, our code…), as shares of the busy time.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucketOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  if (functionName === '(garbage collector)') return 'garbage collector';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (url.includes('/packages/') || url.includes('/apps/')) return 'webhook-inbox';
  if (url.startsWith('node:') || url === '') {
    if (/write|Write|writev/.test(functionName)) return 'node: socket writes';
    return 'node internals';
  }
  return url;
}

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const bucketById = new Map(profile.nodes.map((node) => [node.id, bucketOf(node.callFrame)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const bucket = bucketById.get(id) ?? '?';
    totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...totals].filter(([bucket]) => bucket !== '(idle)');
  const busyTotal = busy.reduce((sum, [, t]) => sum + t, 0);
  if (busyTotal < 1e5) continue;
  console.log(`\n${file}: ${(busyTotal / 1e6).toFixed(1)} s busy`);
  for (const [bucket, time] of busy.sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`  ${((100 * time) / busyTotal).toFixed(1).padStart(5)}%  ${bucket}`);
  }
}
