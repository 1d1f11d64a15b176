CREATE TABLE "case_follower" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"tracking_secret_hash" text NOT NULL,
	"resident_phone_enc" text,
	"resident_phone_masked" text,
	"resident_locale" text DEFAULT 'zh-CN' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_follower" ADD CONSTRAINT "case_follower_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_follower_tracking_secret_hash_key" ON "case_follower" USING btree ("tracking_secret_hash");--> statement-breakpoint
CREATE INDEX "case_follower_case_idx" ON "case_follower" USING btree ("case_id");