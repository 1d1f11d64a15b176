CREATE TABLE "activity_photo" (
	"activity_id" uuid NOT NULL,
	"attachment_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "activity_photo_activity_id_attachment_id_pk" PRIMARY KEY("activity_id","attachment_id")
);
--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "place" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "source" text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "status" text DEFAULT 'confirmed' NOT NULL;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "reject_reason" text;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "op_id" uuid;--> statement-breakpoint
ALTER TABLE "activity" ADD COLUMN "op_hash" text;--> statement-breakpoint
ALTER TABLE "activity_photo" ADD CONSTRAINT "activity_photo_activity_id_activity_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activity"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_photo" ADD CONSTRAINT "activity_photo_attachment_id_attachment_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_photo_attachment_idx" ON "activity_photo" USING btree ("attachment_id");--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_reviewed_by_app_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_op_id_idx" ON "activity" USING btree ("op_id");--> statement-breakpoint
CREATE INDEX "activity_pending_idx" ON "activity" USING btree ("committee_id","status");--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_source_check" CHECK ("activity"."source" in ('member', 'staff'));--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_status_check" CHECK ("activity"."status" in ('pending', 'confirmed', 'rejected'));