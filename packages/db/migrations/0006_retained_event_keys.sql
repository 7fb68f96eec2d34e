CREATE TABLE "retained_event_keys" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"signed_content_sha256" text,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retained_event_keys_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "retained_event_keys_source_signed_content_key" ON "retained_event_keys" USING btree ("source","signed_content_sha256") WHERE "retained_event_keys"."signed_content_sha256" is not null;