import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  AppProcess,
  createTestDatabase,
  deleteRedisKeys,
  testServices,
  uniqueName,
} from '@webhook-inbox/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MAIN = 'apps/dashboard/src/main.ts';

function startDashboard(env: Record<string, string>) {
  const result = spawnSync(tsx, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('dashboard start-up', () => {
  it('refuses to listen off loopback without credentials, in one line', () => {
    const { status, stderr } = startDashboard({ DASHBOARD_HOST: '0.0.0.0' });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^dashboard: DASHBOARD_PASSWORD \(or DASHBOARD_PASSWORD_HASH\) is required when DASHBOARD_HOST is 0\.0\.0\.0[^\n]*$/,
    );
  });

  it('refuses a short password and a malformed hash, naming the setting', () => {
    const short = startDashboard({ DASHBOARD_PASSWORD: 'short' });
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/^dashboard: invalid environment: DASHBOARD_PASSWORD: [^\n]+$/);
    const hash = startDashboard({ DASHBOARD_PASSWORD_HASH: 'scrypt$nonsense' });
    expect(hash.status).toBe(1);
    expect(hash.stderr).toMatch(/^dashboard: DASHBOARD_PASSWORD_HASH: not a password hash[^\n]*$/);
  });

  it('on loopback without a password, prints a one-time password with the URL', async () => {
    const database = await createTestDatabase();
    const queuePrefix = uniqueName('q');
    const dashboard = new AppProcess('dashboard', MAIN, {
      DATABASE_URL: database.url,
      REDIS_URL: testServices.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      DASHBOARD_PORT: '0',
    });
    try {
      const [, url] = await dashboard.waitForLine(/Dashboard: (http:\/\/127\.0\.0\.1:\d+)\//);
      const [, password] = await dashboard.waitForLine(
        /Log in as admin with the one-time password (\S+)/,
      );
      expect(password).toMatch(/^[\w-]{24}$/);
      expect((await fetch(`${url}/api/stats`)).status).toBe(401);
      expect(dashboard.lines.join('\n')).not.toMatch(/"password"/);
    } finally {
      await dashboard.stop();
      await database.drop();
    }
    // The dashboard's queue handle writes the queue's meta key; it must not outlive the test.
    await deleteRedisKeys(testServices.redisUrl, queuePrefix);
    const redis = new Redis(testServices.redisUrl);
    try {
      expect(await redis.keys(`${queuePrefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
