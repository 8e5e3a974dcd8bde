CREATE TYPE "public"."schedule_status" AS ENUM('not_started', 'in_progress', 'reconciled');--> statement-breakpoint
CREATE TABLE "adjustment_counters" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "adjustment_rows" (
	"adjustment_id" uuid NOT NULL,
	"seq" smallint NOT NULL,
	"account" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	"text" text,
	CONSTRAINT "adjustment_rows_adjustment_id_seq_pk" PRIMARY KEY("adjustment_id","seq")
);
--> statement-breakpoint
CREATE TABLE "adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"date" date NOT NULL,
	"text" text NOT NULL,
	"kind" text DEFAULT 'manual' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"exported_at" timestamp with time zone,
	"fortnox_ref" jsonb,
	"export_locked_at" timestamp with time zone,
	"export_locked_by" text
);
--> statement-breakpoint
CREATE TABLE "attachment_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"attachment_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"account" text,
	"adjustment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_links_one_target" CHECK ((account is null) <> (adjustment_id is null))
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"blob_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"kind" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_account_totals" (
	"import_id" uuid NOT NULL,
	"account" text NOT NULL,
	"ib_ore" bigint NOT NULL,
	"change_ore" bigint NOT NULL,
	"row_count" integer NOT NULL,
	CONSTRAINT "ledger_account_totals_import_id_account_pk" PRIMARY KEY("import_id","account")
);
--> statement-breakpoint
CREATE TABLE "project_accounts" (
	"project_id" uuid NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_accounts_project_id_number_pk" PRIMARY KEY("project_id","number")
);
--> statement-breakpoint
CREATE TABLE "schedule_accounts" (
	"project_id" uuid NOT NULL,
	"account" text NOT NULL,
	"schedule_id" uuid NOT NULL,
	"signed_off_ore" bigint,
	"signed_off_adjusted_ore" bigint,
	CONSTRAINT "schedule_accounts_project_id_account_pk" PRIMARY KEY("project_id","account")
);
--> statement-breakpoint
CREATE TABLE "schedule_rows" (
	"schedule_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"text" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	CONSTRAINT "schedule_rows_schedule_id_seq_pk" PRIMARY KEY("schedule_id","seq")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"status" "schedule_status" DEFAULT 'not_started' NOT NULL,
	"ledger_side" "ledger_side",
	"signed_off_by" uuid,
	"signed_off_by_name" text,
	"signed_off_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adjustment_counters" ADD CONSTRAINT "adjustment_counters_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustment_rows" ADD CONSTRAINT "adjustment_rows_adjustment_id_adjustments_id_fk" FOREIGN KEY ("adjustment_id") REFERENCES "public"."adjustments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_links" ADD CONSTRAINT "attachment_links_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_links" ADD CONSTRAINT "attachment_links_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_links" ADD CONSTRAINT "attachment_links_adjustment_id_adjustments_id_fk" FOREIGN KEY ("adjustment_id") REFERENCES "public"."adjustments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_blob_id_blobs_id_fk" FOREIGN KEY ("blob_id") REFERENCES "public"."blobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_account_totals" ADD CONSTRAINT "ledger_account_totals_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_accounts" ADD CONSTRAINT "project_accounts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_accounts" ADD CONSTRAINT "project_accounts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_accounts" ADD CONSTRAINT "schedule_accounts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_accounts" ADD CONSTRAINT "schedule_accounts_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_rows" ADD CONSTRAINT "schedule_rows_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_signed_off_by_users_id_fk" FOREIGN KEY ("signed_off_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "adjustments_project_number" ON "adjustments" USING btree ("project_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "attachment_links_account" ON "attachment_links" USING btree ("attachment_id","account") WHERE account is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "attachment_links_adjustment" ON "attachment_links" USING btree ("attachment_id","adjustment_id") WHERE adjustment_id is not null;--> statement-breakpoint
CREATE INDEX "attachment_links_project_account" ON "attachment_links" USING btree ("project_id","account");--> statement-breakpoint
CREATE INDEX "attachment_links_adjustment_id" ON "attachment_links" USING btree ("adjustment_id");--> statement-breakpoint
CREATE INDEX "attachments_project" ON "attachments" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "schedule_accounts_schedule" ON "schedule_accounts" USING btree ("schedule_id");--> statement-breakpoint
CREATE INDEX "schedules_project" ON "schedules" USING btree ("project_id");