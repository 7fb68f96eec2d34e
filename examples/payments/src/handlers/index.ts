import { defineHandlers } from '@webhook-inbox/worker';
import { accountHandlers } from './accounts.ts';

/** Every handler the worker runs. Add yours here: one module per area, as accounts.ts is. */
export const handlers = accountHandlers(defineHandlers());
