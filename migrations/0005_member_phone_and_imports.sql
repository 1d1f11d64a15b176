CREATE TABLE "member_import" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"committee_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"status" text NOT NULL,
	"file_name" text NOT NULL,
	"file_kind" text NOT NULL,
	"encoding" text,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{"add":0,"update":0,"unchanged":0,"error":0}'::jsonb NOT NULL,
	"rows" jsonb,
	"diff" jsonb,
	"diff_hash" text,
	"mode" text,
	"added" integer,
	"updated" integer,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "member_import_status_check" CHECK ("member_import"."status" in ('validating', 'ready', 'applying', 'applied', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "phone_masked" text;--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "member_import" ADD CONSTRAINT "member_import_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_import" ADD CONSTRAINT "member_import_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_import_committee_idx" ON "member_import" USING btree ("committee_id","created_at");--> statement-breakpoint
CREATE INDEX "member_import_expires_idx" ON "member_import" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "member_committee_phone_key" ON "member" USING btree ("committee_id","phone_hash");