CREATE TABLE "audit_log_archive" (
	"id" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_ip" text,
	"action" text NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" text NOT NULL,
	"detail" jsonb NOT NULL,
	"xid" "xid8" NOT NULL,
	"seq" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "personal_data_erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contact" ADD COLUMN "personal_data_erased_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_archive_seq_key" ON "audit_log_archive" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_archive_target_idx" ON "audit_log_archive" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE INDEX "cases_retention_idx" ON "cases" USING btree ("committee_id","closed_at") WHERE personal_data_erased_at is null and status in ('closed', 'invalid', 'merged');--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers). Issue 19: audit rows older than the kept age move to
-- audit_log_archive. A live row may now be deleted, but only once its exact copy (id, seq, hash) is archived:
-- archived, never deleted. Updates stay as before (sealing once, nothing else).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.seq IS NOT NULL AND EXISTS (
      SELECT 1 FROM audit_log_archive a WHERE a.id = OLD.id AND a.seq = OLD.seq AND a.hash = OLD.hash
    ) THEN
      RETURN OLD;
    END IF;
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
-- Hand-written: the archive itself is append-only, no update and no delete.
CREATE FUNCTION audit_log_archive_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log_archive is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_archive_append_only BEFORE UPDATE OR DELETE ON audit_log_archive FOR EACH ROW EXECUTE FUNCTION audit_log_archive_append_only();
