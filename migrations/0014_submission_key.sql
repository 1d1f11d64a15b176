CREATE TABLE "submission_key" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"follower_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "submission_key" ADD CONSTRAINT "submission_key_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_key" ADD CONSTRAINT "submission_key_follower_id_case_follower_id_fk" FOREIGN KEY ("follower_id") REFERENCES "public"."case_follower"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submission_key_created_idx" ON "submission_key" USING btree ("created_at");