/** What the one log line (and metric) per webhook request reports, filled in by the webhook route. */
export interface WebhookLogFields {
  source: string;
  eventId?: string;
  outcome?: string;
  duplicate?: boolean;
  /** Which unique key made it a duplicate. */
  duplicateKey?: 'event_id' | 'signed_content';
  /** A duplicate by event ID whose body differs from the stored one. */
  conflicting?: boolean;
}
