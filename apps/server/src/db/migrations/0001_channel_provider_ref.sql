ALTER TABLE "channels" ADD COLUMN "provider_ref" text;--> statement-breakpoint
CREATE INDEX "channels_provider_ref_idx" ON "channels" USING btree ("kind","provider_ref");--> statement-breakpoint
-- Channels made before this migration: their sender id is in settings (WhatsApp: phoneNumberId).
UPDATE "channels" SET "provider_ref" = "settings"->>'phoneNumberId' WHERE "kind" = 'whatsapp' AND "provider_ref" IS NULL;
