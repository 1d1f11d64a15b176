CREATE TABLE "open311_client" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"committee_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"station_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "public_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"follower_id" uuid,
	"secret_hash" text NOT NULL,
	"secret_enc" text NOT NULL,
	"reason" text DEFAULT 'recovery' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "attachment" ADD COLUMN "public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "attachment" ADD COLUMN "alt_text" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "location_accuracy" double precision;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "publishable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "public_text" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "open311_client_id" uuid;--> statement-breakpoint
ALTER TABLE "open311_client" ADD CONSTRAINT "open311_client_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_client" ADD CONSTRAINT "open311_client_station_id_station_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."station"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_client" ADD CONSTRAINT "open311_client_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_link" ADD CONSTRAINT "tracking_link_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_link" ADD CONSTRAINT "tracking_link_follower_id_case_follower_id_fk" FOREIGN KEY ("follower_id") REFERENCES "public"."case_follower"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "open311_client_key_hash_key" ON "open311_client" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "open311_client_committee_idx" ON "open311_client" USING btree ("committee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_link_secret_hash_key" ON "tracking_link" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "tracking_link_case_idx" ON "tracking_link" USING btree ("case_id");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_open311_client_id_open311_client_id_fk" FOREIGN KEY ("open311_client_id") REFERENCES "public"."open311_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_published_idx" ON "cases" USING btree ("committee_id","resolved_at") WHERE publishable;