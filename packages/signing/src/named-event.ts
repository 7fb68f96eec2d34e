import { option, setPath } from './generic.ts';
import { hex, type Sample } from './model.ts';

/** What the example app's payments handler credits, so a sample is processed, not dead. */
const PAYMENT = { customer_id: 'cus_1', amount: 4900, currency: 'INR' };

/** The body and naming headers of the configurable providers: ID and type where configured. */
export function namedEvent(s: Sample) {
  const id = s.id ?? `evt_${hex(8)}`;
  const type = s.type ?? 'payment.succeeded';
  const body: Record<string, unknown> = { data: s.data ?? PAYMENT };
  const headers: Record<string, string> = {};
  const idHeader = option(s.options, 'idHeader');
  if (idHeader === undefined) setPath(body, option(s.options, 'idField', 'id'), id);
  else headers[idHeader] = id;
  const typeHeader = option(s.options, 'typeHeader');
  if (typeHeader !== undefined) headers[typeHeader] = type;
  else if (option(s.options, 'eventType') === undefined) {
    setPath(body, option(s.options, 'typeField', 'type'), type);
  }
  return { id, body, headers };
}
