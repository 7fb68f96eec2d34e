/** The little of a logger a shutdown needs. */
interface ShutdownLog {
  info(fields: object, message: string): void;
  info(message: string): void;
}

/**
 * Every process stops the same way: on the first SIGTERM or SIGINT it says so, runs `close`
 * (stop taking work, finish what is in flight, close connections), says it stopped and exits 0.
 * Later signals are ignored while it closes.
 */
export function closeOnSignals(
  log: ShutdownLog,
  announce: { readonly message: string; readonly fields?: object },
  close: () => Promise<void>,
): void {
  let closing = false;
  async function shutdown(signal: NodeJS.Signals) {
    if (closing) return;
    closing = true;
    log.info({ signal, ...announce.fields }, announce.message);
    await close();
    log.info('stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
