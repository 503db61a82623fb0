CREATE TABLE "consent_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"channel_id" uuid,
	"decision" text NOT NULL,
	"text_slug" text,
	"text_version" integer,
	"text_language" text,
	"text_hash" text,
	"method" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consent_texts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"version" integer NOT NULL,
	"language" text NOT NULL,
	"purposes" jsonb NOT NULL,
	"text" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "consent_events_contact_idx" ON "consent_events" USING btree ("workspace_id","contact_id","purpose","id");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_texts_version_key" ON "consent_texts" USING btree ("workspace_id","slug","version","language");--> statement-breakpoint
-- GDPR-05: the ledger and the wording are append-only; a correction is a new event or a new version.
CREATE FUNCTION parley_refuse_consent_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: record a new event or version instead', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$;
--> statement-breakpoint
CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events FOR EACH ROW EXECUTE FUNCTION parley_refuse_consent_change();
--> statement-breakpoint
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events FOR EACH STATEMENT EXECUTE FUNCTION parley_refuse_consent_change();
--> statement-breakpoint
CREATE TRIGGER consent_texts_immutable BEFORE UPDATE OR DELETE ON consent_texts FOR EACH ROW EXECUTE FUNCTION parley_refuse_consent_change();
