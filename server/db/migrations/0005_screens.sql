CREATE TABLE "canned_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_check_hours" (
	"monitor_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"checks" integer NOT NULL,
	"ok_checks" integer NOT NULL,
	"timed_checks" integer NOT NULL,
	"response_ms_sum" bigint NOT NULL,
	"min_ms" integer,
	"max_ms" integer,
	"histogram" integer[] NOT NULL,
	CONSTRAINT "monitor_check_hours_monitor_id_hour_pk" PRIMARY KEY("monitor_id","hour")
);
--> statement-breakpoint
CREATE TABLE "service_samples" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"queue_size" integer,
	"max_queue_size" integer,
	"processed_count" bigint,
	"failed_count" bigint,
	CONSTRAINT "service_samples_tenant_id_key_minute_pk" PRIMARY KEY("tenant_id","key","minute")
);
--> statement-breakpoint
CREATE TABLE "status_page_monitors" (
	"page_id" uuid NOT NULL,
	"monitor_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"label" text,
	CONSTRAINT "status_page_monitors_page_id_monitor_id_pk" PRIMARY KEY("page_id","monitor_id")
);
--> statement-breakpoint
CREATE TABLE "status_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_pages_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "ticket_reads" (
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"last_read_seq" bigint NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_reads_ticket_id_user_id_pk" PRIMARY KEY("ticket_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "notification_deliveries" ALTER COLUMN "incident_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "recovery_checks" integer;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "recovery_threshold_ms" integer;--> statement-breakpoint
ALTER TABLE "incident_events" ADD COLUMN "actor_id" uuid;--> statement-breakpoint
ALTER TABLE "incident_events" ADD COLUMN "actor_name" text;--> statement-breakpoint
ALTER TABLE "incident_events" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "incident_events" ADD COLUMN "public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "monitor_checks" ADD COLUMN "duration_ms" integer;--> statement-breakpoint
ALTER TABLE "notification_attempts" ADD COLUMN "duration_ms" integer;--> statement-breakpoint
ALTER TABLE "notification_attempts" ADD COLUMN "response_body" text;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "rule_id" uuid;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_check_hours" ADD CONSTRAINT "monitor_check_hours_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_samples" ADD CONSTRAINT "service_samples_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_page_monitors" ADD CONSTRAINT "status_page_monitors_page_id_status_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."status_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_page_monitors" ADD CONSTRAINT "status_page_monitors_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_pages" ADD CONSTRAINT "status_pages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_reads" ADD CONSTRAINT "ticket_reads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_reads" ADD CONSTRAINT "ticket_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_replies_shortcut_idx" ON "canned_replies" USING btree ("tenant_id","shortcut");--> statement-breakpoint
CREATE INDEX "monitor_check_hours_hour_idx" ON "monitor_check_hours" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "status_pages_tenant_idx" ON "status_pages" USING btree ("tenant_id");--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","seq");--> statement-breakpoint
CREATE INDEX "monitor_checks_monitor_time_idx" ON "monitor_checks" USING btree ("monitor_id","checked_at");--> statement-breakpoint
CREATE INDEX "notification_attempts_delivery_idx" ON "notification_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "notification_deliveries_incident_idx" ON "notification_deliveries" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "notification_deliveries_tenant_idx" ON "notification_deliveries" USING btree ("tenant_id","created_at");
--> statement-breakpoint
-- Back-fill: a failed check that got no answer has no response time (it was the attempt's duration).
UPDATE "monitor_checks" SET "duration_ms" = "response_time_ms";--> statement-breakpoint
UPDATE "monitor_checks" SET "response_time_ms" = NULL WHERE NOT "ok" AND "http_status" IS NULL;--> statement-breakpoint
-- Back-fill: hourly rollups of the checks stored so far (hours are UTC, bins as in server/domain/monitors/histogram.ts).
INSERT INTO "monitor_check_hours" ("monitor_id", "hour", "tenant_id", "checks", "ok_checks", "timed_checks", "response_ms_sum", "min_ms", "max_ms", "histogram")
SELECT "monitor_id", date_bin(interval '1 hour', "checked_at", timestamptz '1970-01-01 00:00:00+00'), (array_agg("tenant_id"))[1], count(*)::int, (count(*) FILTER (WHERE "ok"))::int,
  count("response_time_ms")::int, coalesce(sum("response_time_ms"), 0), min("response_time_ms"), max("response_time_ms"),
  array_fill(0, ARRAY[72])
FROM "monitor_checks" GROUP BY 1, 2;--> statement-breakpoint
UPDATE "monitor_check_hours" h SET "histogram" = b.hist FROM (
  SELECT x.monitor_id, x.hour, array_agg(coalesce(y.n, 0) ORDER BY x.g) AS hist
  FROM (SELECT "monitor_id", "hour", g FROM "monitor_check_hours" CROSS JOIN generate_series(1, 72) g) x
  LEFT JOIN (
    SELECT "monitor_id", date_bin(interval '1 hour', "checked_at", timestamptz '1970-01-01 00:00:00+00') AS hour, width_bucket("response_time_ms", '{1,2,3,4,5,6,7,8,9,11,12,14,16,19,22,25,29,33,38,44,50,58,66,76,88,100,120,130,150,180,200,230,270,310,350,410,470,540,620,710,820,940,1100,1200,1400,1600,1900,2200,2500,2900,3300,3800,4400,5000,5800,6700,7700,8800,10000,12000,13000,15000,18000,20000,23000,27000,31000,36000,41000,47000,54000}'::int[]) + 1 AS g, count(*)::int AS n
    FROM "monitor_checks" WHERE "response_time_ms" IS NOT NULL GROUP BY 1, 2, 3
  ) y ON y.monitor_id = x.monitor_id AND y.hour = x.hour AND y.g = x.g
  GROUP BY x.monitor_id, x.hour
) b WHERE h.monitor_id = b.monitor_id AND h.hour = b.hour;