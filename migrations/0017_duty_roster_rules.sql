CREATE TABLE "duty_exception" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"station_id" uuid NOT NULL,
	"rule_id" uuid,
	"day" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_rule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"station_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"weekdays" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"ordinals" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"dates" date[] DEFAULT '{}'::date[] NOT NULL,
	"starts_at" time NOT NULL,
	"ends_at" time NOT NULL,
	"valid_from" date,
	"valid_until" date,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_rule_kind_check" CHECK ("duty_rule"."kind" in ('weekly', 'monthly', 'dates')),
	CONSTRAINT "duty_rule_hours_check" CHECK ("duty_rule"."ends_at" > "duty_rule"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "duty_rule_member" (
	"rule_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "duty_rule_member_rule_id_member_id_pk" PRIMARY KEY("rule_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "duty_exception" ADD CONSTRAINT "duty_exception_station_id_station_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."station"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_exception" ADD CONSTRAINT "duty_exception_rule_id_duty_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."duty_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_rule" ADD CONSTRAINT "duty_rule_station_id_station_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."station"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_rule_member" ADD CONSTRAINT "duty_rule_member_rule_id_duty_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."duty_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_rule_member" ADD CONSTRAINT "duty_rule_member_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_exception_station_day_idx" ON "duty_exception" USING btree ("station_id","day");--> statement-breakpoint
CREATE INDEX "duty_rule_station_idx" ON "duty_rule" USING btree ("station_id");