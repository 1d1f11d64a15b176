CREATE TABLE "department" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"committee_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"contact_phone_enc" text,
	"contact_phone_masked" text,
	"contact_phone_hash" text,
	"robot_channel_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "department_kind_check" CHECK ("department"."kind" in ('bureau', 'street_office', 'public_service', 'other'))
);
--> statement-breakpoint
ALTER TABLE "department" ADD CONSTRAINT "department_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department" ADD CONSTRAINT "department_robot_channel_id_notification_channel_id_fk" FOREIGN KEY ("robot_channel_id") REFERENCES "public"."notification_channel"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "department_committee_name_key" ON "department" USING btree ("committee_id","name");--> statement-breakpoint
CREATE INDEX "department_robot_channel_idx" ON "department" USING btree ("robot_channel_id");