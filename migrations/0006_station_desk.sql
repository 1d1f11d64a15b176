ALTER TABLE "case_event" DROP CONSTRAINT "case_event_type_check";--> statement-breakpoint
ALTER TABLE "case_follower" ADD COLUMN "resident_phone_hash" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resident_phone_hash" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "rating_source" text;--> statement-breakpoint
CREATE INDEX "case_follower_phone_hash_idx" ON "case_follower" USING btree ("resident_phone_hash") WHERE resident_phone_hash is not null;--> statement-breakpoint
CREATE INDEX "case_follower_phone_unhashed_idx" ON "case_follower" USING btree ("id") WHERE resident_phone_enc is not null and resident_phone_hash is null;--> statement-breakpoint
CREATE INDEX "cases_phone_hash_idx" ON "cases" USING btree ("resident_phone_hash") WHERE resident_phone_hash is not null;--> statement-breakpoint
CREATE INDEX "cases_phone_unhashed_idx" ON "cases" USING btree ("id") WHERE resident_phone_enc is not null and resident_phone_hash is null;--> statement-breakpoint
CREATE INDEX "cases_merged_into_idx" ON "cases" USING btree ("merged_into") WHERE merged_into is not null;--> statement-breakpoint
ALTER TABLE "case_event" ADD CONSTRAINT "case_event_type_check" CHECK ("case_event"."type" in ('submitted', 'assigned', 'accepted', 'declined', 'transferred', 'note', 'contact_logged', 'extension_requested', 'extension_approved', 'extension_denied', 'escalated', 'chased', 'overdue', 'resolved', 'rated', 'reopened', 'merged', 'marked_invalid', 'closed', 'resident_added_info', 'followed_up'));--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_rating_source_check" CHECK ("cases"."rating_source" in ('web', 'phone'));--> statement-breakpoint
-- Every rating so far came from the resident's tracking page (回访 by phone is new with this migration).
UPDATE "cases" SET "rating_source" = 'web' WHERE "rating" IS NOT NULL AND "rating_source" IS NULL;
