CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"on_behalf_of" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"object_version" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"source_ip" text,
	"source_user_agent" text,
	"source_channel" text,
	"correlation_id" text,
	"outcome" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_workspace_seq_key" ON "audit_log" USING btree ("workspace_id","seq");--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" USING btree ("workspace_id","object_type","object_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("workspace_id","at");--> statement-breakpoint
-- AUD-03: the audit trail is append-only, enforced by the database itself. Row triggers refuse UPDATE and DELETE, a
-- statement trigger refuses TRUNCATE (row triggers do not fire for it). A superuser can still disable triggers; the
-- hash chain (`parley audit verify`) is what detects that (AUD-04).
CREATE OR REPLACE FUNCTION parley_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION parley_refuse_audit_change();--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION parley_refuse_audit_change();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION parley_refuse_audit_change();
