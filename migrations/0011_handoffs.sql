CREATE TABLE "handoff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"question" text NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"op_id" uuid NOT NULL,
	"created_by_user_id" uuid,
	"created_by_member_id" uuid,
	"sent_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"answer" text,
	"return_reason" text,
	"suggested_department" text,
	"responder_name" text,
	"secret_hash" text NOT NULL,
	"secret_enc" text NOT NULL,
	"link_revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handoff_status_check" CHECK ("handoff"."status" in ('sent', 'acknowledged', 'answered', 'returned', 'expired', 'withdrawn'))
);
--> statement-breakpoint
ALTER TABLE "case_event" DROP CONSTRAINT "case_event_type_check";--> statement-breakpoint
ALTER TABLE "notification" DROP CONSTRAINT "notification_template_check";--> statement-breakpoint
ALTER TABLE "notification" DROP CONSTRAINT "notification_recipient_check";--> statement-breakpoint
DROP INDEX "cases_resolve_due_idx";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resolve_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_created_by_user_id_app_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_created_by_member_id_member_id_fk" FOREIGN KEY ("created_by_member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "handoff_secret_hash_key" ON "handoff" USING btree ("secret_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "handoff_op_id_key" ON "handoff" USING btree ("op_id");--> statement-breakpoint
CREATE INDEX "handoff_case_idx" ON "handoff" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "handoff_committee_sent_idx" ON "handoff" USING btree ("committee_id","sent_at");--> statement-breakpoint
CREATE INDEX "handoff_department_sent_idx" ON "handoff" USING btree ("department_id","sent_at");--> statement-breakpoint
CREATE INDEX "handoff_member_sent_idx" ON "handoff" USING btree ("created_by_member_id","sent_at") WHERE created_by_member_id is not null;--> statement-breakpoint
CREATE INDEX "handoff_open_due_idx" ON "handoff" USING btree ("due_at") WHERE status in ('sent', 'acknowledged') and overdue_at is null;--> statement-breakpoint
CREATE INDEX "cases_resolve_due_idx" ON "cases" USING btree ("resolve_due_at") WHERE status in ('accepted', 'in_progress', 'reopened') and overdue_at is null and resolve_paused_at is null;--> statement-breakpoint
ALTER TABLE "case_event" ADD CONSTRAINT "case_event_type_check" CHECK ("case_event"."type" in ('submitted', 'assigned', 'accepted', 'declined', 'transferred', 'note', 'contact_logged', 'extension_requested', 'extension_approved', 'extension_denied', 'escalated', 'chased', 'overdue', 'resolved', 'rated', 'reopened', 'merged', 'marked_invalid', 'closed', 'resident_added_info', 'followed_up', 'handed_off', 'handoff_acknowledged', 'handoff_answered', 'handoff_returned', 'handoff_withdrawn', 'handoff_expired', 'handoff_overdue'));--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_template_check" CHECK ("notification"."template_key" in ('member.assigned', 'member.accept_reminder', 'member.resolve_reminder', 'member.overdue', 'member.chased', 'member.reopened', 'member.digest', 'member.handoff_answered', 'member.handoff_returned', 'department.handoff', 'department.reminder', 'department.overdue', 'station.queued', 'station.escalated', 'station.chased', 'resident.received', 'resident.accepted', 'resident.resolved', 'resident.merged', 'resident.invalid', 'committee.digest', 'case.event', 'test'));--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_recipient_check" CHECK ("notification"."recipient_kind" in ('member', 'station', 'resident', 'committee', 'department'));