export * from './event-deliveries.ts';
export * from './event-history.ts';
export * from './event-subscribers.ts';
export * from './webhook-events.ts';
