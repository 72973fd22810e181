CREATE SEQUENCE "public"."service_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "log_channels" (
	"tenant_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"last_seq" bigint NOT NULL,
	"pruned_through" bigint DEFAULT 0 NOT NULL,
	"last_entry_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_channels_tenant_id_channel_pk" PRIMARY KEY("tenant_id","channel")
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"channel" text NOT NULL,
	"level" smallint NOT NULL,
	"message" text NOT NULL,
	"fields" jsonb,
	"timestamp" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_entries_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
CREATE TABLE "log_heads" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"state" text NOT NULL,
	"previous_state" text,
	"message" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"stale" boolean DEFAULT false NOT NULL,
	"queue_size" integer,
	"processed_count" bigint,
	"failed_count" bigint,
	"interval_seconds" integer NOT NULL,
	"message" text,
	"details" jsonb,
	"version" bigint NOT NULL,
	"last_report_at" timestamp with time zone NOT NULL,
	"stale_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "log_retention_count" integer DEFAULT 10000 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "log_retention_hours" integer DEFAULT 168 NOT NULL;--> statement-breakpoint
ALTER TABLE "log_channels" ADD CONSTRAINT "log_channels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_entries" ADD CONSTRAINT "log_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_heads" ADD CONSTRAINT "log_heads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_history" ADD CONSTRAINT "service_history_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "log_entries_channel_idx" ON "log_entries" USING btree ("tenant_id","channel","seq");--> statement-breakpoint
CREATE INDEX "service_history_key_idx" ON "service_history" USING btree ("tenant_id","key","id");--> statement-breakpoint
CREATE INDEX "services_stale_idx" ON "services" USING btree ("stale_at");