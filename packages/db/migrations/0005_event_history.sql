CREATE TYPE "public"."history_entry_kind" AS ENUM('attempt', 'replay', 'retry_now', 'gave_up');--> statement-breakpoint
CREATE TABLE "webhook_event_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_row_id" bigint NOT NULL,
	"kind" "history_entry_kind" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"duration_ms" integer,
	"outcome" text NOT NULL,
	"error" text,
	"actor" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_event_attempts" ADD CONSTRAINT "webhook_event_attempts_event_row_id_webhook_events_id_fk" FOREIGN KEY ("event_row_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_event_attempts_event_row_id_idx" ON "webhook_event_attempts" USING btree ("event_row_id","at");