CREATE TABLE "tax_choices" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"firm_id" uuid NOT NULL,
	"allocation_ore" bigint,
	"reversals" jsonb DEFAULT '"required"'::jsonb NOT NULL,
	"ink2s_edits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"previous_loss_ore" bigint,
	"sru_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fund_years" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"slr_bp" integer,
	"sender" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tax_choices" ADD CONSTRAINT "tax_choices_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_choices" ADD CONSTRAINT "tax_choices_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_choices" ADD CONSTRAINT "tax_choices_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;