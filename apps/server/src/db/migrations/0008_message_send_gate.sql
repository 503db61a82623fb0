ALTER TABLE "messages" ADD COLUMN "purpose" text DEFAULT 'service' NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "content_refs" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "gate_reason" text;