// Several ingress processes on one port, as replicas behind a load balancer would be: Node's
// cluster module accepts connections in this process and hands them to the workers in turn.
// `listen(0)` in every worker resolves to one shared port. INGRESS_PROCESSES says how many;
// INGRESS_ENTRY is the built bundle (npm run build), or the source run through tsx.
import cluster from 'node:cluster';

const count = Number(process.env.INGRESS_PROCESSES ?? '2');
const entry = process.env.INGRESS_ENTRY ?? 'dist/ingress.mjs';
const execArgv = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
cluster.setupPrimary({ exec: entry, execArgv });
for (let i = 0; i < count; i++) cluster.fork();
process.on('SIGTERM', () => {
  for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
});
