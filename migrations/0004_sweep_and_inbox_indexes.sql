DROP INDEX "cases_accept_due_idx";--> statement-breakpoint
DROP INDEX "cases_resolve_due_idx";--> statement-breakpoint
CREATE INDEX "cases_member_created_idx" ON "cases" USING btree ("member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "cases_accept_due_idx" ON "cases" USING btree ("accept_due_at") WHERE status = 'assigned' and member_id is not null;--> statement-breakpoint
CREATE INDEX "cases_resolve_due_idx" ON "cases" USING btree ("resolve_due_at") WHERE status in ('accepted', 'in_progress', 'reopened') and overdue_at is null;