import { ConfigError } from '@webhook-inbox/config';
import { Command, InvalidArgumentError } from 'commander';
import { doctor } from './commands/doctor.ts';
import { prune } from './commands/prune.ts';
import { send } from './commands/send.ts';
import { type CliEnv, readCliEnv } from './env.ts';
import { Output, UsageError } from './output.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

/** Runs a command with its settings and output; problems the user can fix are one line, exit 2. */
function run<A extends unknown[]>(
  action: (env: CliEnv, out: Output, ...args: A) => Promise<number>,
) {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const globals = command.optsWithGlobals<{ json?: boolean }>();
    let code: number;
    try {
      const env = readCliEnv();
      const out = new Output(Boolean(globals.json), env.NO_COLOR !== undefined);
      code = await action(env, out, ...(args.slice(0, -1) as A));
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
      console.error(`webhook-inbox: ${error.message}`);
      code = 2;
    }
    process.exitCode = code;
  };
}

const program = new Command('webhook-inbox')
  .description(
    'Drive and inspect webhook-inbox: send test events, look into the inbox, replay, prune.',
  )
  .option('--json', 'print one JSON document instead of tables')
  .showHelpAfterError();

program
  .command('send')
  .description(
    "sign a sample event exactly as the source's provider would, and post it to the ingress",
  )
  .argument('<source>', 'a source name from the sources file')
  .option('--type <type>', 'event type (default: a typical one for the provider)')
  .option('--data <json|@file>', "the event's data, as JSON or @path/to/file.json")
  .option('--id <id>', 'event ID (default: a new one per send)')
  .option('--url <url>', 'the ingress base URL (default: INGRESS_URL or http://127.0.0.1:3000)')
  .option('--repeat <n>', 'send this many events (the same one, with --id)', positiveInt, 1)
  .action(
    run((env, out, source: string, options: Parameters<typeof send>[3]) =>
      send(env, out, source, options),
    ),
  );

program
  .command('doctor')
  .description(
    'check Postgres, Redis, migrations, the sources file and its secrets; say what to fix',
  )
  .action(run((env, out) => doctor(env, out)));

program
  .command('prune')
  .description('run retention once now: drop old payloads, delete old finished events')
  .option('--dry-run', 'only count what would change')
  .action(
    run((env, out, options: { dryRun?: boolean }) =>
      prune(env, out, { dryRun: Boolean(options.dryRun) }),
    ),
  );

await program.parseAsync();
