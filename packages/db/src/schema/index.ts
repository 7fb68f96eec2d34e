export * from './accounts.ts';
export * from './event-history.ts';
export * from './webhook-events.ts';
