import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// What `docker compose config` cannot tell: that .env.example covers the file, that nothing
// private is published, that monitoring is wired up. Where the compose CLI is installed it also
// validates the file against its own schema.

interface Service {
  build?: string | { context: string; dockerfile?: string };
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
}

const composeText = readFileSync('docker-compose.yml', 'utf8');
const compose: ComposeFile = parse(composeText, { merge: true });
const devCompose: ComposeFile = parse(readFileSync('docker-compose.dev.yml', 'utf8'));
const services = Object.entries(compose.services);

/** `KEY=value` lines of .env.example, comments left out. */
const example = new Map(
  readFileSync('.env.example', 'utf8')
    .split('\n')
    .flatMap((line) => {
      const [, name, value] = line.match(/^([A-Z0-9_]+)=(.*)$/) ?? [];
      return name === undefined ? [] : [[name, value ?? ''] as const];
    }),
);

/** `${NAME}`, `${NAME:-default}`, `${NAME:?error}`: each variable the file reads, and how. */
const references = [...composeText.matchAll(/\$\{([A-Z0-9_]+)(:?[-?])?/g)].map((match) => ({
  name: match[1] ?? '',
  required: match[2] === ':?',
}));

/** A volume's host side and container side: `./host:/container[:ro]`. */
const mounts = (service: Service) =>
  (service.volumes ?? []).map((volume) => {
    const [host = '', container = ''] = volume.split(':');
    return { host, container };
  });

const composeCli = (['docker compose', 'docker-compose'] as const).find((cli) => {
  const [command = '', ...args] = cli.split(' ');
  return spawnSync(command, [...args, 'version'], { encoding: 'utf8' }).status === 0;
});

describe('docker-compose.yml', () => {
  it('reads only variables that .env.example lists', () => {
    expect(references.length).toBeGreaterThan(5);
    for (const { name } of references) expect([...example.keys()], name).toContain(name);
  });

  it('refuses to start without the secrets the ingress and Postgres cannot run without', () => {
    const required = new Set(references.filter((ref) => ref.required).map((ref) => ref.name));
    for (const name of [
      'POSTGRES_PASSWORD',
      'PAYMENTS_SECRET',
      'POLKA_API_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ]) {
      expect(required, name).toContain(name);
      // An example value would be deployed as is; the user must choose one.
      expect(example.get(name), name).toBe('');
    }
  });

  it('takes the Postgres password from the environment, never from the file', () => {
    const fromEnv = /^postgres:\/\/postgres:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\//;
    expect(compose.services.postgres?.environment?.POSTGRES_PASSWORD).toMatch(
      /^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/,
    );
    for (const [name, service] of services) {
      const url = service.environment?.DATABASE_URL;
      if (url !== undefined) expect(url, name).toMatch(fromEnv);
    }
  });

  it('publishes no Postgres or Redis port on the host, and private ports on loopback only', () => {
    expect(compose.services.postgres?.ports).toBeUndefined();
    expect(compose.services.redis?.ports).toBeUndefined();
    for (const [name, service] of services) {
      for (const port of service.ports ?? []) {
        // Only the ingress's webhook port is public.
        if (name !== 'ingress') expect(port, name).toMatch(/^127\.0\.0\.1:/);
      }
    }
    for (const [name, service] of Object.entries(devCompose.services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('builds the image from a context with a Dockerfile, and ships its sources file', () => {
    const built = services.filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(
      expect.arrayContaining(['migrate', 'ingress', 'worker', 'dashboard']),
    );
    for (const [name, { build }] of built) {
      const context = typeof build === 'string' ? build : (build?.context ?? '');
      const dockerfile =
        typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
      expect(existsSync(join(context, dockerfile)), name).toBe(true);
    }
    const sourcesFile = example.get('SOURCES_FILE_NAME') ?? '';
    expect(existsSync(join('config', sourcesFile))).toBe(true);
    expect(composeText).toContain(`\${SOURCES_FILE_NAME:-${sourcesFile}}`);
  });

  it('runs Grafana in the monitoring profile with the dashboard and a Prometheus datasource', () => {
    const { prometheus, grafana } = compose.services;
    expect(prometheus?.profiles).toContain('monitoring');
    expect(grafana?.profiles).toContain('monitoring');
    const volumes = mounts(grafana ?? {});

    const provisioning = volumes.find((mount) => mount.container === '/etc/grafana/provisioning');
    expect(provisioning).toBeDefined();
    const datasources = parse(
      readFileSync(join(provisioning?.host ?? '', 'datasources/prometheus.yml'), 'utf8'),
    );
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);

    const dashboard = volumes.find((mount) => mount.host.endsWith('/webhook-inbox.json'));
    expect(dashboard?.host).toBe('./deploy/grafana/webhook-inbox.json');
    const providers = parse(
      readFileSync(join(provisioning?.host ?? '', 'dashboards/webhook-inbox.yml'), 'utf8'),
    );
    expect(providers.providers.map((p: { options: { path: string } }) => p.options.path)).toEqual([
      dashboard?.container.replace(/\/[^/]+$/, ''),
    ]);
  });

  it('is accepted by the compose CLI with .env.example filled in', ({ skip }) => {
    if (!composeCli) skip('no compose CLI (docker compose or docker-compose) here');
    const [command = '', ...args] = (composeCli ?? '').split(' ');
    const filled = Object.fromEntries(
      [...example].map(([name, value]) => [name, value || `${name.toLowerCase()}0123456789`]),
    );
    for (const file of ['docker-compose.yml', 'docker-compose.dev.yml']) {
      const result = spawnSync(command, [...args, '-f', file, 'config', '-q'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...filled },
      });
      expect(result.stderr, file).toBe('');
      expect(result.status, file).toBe(0);
    }
    const unset = spawnSync(command, [...args, '-f', 'docker-compose.yml', 'config', '-q'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toMatch(/PASSWORD|SECRET|API_KEY/);
  });
});
