import { sql } from "drizzle-orm";
import {
  pgTable, uuid, text, timestamp, jsonb, pgEnum, integer, smallint, bigint, boolean, date, doublePrecision,
  index, uniqueIndex, primaryKey,
} from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { projects } from "./clients";
import { jobs } from "./jobs";

// The imported accounting data of a closing project. Every row belongs to one import; the project reads the
// import marked current. A new import is written beside the current one and published by flipping `isCurrent`
// in one short transaction, so readers see the old year or the new one, never a mix, and a failed import leaves
// nothing visible. The user's own work (schedules, adjustments, attachments) is keyed by project and account
// number, not by import, so it survives every re-import.

export const importSourceEnum = pgEnum("import_source", ["fortnox", "sie"]);
export const importStatusEnum = pgEnum("import_status", ["running", "published", "replaced", "failed"]);

export interface ImportCheck {
  key: string;
  status: "ok" | "warning" | "error" | "skipped";
  params?: Record<string, string | number>;
  /** The first offending items (accounts, vouchers), for the user to look at. */
  items?: Record<string, string | number | null>[];
  itemCount?: number;
}

export interface ImportDiff {
  first: boolean;
  newVouchers: number;
  changedVouchers: number;
  removedVouchers: number;
  vouchers: { series: string; number: string; date: string | null; text: string; change: "new" | "changed" | "removed" }[];
  movedAccounts: { account: string; name: string | null; beforeOre: number; afterOre: number }[];
  /** Accounts signed off as reconciled whose closing balance moved since sign-off. */
  signedOffChanged: { account: string; signedOffOre: number; afterOre: number }[];
}

export const imports = pgTable(
  "imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "set null" }),
    source: importSourceEnum("source").notNull(),
    status: importStatusEnum("status").notNull().default("running"),
    isCurrent: boolean("is_current").notNull().default(false),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** Company, program, encoding, KSUMMA, Fortnox financial year, file name: facts about the source. */
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default({}),
    checks: jsonb("checks").$type<ImportCheck[]>().notNull().default([]),
    diff: jsonb("diff").$type<ImportDiff | null>(),
    /** The first warnings of the SIE engine (code, line, message) and their total in meta.warningCount. */
    warnings: jsonb("warnings").$type<{ code: string; line: number; message: string }[]>().notNull().default([]),
    errorKey: text("error_key"),
  },
  (t) => [
    uniqueIndex("imports_one_current_per_project").on(t.projectId).where(sql`is_current`),
    index("imports_project_started").on(t.projectId, t.startedAt),
  ],
);

const importRef = () => uuid("import_id").notNull().references(() => imports.id, { onDelete: "cascade" });
/**
 * The two big tables (hundreds of thousands of rows a year) skip the foreign key: checking it row by row doubled
 * the bulk insert. A trigger on imports deletes their rows instead (migration 0002), so nothing is orphaned.
 */
const bulkImportRef = () => uuid("import_id").notNull();
const ore = (name: string) => bigint(name, { mode: "number" }).notNull();

export const ledgerYears = pgTable(
  "ledger_years",
  { importId: importRef(), yearIndex: smallint("year_index").notNull(), start: date("start", { mode: "string" }), end: date("end", { mode: "string" }) },
  (t) => [primaryKey({ columns: [t.importId, t.yearIndex] })],
);

export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    importId: importRef(),
    number: text("number").notNull(),
    name: text("name"),
    /** SIE #KTYP: T asset, S liability, K cost, I income; null when the file did not say. */
    type: text("type"),
    sru: text("sru"),
    active: boolean("active").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.importId, t.number] })],
);

/** #IB, #UB and #RES per year index (0 = this year, -1 = the previous one). */
export const ledgerBalances = pgTable(
  "ledger_balances",
  {
    importId: importRef(),
    kind: text("kind").notNull(),
    yearIndex: smallint("year_index").notNull(),
    account: text("account").notNull(),
    amountOre: ore("amount_ore"),
    quantity: doublePrecision("quantity"),
  },
  (t) => [primaryKey({ columns: [t.importId, t.kind, t.yearIndex, t.account] })],
);

/** #OIB/#OUB (object balances) and #PSALDO/#PBUDGET (period changes), objects as [[dim, object], …]. */
export const ledgerObjectBalances = pgTable(
  "ledger_object_balances",
  {
    importId: importRef(),
    kind: text("kind").notNull(),
    yearIndex: smallint("year_index").notNull(),
    /** YYYYMM for period balances, null for OIB/OUB. */
    period: text("period"),
    account: text("account").notNull(),
    objects: jsonb("objects").$type<[string, string][]>(),
    amountOre: ore("amount_ore"),
    quantity: doublePrecision("quantity"),
  },
  (t) => [index("ledger_object_balances_import").on(t.importId, t.account)],
);

export const ledgerDimensions = pgTable(
  "ledger_dimensions",
  {
    importId: importRef(),
    dim: text("dim").notNull(),
    /** Null for an object row; the dimension's name for a dimension row (object null). */
    object: text("object"),
    name: text("name").notNull(),
    parent: text("parent"),
  },
  (t) => [index("ledger_dimensions_import").on(t.importId, t.dim)],
);

/** Partitioned by import like ledger_rows (migration 0002): loaded bare, keys built once when attached. */
export const ledgerVouchers = pgTable(
  "ledger_vouchers",
  {
    importId: bulkImportRef(),
    /** Position in the source, 1-based; rows refer to it. */
    id: integer("id").notNull(),
    series: text("series").notNull(),
    number: text("number").notNull(),
    date: date("date", { mode: "string" }),
    text: text("text").notNull(),
    regDate: date("reg_date", { mode: "string" }),
    sign: text("sign"),
    /** Digest of date, text and rows: tells a changed voucher on re-import. */
    digest: text("digest").notNull(),
    /** Relative to the previous import: 1 new, 2 changed; null when unchanged or on the first import. */
    change: smallint("change"),
  },
  (t) => [primaryKey({ columns: [t.importId, t.id] }), index("ledger_vouchers_number").on(t.importId, t.series, t.number)],
);

/** Row kinds: 0 #TRANS (effective), 1 #RTRANS (added after registration), 2 #BTRANS (struck out). */
export const ROW_KIND = { trans: 0, added: 1, removed: 2 } as const;

/**
 * Voucher rows: the one table that grows by hundreds of thousands of rows a year. In PostgreSQL it is partitioned
 * by import (migration 0002, hand-written: drizzle-kit does not model partitions): each import loads into a table of
 * its own without indexes, builds them once at the end and attaches it; replacing an import drops a table instead
 * of deleting rows. Indexes per partition: (account, date, voucher, row) in account analysis order, (voucher_id) for a
 * voucher's rows.
 */
export const ledgerRows = pgTable("ledger_rows", {
  importId: bulkImportRef(),
  voucherId: integer("voucher_id").notNull(),
  seq: smallint("seq").notNull(),
  kind: smallint("kind").notNull(),
  account: text("account").notNull(),
  amountOre: ore("amount_ore"),
  date: date("date", { mode: "string" }),
  text: text("text"),
  quantity: doublePrecision("quantity"),
  objects: jsonb("objects").$type<[string, string][]>(),
  sign: text("sign"),
});

/** The partitions that hold one import's rows and vouchers. */
export const rowsPartition = (importId: string) => `ledger_rows_${importId.replace(/-/g, "")}`;
export const vouchersPartition = (importId: string) => `ledger_vouchers_${importId.replace(/-/g, "")}`;

export const ledgerSideEnum = pgEnum("ledger_side", ["customer", "supplier"]);

/** Open items of the customer and supplier ledgers at the closing date: the ready-made schedules of 1510/2440. */
export const ledgerOpenItems = pgTable(
  "ledger_open_items",
  {
    importId: importRef(),
    side: ledgerSideEnum("side").notNull(),
    counterpartyNumber: text("counterparty_number").notNull(),
    counterpartyName: text("counterparty_name").notNull(),
    invoiceNumber: text("invoice_number").notNull(),
    externalInvoiceNumber: text("external_invoice_number"),
    invoiceDate: date("invoice_date", { mode: "string" }).notNull(),
    dueDate: date("due_date", { mode: "string" }),
    currency: text("currency").notNull(),
    currencyRate: doublePrecision("currency_rate").notNull(),
    currencyUnit: integer("currency_unit").notNull(),
    totalOre: ore("total_ore"),
    openOre: ore("open_ore"),
    openCurrency: ore("open_currency"),
  },
  (t) => [index("ledger_open_items_import").on(t.importId, t.side)],
);
