CREATE TABLE "publish_keys" (
	"tenant_id" uuid NOT NULL,
	"caller" text NOT NULL,
	"key" text NOT NULL,
	"first_seq" bigint NOT NULL,
	"count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publish_keys_tenant_id_caller_key_pk" PRIMARY KEY("tenant_id","caller","key")
);
--> statement-breakpoint
ALTER TABLE "publish_keys" ADD CONSTRAINT "publish_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "publish_keys_created_idx" ON "publish_keys" USING btree ("created_at");