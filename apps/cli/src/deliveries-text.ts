import type { DeliveryDetail } from '@webhook-inbox/inbox';
import type { Output } from './output.ts';

type DeliveryStatus = DeliveryDetail['status'];

export function deliveryStatusText(out: Output, status: DeliveryStatus): string {
  switch (status) {
    case 'delivered':
      return out.color.green(status);
    case 'pending':
      return out.color.cyan(status);
    case 'failed':
      return out.color.yellow(status);
    case 'dead':
    case 'disabled':
      return out.color.red(status);
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

const answer = (statusCode: number | null) =>
  statusCode === null ? 'no answer' : String(statusCode);

/** A response's first KiB below its attempt's table, indented: a cell cannot hold its lines. */
const indented = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

function summary(out: Output, deliveries: readonly DeliveryDetail[], now: Date): string {
  return out.table(
    ['destination', 'status', 'attempts', 'last answer', 'next attempt (UTC)', 'last error'],
    deliveries.map((delivery) => {
      const last = delivery.history.at(-1);
      const unfinished = delivery.status === 'pending' || delivery.status === 'failed';
      const next = delivery.nextAttemptAt;
      return [
        delivery.destination,
        deliveryStatusText(out, delivery.status) +
          (delivery.destinationDisabled && delivery.status !== 'disabled'
            ? out.color.dim(' (destination disabled)')
            : ''),
        delivery.history.length > delivery.attempts
          ? `${delivery.attempts} (${delivery.history.length} in all)`
          : delivery.attempts,
        last ? `${answer(last.statusCode)} in ${last.latencyMs} ms` : '—',
        !unfinished
          ? '—'
          : next
            ? `${next.toISOString()}${next > now ? '' : ' (due)'}`
            : 'when a worker takes it',
        delivery.lastError ? out.color.red(delivery.lastError) : '',
      ];
    }),
  );
}

function attempts(out: Output, delivery: DeliveryDetail): string {
  if (delivery.history.length === 0) return out.color.dim('no request made yet');
  const table = out.table(
    ['#', 'at (UTC)', 'status', 'latency', 'led to', 'error'],
    delivery.history.map((attempt, index) => [
      index + 1,
      attempt.at.toISOString(),
      answer(attempt.statusCode),
      `${attempt.latencyMs} ms`,
      attempt.outcome,
      attempt.error ?? '',
    ]),
  );
  const responses = delivery.history.flatMap((attempt, index) =>
    attempt.responseSnippet === ''
      ? []
      : [
          `${out.color.dim(`response to #${index + 1} (first KiB):`)}\n${indented(attempt.responseSnippet)}`,
        ],
  );
  return [table, ...responses].join('\n');
}

/** The deliveries section of `show`: one line per destination, then each one's attempts. */
export function deliveriesText(
  out: Output,
  source: string,
  deliveries: readonly DeliveryDetail[],
  now = new Date(),
): string {
  if (deliveries.length === 0) return out.color.dim('no HTTP destination takes this event');
  const hints = deliveries.flatMap((delivery) =>
    delivery.destinationDisabled
      ? [
          out.color.yellow(
            `${delivery.destination} answered 410 Gone and is disabled; \`webhook-inbox destinations enable ${source} ${delivery.destination}\` sends it events again`,
          ),
        ]
      : [],
  );
  const sections = deliveries.map(
    (delivery) =>
      `${out.color.bold(`attempts to ${delivery.destination}`)}\n${attempts(out, delivery)}`,
  );
  return [summary(out, deliveries, now), ...hints, ...sections].join('\n');
}
