CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'failed', 'delivered', 'dead', 'disabled');--> statement-breakpoint
CREATE TABLE "disabled_destinations" (
	"source" text NOT NULL,
	"destination" text NOT NULL,
	"disabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "disabled_destinations_source_destination_pk" PRIMARY KEY("source","destination")
);
--> statement-breakpoint
CREATE TABLE "event_deliveries" (
	"event_row_id" bigint NOT NULL,
	"destination" text NOT NULL,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"queued_at" timestamp with time zone,
	CONSTRAINT "event_deliveries_event_row_id_destination_pk" PRIMARY KEY("event_row_id","destination")
);
--> statement-breakpoint
CREATE TABLE "event_delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_row_id" bigint NOT NULL,
	"destination" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"response_snippet" text DEFAULT '' NOT NULL,
	"error" text,
	"outcome" "delivery_status" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_event_row_id_webhook_events_id_fk" FOREIGN KEY ("event_row_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_delivery_attempts" ADD CONSTRAINT "event_delivery_attempts_delivery_fk" FOREIGN KEY ("event_row_id","destination") REFERENCES "public"."event_deliveries"("event_row_id","destination") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_deliveries_unqueued_idx" ON "event_deliveries" USING btree ("event_row_id") WHERE "event_deliveries"."status" in ('pending', 'failed') and "event_deliveries"."queued_at" is null;--> statement-breakpoint
CREATE INDEX "event_delivery_attempts_delivery_idx" ON "event_delivery_attempts" USING btree ("event_row_id","destination","at");