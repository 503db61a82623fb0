ALTER TABLE "messages" ADD COLUMN "author_kind" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "author_user_id" uuid;