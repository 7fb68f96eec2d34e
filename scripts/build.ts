// `npm run build`: bundles the long-running processes (our apps and workspace packages, which
// export TypeScript) into dist/*.mjs, so the image runs them with plain `node` and no TypeScript
// loader: measured, tsx costs the ingress about 40 MB of resident memory and nothing per request.
// npm packages stay external (those any workspace declares, the example's included), loaded from node_modules as they are (BullMQ reads its Lua files).
// Migrations and the CLIs keep running through tsx: they are short-lived.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const manifests = [
  'package.json',
  ...['apps', 'packages', 'examples'].flatMap((dir) =>
    readdirSync(dir)
      .map((name) => `${dir}/${name}/package.json`)
      .filter((path) => existsSync(path)),
  ),
];
const external = [
  ...new Set(
    manifests.flatMap((path) =>
      Object.keys(
        (JSON.parse(readFileSync(path, 'utf8')) as { dependencies?: object }).dependencies ?? {},
      ),
    ),
  ),
].filter((name) => !name.startsWith('@webhook-inbox/'));

await build({
  entryPoints: { ingress: 'apps/ingress/src/main.ts', worker: 'apps/worker/src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log('built dist/ingress.mjs and dist/worker.mjs');
