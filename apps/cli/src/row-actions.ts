import type { Output } from './output.ts';

export interface RowAction<Outcome> {
  /** What the progress bar says. */
  readonly label: string;
  readonly act: (rowId: number) => Promise<Outcome>;
  readonly succeeded: (outcome: Outcome) => boolean;
  readonly describe: (outcome: Outcome) => string;
  /** Printed instead of an empty table. */
  readonly none?: string;
}

/**
 * Acts on each row in turn behind a progress bar, then prints one line per row (green when it
 * worked) or, with --json, the outcomes. Returns them for the exit code.
 */
export async function actOnRows<Outcome extends object>(
  out: Output,
  rowIds: readonly number[],
  action: RowAction<Outcome>,
): Promise<(Outcome & { id: number })[]> {
  const bar = out.progress(rowIds.length, action.label);
  const results: (Outcome & { id: number })[] = [];
  for (const id of rowIds) {
    results.push({ id, ...(await action.act(id)) });
    bar.increment();
  }
  bar.stop();
  out.result(results, () =>
    results.length === 0 && action.none !== undefined
      ? action.none
      : out.table(
          ['row id', 'outcome'],
          results.map((result) => {
            const text = action.describe(result);
            return [
              result.id,
              action.succeeded(result) ? out.color.green(text) : out.color.yellow(text),
            ];
          }),
        ),
  );
  return results;
}
