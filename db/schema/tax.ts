import { sql } from "drizzle-orm";
import { bigint, integer, jsonb, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { projects } from "./clients";

// The Skatt step's own choices, one row per closing project (server/tax/project-tax.ts). Everything the pure
// computation takes beyond the books: they survive every re-import. The vouchers the step books are ordinary
// adjustments marked by their kind (taxFundReversal, taxFundAllocation, incomeTaxCalculated: server/tax/vouchers.ts),
// so the export, the adjustments page and the trial balance treat them like any other.

/** Who delivers the SRU files (INFO.SRU #MEDIELEV): the company itself; its address the import does not give. */
export interface TaxSender {
  address?: string;
  postalCode?: string;
  city?: string;
  contact?: string;
  email?: string;
  phone?: string;
}

export type TaxReversalChoice = "asBooked" | "required" | Record<string, number>;

export const taxChoices = pgTable("tax_choices", {
  projectId: uuid("project_id").primaryKey().references(() => projects.id, { onDelete: "cascade" }),
  firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
  /** The year's periodiseringsfond allocation in öre; null: none chosen (what the books hold). */
  allocationOre: bigint("allocation_ore", { mode: "number" }),
  /** Which funds to reverse: "required" (those that must be), "asBooked", or an amount per fund account. */
  reversals: jsonb("reversals").$type<TaxReversalChoice>().notNull().default(sql`'"required"'::jsonb`),
  /** The user's INK2S amounts by SRU code, each with a comment. */
  ink2sEdits: jsonb("ink2s_edits").$type<Record<string, { amountOre: number; comment: string }>>().notNull().default({}),
  /** Last year's unused loss (INK2S 4.14a) typed by the user; used only when no previous project gives it. */
  previousLossOre: bigint("previous_loss_ore", { mode: "number" }),
  /** The project's own SRU code per account, over the imported code and the BAS default. */
  sruOverrides: jsonb("sru_overrides").$type<Record<string, string>>().notNull().default({}),
  /** The tax year a fund account's fund was made in, when its name and number do not tell. */
  fundYears: jsonb("fund_years").$type<Record<string, number>>().notNull().default({}),
  /** Statslåneräntan in basis points, only when the module's table lacks the year. */
  slrBp: integer("slr_bp"),
  sender: jsonb("sender").$type<TaxSender>().notNull().default({}),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
