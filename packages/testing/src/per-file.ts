import { afterAll, beforeAll } from 'vitest';
import { createTestEnvironment, type TestEnvironment } from './harness.ts';

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
  const started: { env?: TestEnvironment; app?: App } = {};
  beforeAll(async () => {
    started.env = await createTestEnvironment();
    started.app = await build(started.env);
  });
  afterAll(async () => {
    await started.app?.close();
    await started.env?.cleanup();
  });
  return {
    get env() {
      if (!started.env) throw new Error('the test environment is made in beforeAll');
      return started.env;
    },
    get app() {
      if (!started.app) throw new Error('the app is built in beforeAll');
      return started.app;
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
