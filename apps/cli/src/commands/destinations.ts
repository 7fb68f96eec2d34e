import { readSourcesFile } from '@webhook-inbox/config';
import { type DestinationRoute, parseDestinationRoute } from '@webhook-inbox/delivery';
import { listDisabledDestinations } from '@webhook-inbox/inbox';
import { enableAndResume, redeliver } from '@webhook-inbox/inbox-queue';
import type { CliEnv } from '../env.ts';
import { withDb, withQueue } from '../inbox.ts';
import { type Output, UsageError } from '../output.ts';

/** Each source's destinations as the sources file lists them (routes only: no secret is read). */
function routesOf(env: CliEnv): Map<string, DestinationRoute[]> {
  return readSourcesFile(env.SOURCES_FILE).destinationRoutes(parseDestinationRoute);
}

/** Every configured destination, and whether a 410 disabled it. */
export async function listDestinations(env: CliEnv, out: Output) {
  const routes = routesOf(env);
  const disabled = await withDb(env, (db) => listDisabledDestinations(db));
  const disabledAt = new Map(disabled.map((row) => [`${row.source}/${row.destination}`, row]));
  const rows = [...routes].flatMap(([source, destinations]) =>
    destinations.map((route) => {
      const off = disabledAt.get(`${source}/${route.name}`);
      return {
        source,
        destination: route.name,
        types: route.types,
        disabled: off ? { at: off.disabledAt, reason: off.reason } : null,
      };
    }),
  );
  out.result(rows, () =>
    rows.length === 0
      ? out.color.dim(`no source in ${env.SOURCES_FILE} has destinations`)
      : out.table(
          ['source', 'destination', 'types', 'state'],
          rows.map((row) => [
            row.source,
            row.destination,
            row.types.join(' '),
            row.disabled
              ? out.color.red(`disabled ${row.disabled.at.toISOString()}: ${row.disabled.reason}`)
              : out.color.green('enabled'),
          ]),
        ),
  );
  return 0;
}

/** The destination as the sources file has it, or a usage error naming what it does have. */
function configured(env: CliEnv, source: string, destination: string) {
  const routes = routesOf(env);
  const known = routes.get(source);
  if (!known) {
    const withAny = [...routes.keys()].join(', ') || 'none';
    throw new UsageError(
      `no source "${source}" with destinations in ${env.SOURCES_FILE} (sources with destinations: ${withAny})`,
    );
  }
  if (!known.some((route) => route.name === destination)) {
    throw new UsageError(
      `source "${source}" has no destination "${destination}" (it has: ${known.map((r) => r.name).join(', ')})`,
    );
  }
}

/**
 * Lets a destination a 410 disabled receive events again; the deliveries it refused meanwhile
 * are queued again. Exit 1 when it was not disabled and nothing was waiting for it.
 */
export async function enableDestinationCommand(
  env: CliEnv,
  out: Output,
  source: string,
  destination: string,
) {
  configured(env, source, destination);
  const outcome = await withQueue(env, (db, _queue, deliveryQueue) =>
    enableAndResume({ db: db, deliveryQueue }, source, destination),
  );
  const resumed = `${outcome.resumed} delivery(ies) it refused queued again`;
  out.result({ source, destination, ...outcome }, () =>
    outcome.kind === 'enabled'
      ? out.color.green(`enabled ${source}/${destination}: ${resumed}`)
      : out.color.yellow(`${source}/${destination} was not disabled; ${resumed}`),
  );
  return outcome.kind === 'enabled' || outcome.resumed > 0 ? 0 : 1;
}

/** Sends one dead delivery again with a fresh start; exit 1 when it cannot be, saying why. */
export async function redeliverCommand(
  env: CliEnv,
  out: Output,
  rowId: number,
  destination: string,
) {
  const outcome = await withQueue(env, (db, _queue, deliveryQueue) =>
    redeliver({ db: db, deliveryQueue }, { rowId, destination }),
  );
  out.result({ rowId, destination, ...outcome }, () => {
    switch (outcome.kind) {
      case 'redelivered':
        return out.color.green(`sending row ${rowId} to ${destination} again, from attempt 1`);
      case 'missing':
        return out.color.yellow(`row ${rowId} has no delivery to ${destination}`);
      case 'not_redeliverable':
        return out.color.yellow(`not sent again: ${outcome.reason}`);
      default: {
        const unreachable: never = outcome;
        return unreachable;
      }
    }
  });
  return outcome.kind === 'redelivered' ? 0 : 1;
}
