DROP INDEX "webhook_events_received_idx";--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "signed_content_sha256" text;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_source_signed_content_key" ON "webhook_events" USING btree ("source","signed_content_sha256") WHERE "webhook_events"."signed_content_sha256" is not null;--> statement-breakpoint
CREATE INDEX "webhook_events_unfinished_idx" ON "webhook_events" USING btree ("id") WHERE "webhook_events"."status" in ('received', 'failed');