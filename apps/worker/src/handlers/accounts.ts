import { accounts } from '@webhook-inbox/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { HandlerRegistry } from '../registry.ts';

// The seeds' scenario. Crediting is deliberately *not* idempotent by itself (balance + amount):
// exactly-once comes from the pipeline, which runs this inside the event's transaction.

const paymentSucceeded = z.object({
  data: z.object({ customer_id: z.string().min(1), amount: z.number().int().nonnegative() }),
});

const userUpgraded = z.object({ data: z.object({ user_id: z.string().min(1) }) });

export function accountHandlers(handlers: HandlerRegistry): HandlerRegistry {
  return handlers
    .on('payments', 'payment.succeeded', paymentSucceeded, async ({ payload }, { tx }) => {
      const { customer_id: id, amount } = payload.data;
      await tx
        .insert(accounts)
        .values({ id, balance: amount, isMember: true })
        .onConflictDoUpdate({
          target: accounts.id,
          set: { balance: sql`${accounts.balance} + ${amount}`, isMember: true },
        });
    })
    .on('polka', 'user.upgraded', userUpgraded, async ({ payload }, { tx }) => {
      await tx
        .insert(accounts)
        .values({ id: payload.data.user_id, isMember: true })
        .onConflictDoUpdate({ target: accounts.id, set: { isMember: true } });
    });
}
