CREATE TABLE "case_metric_state" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"committee_id" uuid NOT NULL,
	"station_id" uuid,
	"member_id" uuid,
	"category_id" uuid,
	"facts" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_cursor" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"xid" "xid8" NOT NULL,
	"change_id" bigint NOT NULL,
	"rebuild_after" jsonb,
	"caught_up_at" timestamp with time zone,
	"rebuilt_at" timestamp with time zone,
	CONSTRAINT "metric_cursor_one_row" CHECK (id = 1)
);
--> statement-breakpoint
CREATE TABLE "metric_day" (
	"grain" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"day" date NOT NULL,
	"category_id" uuid,
	"assigned" integer DEFAULT 0 NOT NULL,
	"accepted_on_time" integer DEFAULT 0 NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"due" integer DEFAULT 0 NOT NULL,
	"resolved_of_due" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"basically_satisfied" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"cases" integer DEFAULT 0 NOT NULL,
	"accept_minutes_hist" integer[],
	"resolve_minutes_hist" integer[],
	CONSTRAINT "metric_day_key" UNIQUE NULLS NOT DISTINCT("grain","scope_id","day","category_id"),
	CONSTRAINT "metric_day_grain_check" CHECK ("metric_day"."grain" in ('committee', 'station', 'member'))
);
--> statement-breakpoint
CREATE TABLE "metric_month" (
	"grain" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"day" date NOT NULL,
	"category_id" uuid,
	"assigned" integer DEFAULT 0 NOT NULL,
	"accepted_on_time" integer DEFAULT 0 NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"due" integer DEFAULT 0 NOT NULL,
	"resolved_of_due" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"basically_satisfied" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"cases" integer DEFAULT 0 NOT NULL,
	"accept_minutes_hist" integer[],
	"resolve_minutes_hist" integer[],
	CONSTRAINT "metric_month_key" UNIQUE NULLS NOT DISTINCT("grain","scope_id","day","category_id"),
	CONSTRAINT "metric_month_grain_check" CHECK ("metric_month"."grain" in ('committee', 'station', 'member'))
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "returned_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "cases_committee_accept_due_idx" ON "cases" USING btree ("committee_id","accept_due_at") WHERE status = 'assigned';--> statement-breakpoint
CREATE INDEX "cases_committee_resolve_due_idx" ON "cases" USING btree ("committee_id","resolve_due_at") WHERE status in ('accepted', 'in_progress', 'reopened');--> statement-breakpoint
-- The 回退率 fact without a timeline scan: the last decline, transfer or escalation of each existing case.
-- Not a version bump, so no case_change rows: the metrics aggregator's first run rebuilds from the cases anyway
-- (it finds no metric_cursor row).
UPDATE "cases" c SET "returned_at" = e.at
FROM (SELECT case_id, max(received_at) AS at FROM "case_event" WHERE type IN ('declined', 'transferred', 'escalated') GROUP BY case_id) e
WHERE e.case_id = c.id;
--> statement-breakpoint
-- Element-wise sum of two minutes histograms (int[] indexed by bucket + 1, any lower bound, null = empty), for
-- the aggregator's upserts (metric_day.x + delta). The result keeps only its non-zero range, lower bound
-- included ('[19:20]={3,1}'), and is null when everything cancelled out, so rows stay a few bytes wide.
CREATE FUNCTION metric_hist_add(a integer[], b integer[]) RETURNS integer[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  lo integer := least(array_lower(a, 1), array_lower(b, 1));
  hi integer := greatest(array_upper(a, 1), array_upper(b, 1));
  lo_nz integer;
  hi_nz integer;
  r integer[];
BEGIN
  IF lo IS NULL THEN
    RETURN NULL;
  END IF;
  FOR i IN lo..hi LOOP
    IF coalesce(a[i], 0) + coalesce(b[i], 0) <> 0 THEN
      lo_nz := coalesce(lo_nz, i);
      hi_nz := i;
    END IF;
  END LOOP;
  IF lo_nz IS NULL THEN
    RETURN NULL;
  END IF;
  r := array_fill(0, ARRAY[hi_nz - lo_nz + 1], ARRAY[lo_nz]);
  FOR i IN lo_nz..hi_nz LOOP
    r[i] := coalesce(a[i], 0) + coalesce(b[i], 0);
  END LOOP;
  RETURN r;
END $$;
