CREATE TABLE "unanswered_questions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"text" text NOT NULL,
	"language" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "flow_state" jsonb;--> statement-breakpoint
CREATE INDEX "unanswered_questions_workspace_idx" ON "unanswered_questions" USING btree ("workspace_id","created_at");