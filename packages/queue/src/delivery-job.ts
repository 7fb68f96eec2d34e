/**
 * The job of one event's delivery to one HTTP destination, on its own queue so a slow
 * destination never takes a handler's slot. Its data names the ledger row; the ledger counts
 * the delivery's attempts, so BullMQ's own attempts only cover a runner that failed (Postgres
 * away), never a destination's answer.
 */
export const DELIVERY_JOB_NAME = 'delivery';

export interface DeliveryJobData {
  readonly v: 1;
  readonly rowId: number;
  readonly destination: string;
  readonly source: string;
}

/** Stable per (event, destination): adding a delivery's job twice is a no-op while it exists. */
export function deliveryJobIdFor(rowId: number, destination: string): string {
  return `dlv-${rowId}-${destination}`;
}

const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };

/** The job of one ledger row, in the shape BullMQ's `addBulk` takes. */
export function deliveryJob({ rowId, destination, source }: Omit<DeliveryJobData, 'v'>) {
  return {
    name: DELIVERY_JOB_NAME,
    data: { v: 1, rowId, destination, source },
    opts: {
      jobId: deliveryJobIdFor(rowId, destination),
      attempts: 20,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  } as const;
}

export type DeliveryJob = ReturnType<typeof deliveryJob>;
