ALTER TYPE "public"."history_entry_kind" ADD VALUE 'skip';--> statement-breakpoint
ALTER TYPE "public"."event_status" ADD VALUE 'stale';--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "ordering_key" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "ordering_value" numeric;--> statement-breakpoint
CREATE INDEX "webhook_events_ordering_waiting_idx" ON "webhook_events" USING btree ("source","ordering_key","id") WHERE "webhook_events"."ordering_key" is not null and "webhook_events"."status" in ('received', 'failed', 'dead');--> statement-breakpoint
CREATE INDEX "webhook_events_ordering_applied_idx" ON "webhook_events" USING btree ("source","ordering_key","ordering_value") WHERE "webhook_events"."ordering_key" is not null and "webhook_events"."status" = 'processed';