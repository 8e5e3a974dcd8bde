CREATE TYPE "public"."job_kind" AS ENUM('import', 'export');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('queued', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."import_source" AS ENUM('fortnox', 'sie');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'published', 'replaced', 'failed');--> statement-breakpoint
CREATE TYPE "public"."ledger_side" AS ENUM('customer', 'supplier');--> statement-breakpoint
CREATE TYPE "public"."fortnox_connection_kind" AS ENUM('user', 'service');--> statement-breakpoint
CREATE TYPE "public"."fortnox_connection_status" AS ENUM('connected', 'needs_reconnect', 'error', 'pending_confirmation');--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"project_id" uuid,
	"kind" "job_kind" NOT NULL,
	"state" "job_state" DEFAULT 'queued' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress" jsonb,
	"result" jsonb,
	"error_key" text,
	"error_params" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_by" text,
	"heartbeat_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "blob_chunks" (
	"blob_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "blob_chunks_blob_id_seq_pk" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	"sha256" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"job_id" uuid,
	"source" "import_source" NOT NULL,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"diff" jsonb,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_key" text
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"import_id" uuid NOT NULL,
	"number" text NOT NULL,
	"name" text,
	"type" text,
	"sru" text,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "ledger_accounts_import_id_number_pk" PRIMARY KEY("import_id","number")
);
--> statement-breakpoint
CREATE TABLE "ledger_balances" (
	"import_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"year_index" smallint NOT NULL,
	"account" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	"quantity" double precision,
	CONSTRAINT "ledger_balances_import_id_kind_year_index_account_pk" PRIMARY KEY("import_id","kind","year_index","account")
);
--> statement-breakpoint
CREATE TABLE "ledger_dimensions" (
	"import_id" uuid NOT NULL,
	"dim" text NOT NULL,
	"object" text,
	"name" text NOT NULL,
	"parent" text
);
--> statement-breakpoint
CREATE TABLE "ledger_object_balances" (
	"import_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"year_index" smallint NOT NULL,
	"period" text,
	"account" text NOT NULL,
	"objects" jsonb,
	"amount_ore" bigint NOT NULL,
	"quantity" double precision
);
--> statement-breakpoint
CREATE TABLE "ledger_open_items" (
	"import_id" uuid NOT NULL,
	"side" "ledger_side" NOT NULL,
	"counterparty_number" text NOT NULL,
	"counterparty_name" text NOT NULL,
	"invoice_number" text NOT NULL,
	"external_invoice_number" text,
	"invoice_date" date NOT NULL,
	"due_date" date,
	"currency" text NOT NULL,
	"currency_rate" double precision NOT NULL,
	"currency_unit" integer NOT NULL,
	"total_ore" bigint NOT NULL,
	"open_ore" bigint NOT NULL,
	"open_currency" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_rows" (
	"import_id" uuid NOT NULL,
	"voucher_id" integer NOT NULL,
	"seq" smallint NOT NULL,
	"kind" smallint NOT NULL,
	"account" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	"date" date,
	"text" text,
	"quantity" double precision,
	"objects" jsonb,
	"sign" text
);
--> statement-breakpoint
CREATE TABLE "ledger_vouchers" (
	"import_id" uuid NOT NULL,
	"id" integer NOT NULL,
	"series" text NOT NULL,
	"number" text NOT NULL,
	"date" date,
	"text" text NOT NULL,
	"reg_date" date,
	"sign" text,
	"digest" text NOT NULL,
	"change" smallint,
	CONSTRAINT "ledger_vouchers_import_id_id_pk" PRIMARY KEY("import_id","id")
);
--> statement-breakpoint
CREATE TABLE "ledger_years" (
	"import_id" uuid NOT NULL,
	"year_index" smallint NOT NULL,
	"start" date,
	"end" date,
	CONSTRAINT "ledger_years_import_id_year_index_pk" PRIMARY KEY("import_id","year_index")
);
--> statement-breakpoint
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
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blob_chunks" ADD CONSTRAINT "blob_chunks_blob_id_blobs_id_fk" FOREIGN KEY ("blob_id") REFERENCES "public"."blobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blobs" ADD CONSTRAINT "blobs_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_balances" ADD CONSTRAINT "ledger_balances_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_dimensions" ADD CONSTRAINT "ledger_dimensions_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_object_balances" ADD CONSTRAINT "ledger_object_balances_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_open_items" ADD CONSTRAINT "ledger_open_items_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_years" ADD CONSTRAINT "ledger_years_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD CONSTRAINT "fortnox_connect_attempts_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD CONSTRAINT "fortnox_connect_attempts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connect_attempts" ADD CONSTRAINT "fortnox_connect_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connections" ADD CONSTRAINT "fortnox_connections_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connections" ADD CONSTRAINT "fortnox_connections_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fortnox_connections" ADD CONSTRAINT "fortnox_connections_connected_by_users_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_one_active_per_project" ON "jobs" USING btree ("project_id") WHERE state in ('queued', 'running') and project_id is not null;--> statement-breakpoint
CREATE INDEX "jobs_state_created" ON "jobs" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "jobs_project_created" ON "jobs" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_one_current_per_project" ON "imports" USING btree ("project_id") WHERE is_current;--> statement-breakpoint
CREATE INDEX "imports_project_started" ON "imports" USING btree ("project_id","started_at");--> statement-breakpoint
CREATE INDEX "ledger_dimensions_import" ON "ledger_dimensions" USING btree ("import_id","dim");--> statement-breakpoint
CREATE INDEX "ledger_object_balances_import" ON "ledger_object_balances" USING btree ("import_id","account");--> statement-breakpoint
CREATE INDEX "ledger_open_items_import" ON "ledger_open_items" USING btree ("import_id","side");--> statement-breakpoint
CREATE INDEX "ledger_vouchers_number" ON "ledger_vouchers" USING btree ("import_id","series","number");--> statement-breakpoint
CREATE UNIQUE INDEX "fortnox_connect_attempts_token_key" ON "fortnox_connect_attempts" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "fortnox_connect_attempts_client" ON "fortnox_connect_attempts" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fortnox_connections_client_key" ON "fortnox_connections" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "fortnox_connections_firm" ON "fortnox_connections" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "fortnox_connections_refresh_due" ON "fortnox_connections" USING btree ("status","refresh_token_expires_at");