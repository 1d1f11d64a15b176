DROP INDEX "contact_member_idx";--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "committee_id" uuid;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "met_on" date;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "place" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "raised" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "op_id" uuid;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "report_id" uuid;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Rows written before the registry had a route (none are expected) get their member's committee, the day they were
-- written, "other", a fresh op_id and an empty fingerprint, so the columns can become NOT NULL.
UPDATE "contact" c SET "committee_id" = m."committee_id", "met_on" = (c."created_at" AT TIME ZONE 'Asia/Shanghai')::date, "kind" = 'other',
  "op_id" = gen_random_uuid(), "request_hash" = '' FROM "member" m WHERE m."id" = c."member_id";--> statement-breakpoint
ALTER TABLE "contact" ALTER COLUMN "committee_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ALTER COLUMN "met_on" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ALTER COLUMN "op_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ALTER COLUMN "request_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_report_id_opinion_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."opinion_report"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_op_id_key" ON "contact" USING btree ("op_id");--> statement-breakpoint
CREATE INDEX "contact_committee_day_idx" ON "contact" USING btree ("committee_id","met_on");--> statement-breakpoint
CREATE INDEX "contact_member_idx" ON "contact" USING btree ("member_id","met_on");--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_kind_check" CHECK ("contact"."kind" in ('visit', 'phone', 'meeting', 'reception', 'other'));