ALTER TABLE "webhook_events" ALTER COLUMN "payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_events" ALTER COLUMN "headers" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "body_sha256" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "pruned_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "webhook_events_unqueued_idx" ON "webhook_events" USING btree ("id") WHERE "webhook_events"."status" in ('received', 'failed') and "webhook_events"."queued_at" is null;