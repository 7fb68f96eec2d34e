import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, matchesGlob, relative, resolve } from 'node:path';
import { AppProcess, createTestDatabase } from '@webhook-inbox/testing';
import { afterAll, describe, expect, it } from 'vitest';

// No Docker engine runs here, so the image's steps are replayed by hand: the deps stage's
// production install from the manifests alone, then the runtime stage's files on top. A start
// from that tree proves the image has every module the processes import at run time.

const dockerfile = readFileSync('Dockerfile', 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const depsStage = stages.find((stage) => / AS deps\b/.test(stage)) ?? '';
const buildStage = stages.find((stage) => / AS build\b/.test(stage)) ?? '';
const runtimeStage = stages.find((stage) => / AS runtime\b/.test(stage)) ?? '';
/** The sources file the image starts with when SOURCES_FILE is not set: `ENV … SOURCES_FILE=…`. */
const imageSourcesFile = runtimeStage.match(/^ENV .*\bSOURCES_FILE=(\S+)/m)?.[1];
/** The bundle the image's ingress runs on plain node: `CMD ["node", …, "dist/ingress.mjs"]`. */
const imageEntry = runtimeStage.match(/^CMD \["node", (?!.*tsx).*"(dist\/ingress\.mjs)"\]$/m)?.[1];

const workspaceManifests = ['apps', 'packages', 'examples'].flatMap((dir) =>
  readdirSync(dir)
    .map((name) => `${dir}/${name}/package.json`)
    .filter((path) => existsSync(path)),
);

const dockerignore = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** Docker's rule: the last .dockerignore line matching a path or a folder above it decides. */
function inBuildContext(path: string): boolean {
  const parts = relative(process.cwd(), resolve(path)).split('/');
  const selves = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let included = true;
  for (const line of dockerignore) {
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    if (selves.some((self) => matchesGlob(self, pattern))) included = negated;
  }
  return included;
}

/** Paths under root, node_modules left out, relative to root. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (path) => !path.split('/').includes('node_modules'),
  );
}

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('the container image', { timeout: 240_000 }, () => {
  it('copies every workspace manifest before its production install', () => {
    for (const manifest of workspaceManifests) expect(depsStage).toContain(`COPY ${manifest} `);
    expect(depsStage).toMatch(/^RUN npm ci --omit=dev/m);
  });

  it('runs migrations and the ingress from the image file set, without dev dependencies', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wi-image-'));
    temp.push(root);
    for (const file of ['package.json', 'package-lock.json', ...workspaceManifests]) {
      cpSync(file, join(root, file));
    }
    execFileSync(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
      {
        cwd: root,
        stdio: 'pipe',
      },
    );
    expect(existsSync(join(root, 'node_modules/drizzle-kit'))).toBe(false);
    for (const [, args] of runtimeStage.matchAll(/^COPY (?!--from)(.+)$/gm)) {
      const sources = (args ?? '').trim().split(/\s+/).slice(0, -1);
      for (const source of sources) {
        cpSync(source, join(root, source), { recursive: true, filter: inBuildContext });
      }
    }
    // Tests and the test harness are not part of the image (the harness's manifest is, for npm).
    const shipped = filesUnder(root);
    expect(shipped.filter((path) => /(^|\/)tests?(\/|$)|\.test\.ts$/.test(path))).toEqual([]);
    expect(shipped.filter((path) => path.startsWith('packages/testing/'))).toEqual([
      'packages/testing/package.json',
    ]);
    const needsHarness = shipped.filter(
      (path) =>
        path.endsWith('.ts') &&
        readFileSync(join(root, path), 'utf8').includes("from '@webhook-inbox/testing'"),
    );
    expect(needsHarness).toEqual([]);

    const database = await createTestDatabase();
    try {
      // compose's migrate step: the product's migrations, then the example's own.
      for (const script of [
        'packages/db/src/migrate-cli.ts',
        'examples/payments/src/migrate-cli.ts',
      ]) {
        const migrate = spawnSync(process.execPath, ['--import', 'tsx', script], {
          cwd: root,
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url },
          encoding: 'utf8',
        });
        expect(migrate.stderr, script).toBe('');
        expect(migrate.status, script).toBe(0);
      }

      // The build stage's steps run on the deps stage's tree, as `FROM deps AS build` does.
      for (const [, command] of buildStage.matchAll(/^RUN (.+)$/gm)) {
        execFileSync('sh', ['-c', command ?? ''], { cwd: root, stdio: 'pipe' });
      }
      expect(readdirSync(join(root, 'dist')).sort()).toEqual([
        'ingress.mjs',
        'ingress.mjs.map',
        'worker.mjs',
        'worker.mjs.map',
      ]);
      expect(imageEntry).toBeDefined();
      // No SOURCES_FILE in .env: the image's own default, resolved in its WORKDIR.
      expect(imageSourcesFile).toBeDefined();
      const sourcesFile = join(root, imageSourcesFile ?? '');
      expect(existsSync(sourcesFile)).toBe(true);
      const ingress = new AppProcess('ingress', join(root, imageEntry ?? ''), {
        DATABASE_URL: database.url,
        SOURCES_FILE: sourcesFile,
        PAYMENTS_SECRET: 'a',
        // As compose passes an unset optional secret: empty.
        PAYMENTS_SECRET_PREVIOUS: '',
        POLKA_API_KEY: 'c',
        STRIPE_WEBHOOK_SECRET: 'whsec_d',
        PORT: '0',
        METRICS_PORT: '0',
      });
      await ingress.waitForLine(/"msg":"ingress ready"/);
      // These one-letter secrets start the ingress, with a warning that names the source only.
      expect(ingress.lines.join('\n')).toMatch(
        /"level":40,.*"source":"payments".*"msg":"source \\"payments\\": secret 1 of 1 is shorter than 16 bytes/,
      );
      ingress.kill('SIGTERM');
      expect(await ingress.exited).toEqual({ code: 0, signal: null });

      // The dashboard loads Bull Board's UI files and a native session cipher at run time.
      const dashboard = new AppProcess('dashboard', join(root, 'apps/dashboard/src/main.ts'), {
        DATABASE_URL: database.url,
        SOURCES_FILE: sourcesFile,
        DASHBOARD_PASSWORD: 'image test password',
        DASHBOARD_PORT: '0',
      });
      const [, url] = await dashboard.waitForLine(/"url":"(http:[^"]+)".*"msg":"dashboard ready"/);
      expect((await fetch(`${url}/login`)).status).toBe(200);
      dashboard.kill('SIGTERM');
      expect(await dashboard.exited).toEqual({ code: 0, signal: null });
    } finally {
      await database.drop();
    }
  });
});
