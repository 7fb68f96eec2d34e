import type { RequestOutcome } from '@webhook-inbox/metrics';

/** What the one log line per webhook request reports, and the metrics count. */
export interface WebhookLogFields {
  source: string;
  eventId?: string;
  outcome?: RequestOutcome;
  duplicate?: boolean;
  /** Which unique key made it a duplicate. */
  duplicateKey?: 'event_id' | 'signed_content';
  /** A duplicate by event ID whose body differs from the stored one. */
  conflicting?: boolean;
  /** For a batched request: how many events it carried, and how many were already stored. */
  events?: number;
  duplicates?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What the one log line per webhook request reports; null on other routes. */
    webhook: WebhookLogFields | null;
  }
}
