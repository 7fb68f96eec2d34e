export * from './event-history.ts';
export * from './webhook-events.ts';
