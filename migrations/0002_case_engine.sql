CREATE TABLE "case_change" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_change_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"case_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"committee_id" uuid NOT NULL,
	"station_id" uuid,
	"member_id" uuid,
	"prev_station_id" uuid,
	"prev_member_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_op" (
	"op_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "accept_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resolve_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "extension_requested_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "case_change" ADD CONSTRAINT "case_change_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_op" ADD CONSTRAINT "case_op_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_op" ADD CONSTRAINT "case_op_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_change_xid_idx" ON "case_change" USING btree ("xid","id");--> statement-breakpoint
CREATE INDEX "case_change_member_idx" ON "case_change" USING btree ("member_id","xid","id");--> statement-breakpoint
CREATE INDEX "case_change_prev_member_idx" ON "case_change" USING btree ("prev_member_id","xid","id");--> statement-breakpoint
CREATE INDEX "case_change_station_idx" ON "case_change" USING btree ("station_id","xid","id");--> statement-breakpoint
CREATE INDEX "case_change_committee_idx" ON "case_change" USING btree ("committee_id","xid","id");--> statement-breakpoint
CREATE INDEX "cases_accept_due_idx" ON "cases" USING btree ("accept_due_at") WHERE status = 'assigned';--> statement-breakpoint
CREATE INDEX "cases_resolve_due_idx" ON "cases" USING btree ("resolve_due_at") WHERE status in ('accepted', 'in_progress', 'reopened');--> statement-breakpoint
CREATE INDEX "cases_resolved_at_idx" ON "cases" USING btree ("resolved_at") WHERE status = 'resolved';--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_key" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_unsealed_idx" ON "audit_log" USING btree ("xid","id") WHERE seq is null;--> statement-breakpoint
-- Every insert of a case and every version bump writes one change row and notifies listeners at commit
-- (LISTEN case_change). A trigger, so no code path (API, jobs, seed, a manual fix) can skip the sync feed.
CREATE FUNCTION case_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
    RETURN NEW;
  END IF;
  INSERT INTO case_change (case_id, version, status, committee_id, station_id, member_id, prev_station_id, prev_member_id)
  VALUES (NEW.id, NEW.version, NEW.status, NEW.committee_id, NEW.station_id, NEW.member_id,
    CASE WHEN TG_OP = 'UPDATE' THEN OLD.station_id END, CASE WHEN TG_OP = 'UPDATE' THEN OLD.member_id END);
  PERFORM pg_notify('case_change', json_build_object(
    'caseId', NEW.id, 'version', NEW.version, 'status', NEW.status, 'committeeId', NEW.committee_id,
    'stationId', NEW.station_id, 'memberId', NEW.member_id,
    'prevStationId', CASE WHEN TG_OP = 'UPDATE' THEN OLD.station_id END,
    'prevMemberId', CASE WHEN TG_OP = 'UPDATE' THEN OLD.member_id END)::text);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER cases_change_log AFTER INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION case_change_log();
--> statement-breakpoint
-- The audit log is append-only: no delete, and the only update allowed is sealing a row once (seq, prev_hash,
-- hash from null to a value) with nothing else touched.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL
    OR (NEW.id, NEW.at, NEW.actor_user_id, NEW.actor_ip, NEW.action, NEW.target_kind, NEW.target_id, NEW.detail, NEW.xid)
      IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor_user_id, OLD.actor_ip, OLD.action, OLD.target_kind, OLD.target_id, OLD.detail, OLD.xid) THEN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
