CREATE TABLE "topic_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"topic_slug" text NOT NULL,
	"status" text NOT NULL,
	"conversation_id" uuid,
	"subscribed_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "topic_subscriptions" ADD CONSTRAINT "topic_subscriptions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "topic_subscriptions_contact_topic_key" ON "topic_subscriptions" USING btree ("workspace_id","contact_id","topic_slug");--> statement-breakpoint
CREATE INDEX "topic_subscriptions_topic_idx" ON "topic_subscriptions" USING btree ("workspace_id","topic_slug","status");--> statement-breakpoint
-- A draft flow version (tried in the simulator, never started by triggers) may change until it is published; a
-- published version stays immutable and cannot become a draft again.
CREATE OR REPLACE FUNCTION parley_refuse_flow_version_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND (NEW.definition IS DISTINCT FROM OLD.definition OR NEW.hash IS DISTINCT FROM OLD.hash OR NEW.status IS DISTINCT FROM OLD.status) THEN
    RAISE EXCEPTION 'flow version % is published and cannot be changed; publish a new version', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
