-- Vouchers and their rows are partitioned by import (see db/schema/ledger.ts): an import loads into tables of its
-- own, builds the keys and indexes once, and attaches them; replacing an import drops tables. drizzle-kit cannot
-- express this, hence by hand.
DROP TABLE "ledger_rows";
--> statement-breakpoint
DROP TABLE "ledger_vouchers";
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
) PARTITION BY LIST ("import_id");
--> statement-breakpoint
CREATE INDEX "ledger_vouchers_number" ON "ledger_vouchers" ("import_id", "series", "number");
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
) PARTITION BY LIST ("import_id");
--> statement-breakpoint
-- Account analysis pages one account's rows by keyset on (date, voucher, row), a voucher without a date first: the
-- index holds exactly that order, so any page costs the same.
CREATE INDEX "ledger_rows_account" ON "ledger_rows" ("account", (coalesce("date", '0001-01-01'::date)), "voucher_id", "seq");
--> statement-breakpoint
CREATE INDEX "ledger_rows_voucher" ON "ledger_rows" ("voucher_id");
--> statement-breakpoint
-- ledger_rows and ledger_vouchers carry no foreign key (checking it row by row halved the bulk insert); this trigger
-- drops their partitions with their import, whichever way the import goes (project or firm deleted, import discarded).
CREATE FUNCTION ledger_delete_import_rows() RETURNS trigger AS $$
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS %I', 'ledger_rows_' || replace(OLD.id::text, '-', ''));
  EXECUTE format('DROP TABLE IF EXISTS %I', 'ledger_vouchers_' || replace(OLD.id::text, '-', ''));
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER imports_delete_ledger_rows BEFORE DELETE ON imports FOR EACH ROW EXECUTE FUNCTION ledger_delete_import_rows();
