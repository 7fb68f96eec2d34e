/** Where the tests find the machine's services; override to point a run elsewhere. */
export const testServices = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** What a child process of a test inherits: enough to run node, nothing of the caller's config. */
export const childBaseEnv: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
};
