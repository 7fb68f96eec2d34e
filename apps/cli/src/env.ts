import { fileURLToPath } from 'node:url';
import { checkRetention, commonEnv, parseEnv, retentionEnv } from '@webhook-inbox/config';
import { z } from 'zod';

/** The repository's sources file, wherever in the repository the CLI is started. */
const REPO_SOURCES = fileURLToPath(new URL('../../../config/sources.json', import.meta.url));

const cliEnv = {
  ...commonEnv,
  SOURCES_FILE: z.string().min(1).default(REPO_SOURCES),
  ...retentionEnv,
  /** Where `send` posts: the ingress's public base URL. */
  INGRESS_URL: z.url().default('http://127.0.0.1:3000'),
  /** Set (to anything) to turn colours off even on a terminal. */
  NO_COLOR: z.string().optional(),
};

export type CliEnv = z.infer<z.ZodObject<typeof cliEnv>>;

/** The CLI's settings; the same variables as the services, so it acts on the same deployment. */
export function readCliEnv(env = process.env): CliEnv {
  const settings = parseEnv(cliEnv, env);
  checkRetention(settings);
  return settings;
}

/** The process environment, where `env:` secrets of the sources file are read. */
export const processEnv = (): NodeJS.ProcessEnv => process.env;
