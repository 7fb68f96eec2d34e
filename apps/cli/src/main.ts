import { ConfigError } from '@webhook-inbox/config';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { blocked } from './commands/blocked.ts';
import {
  enableDestinationCommand,
  listDestinations,
  redeliverCommand,
} from './commands/destinations.ts';
import { doctor } from './commands/doctor.ts';
import { events } from './commands/events.ts';
import { prune } from './commands/prune.ts';
import { type ReplayFlags, replay } from './commands/replay.ts';
import { retryNowCommand } from './commands/retry-now.ts';
import { send } from './commands/send.ts';
import { show } from './commands/show.ts';
import { skip } from './commands/skip.ts';
import { stats } from './commands/stats.ts';
import { type CliEnv, readCliEnv } from './env.ts';
import { type FilterFlags, filterOptions } from './filter-options.ts';
import { rowId } from './format.ts';
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
  .showHelpAfterError()
  // Commander exits 1 on a usage error; the documented contract is 2 (set before the commands,
  // which inherit it).
  .exitOverride();

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
  .option(
    '--repeat <n>',
    "send it this many times, the same bytes each time (a provider's retry)",
    positiveInt,
    1,
  )
  .option(
    '--changed-body',
    'sign each repeat afresh: a new event each time, or with --id a changed body (a conflict)',
  )
  .option(
    '--handshake',
    "send the provider's check of a new URL instead (Zoom's url_validation, Meta's GET hub.challenge, …)",
  )
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

const eventsCommand = program
  .command('events')
  .description('list the newest events, filtered')
  .option('--limit <n>', 'how many (at most 500)', positiveInt, 20);
for (const option of filterOptions()) eventsCommand.addOption(option);
eventsCommand.action(
  run((env, out, flags: FilterFlags & { limit: number }) => events(env, out, flags)),
);

program
  .command('show')
  .description('one event: its fields, headers and payload')
  .argument('<row id>', 'the inbox row ID (the id column of events)')
  .action(run((env, out, id: string) => show(env, out, rowId(id))));

const replayCommand = program
  .command('replay')
  .description('give dead or ignored events a fresh start: by row IDs, or all a filter matches')
  .argument('[row ids...]', 'inbox row IDs')
  .option('--dry-run', 'say what would be replayed, change nothing')
  .option(
    '--subscriber <name>',
    'run only this in-process subscriber again, on the events it failed on',
  );
for (const option of filterOptions()) replayCommand.addOption(option);
replayCommand.action(
  run((env, out, ids: string[], flags: ReplayFlags) => replay(env, out, ids.map(rowId), flags)),
);

const retryNowCli = program
  .command('retry-now')
  .description('end the backoff of failed events: by row IDs, or all failed ones a filter matches')
  .argument('[row ids...]', 'inbox row IDs');
for (const option of filterOptions().filter((o) => o.long !== '--status'))
  retryNowCli.addOption(option);
retryNowCli.action(
  run((env, out, ids: string[], flags: FilterFlags) =>
    retryNowCommand(env, out, ids.map(rowId), flags),
  ),
);

const destinationsCommand = program
  .command('destinations')
  .description(
    "HTTP destinations: each source's, whether a 410 disabled it, and enabling it again",
  );
destinationsCommand
  .command('list', { isDefault: true })
  .description('every destination in the sources file, and whether a 410 disabled it')
  .action(run((env, out) => listDestinations(env, out)));
destinationsCommand
  .command('enable')
  .description('let a destination a 410 disabled receive events again; queue what it refused')
  .argument('<source>', 'a source name from the sources file')
  .argument('<destination>', "one of the source's destinations")
  .action(
    run((env, out, source: string, destination: string) =>
      enableDestinationCommand(env, out, source, destination),
    ),
  );
destinationsCommand
  .command('redeliver')
  .description(
    "send one event's dead delivery again, from attempt 1; its handlers do not run again",
  )
  .argument('<row id>', 'the inbox row ID of the event')
  .argument('<destination>', 'the destination it died on')
  .action(
    run((env, out, id: string, destination: string) =>
      redeliverCommand(env, out, rowId(id), destination),
    ),
  );

program
  .command('blocked')
  .description(
    'ordering keys held by an event that failed, with the event and what waits behind it',
  )
  .option('--limit <n>', 'at most this many keys', positiveInt, 100)
  .action(run((env, out, options: { limit: number }) => blocked(env, out, options.limit)));

program
  .command('skip')
  .description(
    'let the events after an ordered event run without it (it is marked ignored; replay can still run it)',
  )
  .argument('<row ids...>', 'inbox row IDs of events that hold their ordering key')
  .action(run((env, out, ids: string[]) => skip(env, out, ids.map(rowId))));

program
  .command('stats')
  .description('counts by source and status, and the lag (the oldest unfinished event)')
  .action(run((env, out) => stats(env, out)));

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has printed the error (or the help) already; `--help` and `--version` exit 0.
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
