CREATE TABLE "maintenance_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"held_until" timestamp with time zone NOT NULL,
	"holder" text
);
--> statement-breakpoint
ALTER TABLE "log_channels" ADD COLUMN "entry_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "log_entries_warn_idx" ON "log_entries" USING btree ("tenant_id","seq") WHERE level >= 3;--> statement-breakpoint
CREATE INDEX "log_entries_error_idx" ON "log_entries" USING btree ("tenant_id","seq") WHERE level >= 4;--> statement-breakpoint
CREATE INDEX "monitor_checks_checked_at_idx" ON "monitor_checks" USING btree ("checked_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_created_idx" ON "notification_deliveries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "service_samples_minute_idx" ON "service_samples" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "tickets_status_idx" ON "tickets" USING btree ("tenant_id","status","number");--> statement-breakpoint
-- Channel names compare byte by byte (collation "C"): a prefix pattern (`svc*`) is then an index
-- range on (tenant_id, channel, seq), and the order does not depend on the server's locale.
ALTER TABLE "log_entries" ALTER COLUMN "channel" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "log_channels" ALTER COLUMN "channel" TYPE text COLLATE "C";--> statement-breakpoint
-- Back-fill: entries stored per channel, which retention's count rule reads instead of the table.
UPDATE "log_channels" c SET "entry_count" = n.count FROM (
  SELECT "tenant_id", "channel", count(*) AS count FROM "log_entries" GROUP BY 1, 2
) n WHERE c."tenant_id" = n."tenant_id" AND c."channel" = n."channel";
