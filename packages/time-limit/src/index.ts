export const TIMED_OUT = Symbol('timed out');

/**
 * `work`'s result, or TIMED_OUT once `ms` have passed; `work` itself goes on (a late rejection is
 * handled here, never left unhandled). Rejections before the limit pass through.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms), TIMED_OUT);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `check` succeeds within `ms`: a rejection or the deadline is a no; never throws. */
export async function answersWithin(check: () => Promise<unknown>, ms: number): Promise<boolean> {
  try {
    return (await within(check(), ms)) !== TIMED_OUT;
  } catch {
    return false;
  }
}
