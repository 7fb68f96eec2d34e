/** The little of a logger a shutdown needs. */
interface ShutdownLog {
  info(fields: object, message: string): void;
  info(message: string): void;
  error(fields: object, message: string): void;
  fatal(fields: object, message: string): void;
  fatal(message: string): void;
}

/** Why a process is stopping: an operator's signal, or an error nothing caught. */
export type StopReason = 'signal' | 'uncaught-error';

export interface StopPlan {
  /** Said when a signal starts the shutdown. */
  readonly announce: { readonly message: string; readonly fields?: object };
  /** Stops taking work, finishes what is in flight and closes connections. */
  readonly close: (reason: StopReason) => Promise<void>;
  /** After an uncaught error, how long `close` may take before the process exits anyway. */
  readonly uncaughtDeadlineMs?: number;
}

/** Exit status after an uncaught error: not 0, so a supervisor restarts the process. */
export const UNCAUGHT_ERROR_EXIT_CODE = 1;

/**
 * Every process stops the same way. On the first SIGTERM or SIGINT it says so, runs `close`,
 * says it stopped and exits 0. On an uncaught error or unhandled rejection (a bug, or a driver
 * throwing inside one of its own callbacks) it logs the error as fatal, runs the same `close`
 * (the work in flight finishes or fails by its own deadline, so none is cut off unrecorded) and
 * exits 1: Node cannot vouch for a process after such an error, so a fresh one takes over.
 * While it closes, further signals are ignored and further uncaught errors are only logged.
 */
export function stopGracefully(log: ShutdownLog, plan: StopPlan): void {
  let closing = false;
  function stop(reason: StopReason, exitCode: number) {
    closing = true;
    plan.close(reason).then(
      () => {
        log.info(reason === 'signal' ? 'stopped' : 'stopped after an uncaught error');
        process.exit(exitCode);
      },
      (closeError: unknown) => {
        log.fatal({ err: closeError }, 'could not close cleanly');
        process.exit(UNCAUGHT_ERROR_EXIT_CODE);
      },
    );
  }
  function onSignal(signal: NodeJS.Signals) {
    if (closing) return;
    log.info({ signal, ...plan.announce.fields }, plan.announce.message);
    stop('signal', 0);
  }
  function onUncaught(error: Error, origin: NodeJS.UncaughtExceptionOrigin) {
    if (closing) {
      log.error({ err: error, origin }, 'another uncaught error while stopping');
      return;
    }
    log.fatal(
      { err: error, origin },
      'uncaught error: finishing the work in flight, then exiting for a fresh process',
    );
    const deadlineMs = plan.uncaughtDeadlineMs ?? 60_000;
    setTimeout(() => {
      log.fatal({ deadlineMs }, 'did not stop in time after an uncaught error: exiting now');
      process.exit(UNCAUGHT_ERROR_EXIT_CODE);
    }, deadlineMs).unref();
    stop('uncaught-error', UNCAUGHT_ERROR_EXIT_CODE);
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', onUncaught);
}

/**
 * Tells a parent that spawned this process with an IPC channel (`npm start`) that it now
 * serves, then lets the channel go so it never keeps the process alive. A no-op without one.
 */
export function announceReady(): void {
  process.send?.('ready', () => process.disconnect());
}
