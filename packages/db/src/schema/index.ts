export * from './accounts.ts';
export * from './webhook-events.ts';
