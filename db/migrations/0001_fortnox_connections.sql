CREATE TYPE "public"."fortnox_connection_kind" AS ENUM('user', 'service');--> statement-breakpoint
CREATE TYPE "public"."fortnox_connection_status" AS ENUM('connected', 'needs_reconnect', 'error', 'pending_confirmation');--> statement-breakpoint
CREATE TABLE "fortnox_connect_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "fortnox_connection_kind" DEFAULT 'user' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fortnox_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"status" "fortnox_connection_status" NOT NULL,
	"kind" "fortnox_connection_kind" DEFAULT 'user' NOT NULL,
	"tenant_id" text,
	"company_name" text,
	"org_nr" text,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"token_key_version" integer,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scopes" text[] DEFAULT '{}' NOT NULL,
	"warnings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"connected_by" uuid,
	"connected_at" timestamp with time zone,
	"last_refreshed_at" timestamp with time zone,
	"last_error_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD CONSTRAINT "fortnox_connect_attempts_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD CONSTRAINT "fortnox_connect_attempts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD CONSTRAINT "fortnox_connect_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connections" ADD CONSTRAINT "fortnox_connections_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connections" ADD CONSTRAINT "fortnox_connections_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connections" ADD CONSTRAINT "fortnox_connections_connected_by_users_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fortnox_connect_attempts_token_key" ON "fortnox_connect_attempts" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "fortnox_connect_attempts_client" ON "fortnox_connect_attempts" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fortnox_connections_client_key" ON "fortnox_connections" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "fortnox_connections_firm" ON "fortnox_connections" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "fortnox_connections_refresh_due" ON "fortnox_connections" USING btree ("status","refresh_token_expires_at");