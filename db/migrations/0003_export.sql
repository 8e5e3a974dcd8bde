CREATE TYPE "public"."export_attachment_state" AS ENUM('pending', 'uploading', 'uploaded', 'connecting', 'connected', 'failed');--> statement-breakpoint
CREATE TYPE "public"."export_item_state" AS ENUM('queued', 'sending', 'exported', 'failed');--> statement-breakpoint
CREATE TABLE "export_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"attachment_id" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"file_name" text NOT NULL,
	"state" "export_attachment_state" DEFAULT 'pending' NOT NULL,
	"fortnox_file_id" text,
	"upload_attempts" integer DEFAULT 0 NOT NULL,
	"connect_attempts" integer DEFAULT 0 NOT NULL,
	"lookups" integer DEFAULT 0 NOT NULL,
	"stray_uploads" integer DEFAULT 0 NOT NULL,
	"error_key" text,
	"error_params" jsonb,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uploaded_at" timestamp with time zone,
	"connected_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "export_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"voucher_id" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"marker" text NOT NULL,
	"series" text NOT NULL,
	"state" "export_item_state" DEFAULT 'queued' NOT NULL,
	"financial_year_id" integer,
	"transaction_date" date,
	"sent_body" jsonb,
	"fortnox_series" text,
	"fortnox_number" integer,
	"fortnox_year" integer,
	"error_key" text,
	"error_params" jsonb,
	"send_attempts" integer DEFAULT 0 NOT NULL,
	"lookups" integer DEFAULT 0 NOT NULL,
	"duplicates_found" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"job_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sending_at" timestamp with time zone,
	"exported_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"reported_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "export_attachments" ADD CONSTRAINT "export_attachments_item_id_export_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."export_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "export_attachments_item_attachment" ON "export_attachments" USING btree ("item_id","attachment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "export_items_one_live" ON "export_items" USING btree ("project_id","voucher_id") WHERE state <> 'failed';--> statement-breakpoint
CREATE UNIQUE INDEX "export_items_marker" ON "export_items" USING btree ("marker");--> statement-breakpoint
CREATE INDEX "export_items_project_state" ON "export_items" USING btree ("project_id","state","seq");