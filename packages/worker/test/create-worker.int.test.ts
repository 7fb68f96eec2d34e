import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import {
  accountBalance,
  environmentPerFile,
  eventState,
  paymentEvent,
  storeAndQueue,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, readWorkerEnv } from '../src/index.ts';

const env = environmentPerFile();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wi-create-worker-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

/** The settings a program would read from its environment, for this test's database and queue. */
function settings() {
  const sourcesFile = join(dir, 'sources.json');
  writeFileSync(sourcesFile, JSON.stringify([{ name: 'payments', provider: 'hmac', secret: 'x' }]));
  const { HANDLERS_MODULE: _, ...rest } = readWorkerEnv({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    SOURCES_FILE: sourcesFile,
    LOG_LEVEL: 'silent',
    METRICS_PORT: '0',
  });
  return rest;
}

describe('createWorker', () => {
  it('runs the handlers on queued events, serves metrics, and closes once however often asked', async () => {
    const worker = await createWorker({
      handlers: exampleHandlers,
      ...settings(),
      stopOnSignals: false,
    });
    try {
      const body = JSON.stringify(paymentEvent('cus_lib', 700, 'evt_lib'));
      await storeAndQueue(env, { eventId: 'evt_lib', body }, { attempts: 3, backoffMs: 200 });
      await waitForEventStatus(env, 'evt_lib', 'processed');
      expect(await eventState(env, 'evt_lib')).toMatchObject({ attempts: 1 });
      expect(await accountBalance(env, 'cus_lib')).toBe(700);
      const metrics = await fetch(`${worker.adminUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('webhook_jobs_total');
    } finally {
      await Promise.all([worker.close(), worker.close()]);
    }
    await expect(fetch(`${worker.adminUrl}/metrics`)).rejects.toThrow();
  });

  it('refuses a sources file that is not there before opening anything', async () => {
    await expect(
      createWorker({
        handlers: exampleHandlers,
        ...settings(),
        SOURCES_FILE: join(dir, 'missing.json'),
        stopOnSignals: false,
      }),
    ).rejects.toThrow(/missing\.json/);
  });
});
