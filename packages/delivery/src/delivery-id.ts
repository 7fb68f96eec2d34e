import { createHash } from 'node:crypto';

/**
 * The `webhook-id` of one event's delivery to one destination: stable across attempts, replays
 * and worker restarts, so the receiver can dedupe; different per destination, so two
 * destinations that share a receiver do not dedupe each other away.
 */
export function deliveryId(source: string, eventId: string, destination: string): string {
  // JSON keeps the parts apart: ("a", "b.c") and ("a.b", "c") never collide.
  const digest = createHash('sha256').update(JSON.stringify([source, eventId, destination]));
  return `msg_${digest.digest('base64url').slice(0, 32)}`;
}
