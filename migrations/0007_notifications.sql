CREATE TABLE "notification" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"committee_id" uuid NOT NULL,
	"case_id" uuid,
	"template_key" text NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient_id" uuid NOT NULL,
	"follower_id" uuid,
	"channel" text NOT NULL,
	"channel_id" uuid,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"status_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"provider" text,
	"segments" integer,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_template_check" CHECK ("notification"."template_key" in ('member.assigned', 'member.accept_reminder', 'member.resolve_reminder', 'member.overdue', 'member.chased', 'member.reopened', 'member.digest', 'station.queued', 'station.escalated', 'station.chased', 'resident.received', 'resident.accepted', 'resident.resolved', 'resident.merged', 'resident.invalid', 'committee.digest', 'case.event', 'test')),
	CONSTRAINT "notification_recipient_check" CHECK ("notification"."recipient_kind" in ('member', 'station', 'resident', 'committee')),
	CONSTRAINT "notification_channel_check" CHECK ("notification"."channel" in ('sms', 'push', 'robot', 'webhook', 'log')),
	CONSTRAINT "notification_status_check" CHECK ("notification"."status" in ('pending', 'sending', 'sent', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "notification_attempt" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"ok" boolean NOT NULL,
	"http_status" integer,
	"provider_code" text,
	"provider_message" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_channel" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"committee_id" uuid NOT NULL,
	"station_id" uuid,
	"provider" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"settings" jsonb NOT NULL,
	"credentials_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_channel_provider_check" CHECK ("notification_channel"."provider" in ('aliyun_sms', 'tencent_sms', 'wecom_robot', 'dingtalk_robot', 'webhook'))
);
--> statement-breakpoint
CREATE TABLE "sms_opt_out" (
	"phone_hash" text PRIMARY KEY NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "notify_sms" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "notify_push" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "case_follower" ADD COLUMN "tracking_secret_enc" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "tracking_secret_enc" text;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_follower_id_case_follower_id_fk" FOREIGN KEY ("follower_id") REFERENCES "public"."case_follower"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_channel_id_notification_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channel"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_attempt" ADD CONSTRAINT "notification_attempt_notification_id_notification_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notification"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channel" ADD CONSTRAINT "notification_channel_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channel" ADD CONSTRAINT "notification_channel_station_id_station_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."station"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_idempotency_key" ON "notification" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "notification_due_idx" ON "notification" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "notification_leased_idx" ON "notification" USING btree ("lease_until") WHERE status = 'sending';--> statement-breakpoint
CREATE INDEX "notification_case_idx" ON "notification" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "notification_committee_status_idx" ON "notification" USING btree ("committee_id","status","created_at");--> statement-breakpoint
CREATE INDEX "notification_attempt_notification_idx" ON "notification_attempt" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "notification_channel_committee_idx" ON "notification_channel" USING btree ("committee_id");