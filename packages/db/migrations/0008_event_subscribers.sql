CREATE TYPE "public"."subscriber_status" AS ENUM('pending', 'processed', 'failed', 'dead');--> statement-breakpoint
CREATE TABLE "event_subscribers" (
	"event_row_id" bigint NOT NULL,
	"subscriber" text NOT NULL,
	"status" "subscriber_status" NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "event_subscribers_event_row_id_subscriber_pk" PRIMARY KEY("event_row_id","subscriber")
);
--> statement-breakpoint
ALTER TABLE "event_subscribers" ADD CONSTRAINT "event_subscribers_event_row_id_webhook_events_id_fk" FOREIGN KEY ("event_row_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;