ALTER TABLE "fortnox_connect_attempts" ADD COLUMN "scopes" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD COLUMN "return_to" text;