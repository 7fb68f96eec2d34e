import { afterAll, beforeAll } from 'vitest';
import { createTestEnvironment, type TestEnvironment } from './harness.ts';

/**
 * The calling test file's own environment, made before its first test and dropped after its
 * last: read its fields inside hooks and tests only.
 */
export function environmentPerFile(): TestEnvironment {
  let current: TestEnvironment | undefined;
  beforeAll(async () => {
    current = await createTestEnvironment();
  });
  afterAll(() => current?.cleanup());
  const made = () => {
    if (!current) throw new Error('the test environment is made in beforeAll');
    return current;
  };
  return {
    get databaseUrl() {
      return made().databaseUrl;
    },
    get redisUrl() {
      return made().redisUrl;
    },
    get queuePrefix() {
      return made().queuePrefix;
    },
    get db() {
      return made().db;
    },
    get redis() {
      return made().redis;
    },
    get queue() {
      return made().queue;
    },
    get deliveryQueue() {
      return made().deliveryQueue;
    },
    cleanup: () => made().cleanup(),
  };
}

export interface AppUnderTest<App> {
  readonly env: TestEnvironment;
  readonly app: App;
}

/**
 * One environment and one app on it for the calling test file: made before its first test,
 * closed (the app first) after its last. Read `env` and `app` inside hooks and tests only.
 */
export function appPerFile<App extends { close(): Promise<unknown> }>(
  build: (env: TestEnvironment) => App | Promise<App>,
): AppUnderTest<App> {
  const env = environmentPerFile();
  let app: App | undefined;
  beforeAll(async () => {
    app = await build(env);
  });
  // Registered after the environment's: runs before it is dropped.
  afterAll(() => app?.close());
  return {
    env,
    get app() {
      if (!app) throw new Error('the app is built in beforeAll');
      return app;
    },
  };
}

/** Settings as they are, or made in `beforeAll` from the environment (or after other hooks). */
export type SettingsFor<Settings> =
  | Settings
  | ((env: TestEnvironment) => Settings | Promise<Settings>);

export async function settingsOn<Settings>(
  settings: SettingsFor<Settings>,
  env: TestEnvironment,
): Promise<Settings> {
  return typeof settings === 'function'
    ? await (settings as (env: TestEnvironment) => Settings | Promise<Settings>)(env)
    : settings;
}
