ALTER TABLE "privacy_requests" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD COLUMN "verified_by" text;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD COLUMN "verification_method" text;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD COLUMN "extension_months" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD COLUMN "extension_reason" text;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD COLUMN "extension_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD COLUMN "refusal_reason" text;--> statement-breakpoint
-- Art. 12(3): the one-month deadline may be extended by two further months at most.
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_extension_check" CHECK ("extension_months" BETWEEN 0 AND 2);
