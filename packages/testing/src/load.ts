import { paymentEvent } from './events.ts';
import { signHmacSha256 } from './signing.ts';

export interface PaymentToSend {
  readonly eventId: string;
  readonly customer: string;
  readonly amount: number;
}

/** The body of a `paymentEvent`, as its sender would post it. */
export function paymentBody({ eventId, customer, amount }: PaymentToSend): string {
  return JSON.stringify(paymentEvent(customer, amount, eventId));
}

/** 0 stands for "no HTTP answer at all" (connection refused or reset). */
export type SendResult = { readonly event: PaymentToSend; readonly status: number };

export async function sendPayment(
  url: string,
  secret: string,
  event: PaymentToSend,
): Promise<SendResult> {
  const body = paymentBody(event);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signHmacSha256(body, secret) },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return { event, status: response.status };
  } catch {
    return { event, status: 0 };
  }
}

export interface SendOptions {
  readonly concurrency: number;
  /** Where to send each request, asked per request so a test can move traffic between processes. */
  readonly url: () => string;
  readonly secret: string;
  /** Pause between one sender's requests, to spread a load over time. */
  readonly pauseMs?: number;
}

/** Sends every event (duplicates included, in the order given) over `concurrency` senders. */
export async function sendPayments(
  events: readonly PaymentToSend[],
  options: SendOptions,
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  let next = 0;
  async function sender() {
    while (next < events.length) {
      const event = events[next++];
      if (!event) break;
      results.push(await sendPayment(options.url(), options.secret, event));
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  return results;
}

/**
 * Resends what was refused, as a provider retries, for up to `rounds` rounds `pauseMs` apart;
 * returns what is still not acked.
 */
export async function resendUntilAcked(
  refused: readonly PaymentToSend[],
  options: SendOptions,
  { rounds, pauseMs }: { rounds: number; pauseMs: number },
): Promise<PaymentToSend[]> {
  let pending = [...refused];
  for (let round = 0; round < rounds && pending.length > 0; round += 1) {
    const results = await sendPayments(pending, options);
    pending = results.filter((result) => result.status !== 200).map((result) => result.event);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return pending;
}

/**
 * `unique` distinct events over `customers` customers, plus `duplicates` resends of random
 * ones, shuffled so that resends interleave with first sends.
 */
export function paymentsWithDuplicates(
  prefix: string,
  unique: number,
  duplicates: number,
  customers: number,
): PaymentToSend[] {
  const firsts = Array.from({ length: unique }, (_, i) => ({
    eventId: `${prefix}_evt_${i}`,
    customer: `${prefix}_cus_${i % customers}`,
    amount: 1 + ((i * 7919) % 100),
  }));
  const resends = Array.from(
    { length: duplicates },
    () => firsts[Math.floor(Math.random() * unique)],
  );
  const all = [...firsts, ...resends].filter(
    (event): event is PaymentToSend => event !== undefined,
  );
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j] as PaymentToSend, all[i] as PaymentToSend];
  }
  return all;
}

/** What each customer's balance must be: every distinct event credited exactly once. */
export function expectedBalances(events: readonly PaymentToSend[]): Map<string, number> {
  const seen = new Set<string>();
  const balances = new Map<string, number>();
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    balances.set(event.customer, (balances.get(event.customer) ?? 0) + event.amount);
  }
  return balances;
}
