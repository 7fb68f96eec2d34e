CREATE INDEX "webhook_events_received_at_id_idx" ON "webhook_events" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_events_source_received_at_idx" ON "webhook_events" USING btree ("source","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_events_type_received_at_idx" ON "webhook_events" USING btree ("event_type","received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_events_event_id_idx" ON "webhook_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "webhook_events_payload_idx" ON "webhook_events" USING gin ("payload" jsonb_path_ops);