import type { Transaction } from '@webhook-inbox/db';
import type { HandlerRegistry } from '@webhook-inbox/worker';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../schema.ts';

// The example's handlers: a `payments` payment credits its customer's account and makes them a
// member, a `polka` upgrade makes a member, and Stripe's real payload credits the same way.
// Crediting is deliberately *not* idempotent by itself (balance + amount): exactly-once comes
// from the pipeline, which runs each handler inside its event's transaction.

const paymentSucceeded = z.object({
  data: z.object({ customer_id: z.string().min(1), amount: z.number().int().nonnegative() }),
});

const stripePaymentIntentSucceeded = z.object({
  data: z.object({
    object: z.object({
      customer: z.string().min(1),
      amount_received: z.number().int().nonnegative(),
    }),
  }),
});

const userUpgraded = z.object({ data: z.object({ user_id: z.string().min(1) }) });

/** Credits an account, creating it on first use, and makes it a member. */
async function credit(tx: Transaction, id: string, amount: number) {
  await tx
    .insert(accounts)
    .values({ id, balance: amount, isMember: true })
    .onConflictDoUpdate({
      target: accounts.id,
      set: { balance: sql`${accounts.balance} + ${amount}`, isMember: true },
    });
}

export function accountHandlers(handlers: HandlerRegistry): HandlerRegistry {
  return handlers
    .on('payments', 'payment.succeeded', paymentSucceeded, ({ payload }, { tx }) =>
      credit(tx, payload.data.customer_id, payload.data.amount),
    )
    .on('stripe', 'payment_intent.succeeded', stripePaymentIntentSucceeded, ({ payload }, { tx }) =>
      credit(tx, payload.data.object.customer, payload.data.object.amount_received),
    )
    .on('polka', 'user.upgraded', userUpgraded, async ({ payload }, { tx }) => {
      await tx
        .insert(accounts)
        .values({ id: payload.data.user_id, isMember: true })
        .onConflictDoUpdate({ target: accounts.id, set: { isMember: true } });
    });
}
