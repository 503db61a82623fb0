ALTER TABLE "unanswered_questions" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "unanswered_questions" ADD COLUMN "picked_item" text;--> statement-breakpoint
ALTER TABLE "unanswered_questions" ADD COLUMN "outcome_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unanswered_questions" ADD CONSTRAINT "unanswered_questions_outcome_check" CHECK ("outcome" is null or ("outcome" = 'picked' and "picked_item" is not null) or ("outcome" = 'escalated' and "picked_item" is null));
