import type { SkipOutcome } from '@webhook-inbox/inbox';
import type {
  EnableOutcome,
  RedeliverOutcome,
  ReplayOneOutcome,
  RetryNowOutcome,
} from '@webhook-inbox/inbox-queue';

/** An action's outcome as the pages and the API report it. */
export interface Answer {
  readonly status: number;
  readonly ok: boolean;
  readonly message: string;
}

export function replayAnswer(outcome: ReplayOneOutcome): Answer {
  switch (outcome.kind) {
    case 'replayed':
      return {
        status: 200,
        ok: true,
        message: 'Replayed: the event has a fresh job and starts again from attempt 1.',
      };
    case 'missing':
      return { status: 404, ok: false, message: 'No such event.' };
    case 'pruned':
      return {
        status: 409,
        ok: false,
        message:
          'Cannot replay: retention removed its payload; only the record that it happened is kept.',
      };
    case 'not_replayable':
      return {
        status: 409,
        ok: false,
        message: `Cannot replay a ${outcome.status} event: ${outcome.reason}.`,
      };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

export function retryNowAnswer(outcome: RetryNowOutcome): Answer {
  switch (outcome.kind) {
    case 'promoted':
      return {
        status: 200,
        ok: true,
        message:
          'Retrying now: its waiting job was moved to the front; the next free worker runs it.',
      };
    case 'missing':
      return { status: 404, ok: false, message: 'No such event.' };
    case 'not_failed':
      return {
        status: 409,
        ok: false,
        message:
          outcome.status === 'dead' || outcome.status === 'ignored'
            ? `Cannot retry a ${outcome.status} event now: no retry is pending. Replay it instead.`
            : `Cannot retry a ${outcome.status} event: only a failed event waits for a retry.`,
      };
    case 'not_delayed':
      return {
        status: 409,
        ok: false,
        message: `Its job is not waiting out a backoff (BullMQ state: ${outcome.jobState}); it will run when a worker takes it.`,
      };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

const resumedText = (resumed: number) =>
  resumed === 0
    ? 'no delivery was waiting for it'
    : `${resumed} deliver${resumed === 1 ? 'y it refused is' : 'ies it refused are'} queued again`;

export function enableAnswer(destination: string, outcome: EnableOutcome): Answer {
  switch (outcome.kind) {
    case 'enabled':
      return {
        status: 200,
        ok: true,
        message: `Enabled ${destination}: ${resumedText(outcome.resumed)}.`,
      };
    case 'not_disabled':
      return outcome.resumed > 0
        ? {
            status: 200,
            ok: true,
            message: `${destination} was not disabled; ${resumedText(outcome.resumed)}.`,
          }
        : {
            status: 409,
            ok: false,
            message: `${destination} is not disabled: there is nothing to enable.`,
          };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

export function redeliverAnswer(destination: string, outcome: RedeliverOutcome): Answer {
  switch (outcome.kind) {
    case 'redelivered':
      return {
        status: 200,
        ok: true,
        message: `Sending it to ${destination} again: a fresh start, from attempt 1, under the same webhook-id.`,
      };
    case 'missing':
      return { status: 404, ok: false, message: `This event has no delivery to ${destination}.` };
    case 'not_redeliverable':
      return {
        status: 409,
        ok: false,
        message: `Cannot send a ${outcome.status} delivery again: ${outcome.reason}.`,
      };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

export function skipAnswer(outcome: SkipOutcome): Answer {
  switch (outcome.kind) {
    case 'skipped':
      return {
        status: 200,
        ok: true,
        message: `Skipped: it is ignored now, and the next event of key ${outcome.key.key} can run. Replay runs it later if you need it.`,
      };
    case 'missing':
      return { status: 404, ok: false, message: 'No such event.' };
    case 'not_ordered':
      return {
        status: 409,
        ok: false,
        message:
          'Cannot skip it: its source does not order events, so nothing waits for it. Replay it instead.',
      };
    case 'not_skippable':
      return {
        status: 409,
        ok: false,
        message: `Cannot skip it: it is ${outcome.status}, so it holds nothing back.`,
      };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
