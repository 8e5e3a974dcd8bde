import { sql } from "drizzle-orm";
import {
  pgTable, uuid, text, timestamp, jsonb, pgEnum, integer, smallint, bigint, date, index, uniqueIndex, primaryKey, check,
} from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { projects } from "./clients";
import { blobs } from "./blobs";
import { imports, ledgerSideEnum } from "./ledger";

// The accountant's own work in a closing project: schedules (bilagor) with their specification rows, attached
// documents, and adjustment vouchers (bokslutstransaktioner). Everything is keyed by project and account number,
// never by import, so it survives every re-import. Amounts are integer öre, debit positive, credit negative.

const ore = (name: string) => bigint(name, { mode: "number" });

export const scheduleStatusEnum = pgEnum("schedule_status", ["not_started", "in_progress", "reconciled"]);

/** A schedule reconciles one balance-sheet account or a group of them (schedule_accounts). */
export const schedules = pgTable(
  "schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    comment: text("comment").notNull().default(""),
    status: scheduleStatusEnum("status").notNull().default("not_started"),
    /** 1510/2440: the open items of the current import's customer or supplier ledger count as specification. */
    ledgerSide: ledgerSideEnum("ledger_side"),
    signedOffBy: uuid("signed_off_by").references(() => users.id, { onDelete: "set null" }),
    /** The signer's name as it was, so the sign-off still says who after the user is gone. */
    signedOffByName: text("signed_off_by_name"),
    signedOffAt: timestamp("signed_off_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("schedules_project").on(t.projectId)],
);

/** The accounts of a schedule; an account is in at most one schedule of its project. */
export const scheduleAccounts = pgTable(
  "schedule_accounts",
  {
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    account: text("account").notNull(),
    scheduleId: uuid("schedule_id").notNull().references(() => schedules.id, { onDelete: "cascade" }),
    /** The imported closing balance when the schedule was signed off: a re-import that moves it flags the account. */
    signedOffOre: ore("signed_off_ore"),
    /** The closing balance after adjustments at sign-off: a later adjustment flags the account too. */
    signedOffAdjustedOre: ore("signed_off_adjusted_ore"),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.account] }), index("schedule_accounts_schedule").on(t.scheduleId)],
);

/** Specification rows: what the balance consists of. Their sum is the specified amount. */
export const scheduleRows = pgTable(
  "schedule_rows",
  {
    scheduleId: uuid("schedule_id").notNull().references(() => schedules.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    text: text("text").notNull(),
    amountOre: ore("amount_ore").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.seq] })],
);

/** Accounts the user added in this closing (an adjustment to a number the imported chart lacks). */
export const projectAccounts = pgTable(
  "project_accounts",
  {
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    number: text("number").notNull(),
    name: text("name").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.number] })],
);

/**
 * An uploaded document. Its bytes are a blob (server/files/blob-store.ts); `kind` is what its content was checked
 * to be, and the only thing that decides the Content-Type it is served with.
 */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    // The bytes are deleted after the attachment (server/closing/attachments.ts); cascade keeps a firm's deletion simple.
    blobId: uuid("blob_id").notNull().references(() => blobs.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    /** pdf, png, jpeg, docx, xlsx, doc, xls, csv, txt */
    kind: text("kind").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("attachments_project").on(t.projectId)],
);

/** Where an attachment belongs: an account (and so its schedule) or an adjustment; one attachment, many places. */
export const attachmentLinks = pgTable(
  "attachment_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    attachmentId: uuid("attachment_id").notNull().references(() => attachments.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    account: text("account"),
    adjustmentId: uuid("adjustment_id").references(() => adjustments.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("attachment_links_account").on(t.attachmentId, t.account).where(sql`account is not null`),
    uniqueIndex("attachment_links_adjustment").on(t.attachmentId, t.adjustmentId).where(sql`adjustment_id is not null`),
    index("attachment_links_project_account").on(t.projectId, t.account),
    index("attachment_links_adjustment_id").on(t.adjustmentId),
    check("attachment_links_one_target", sql`(account is null) <> (adjustment_id is null)`),
  ],
);

/** What the exporter writes back once Fortnox has the voucher (server/export's ExportedRef). */
export interface FortnoxVoucherRef {
  series: string;
  number: number;
  /** Fortnox's financial year Id the voucher was booked in. */
  financialYearId?: number;
  /** Fortnox File.Id per attachment id, for the files connected to the voucher. */
  fileIds?: Record<string, string>;
}

/**
 * Adjustment vouchers (bokslutstransaktioner). What the exporter reads: `date`, `text`, the rows
 * (adjustment_rows: account, amount_ore, text) and the attachments linked by adjustment_id; server/closing/
 * adjustments-for-export.ts adjustmentExportSource gives exactly that as server/export's ExportSource. While an export is
 * queued or running the exporter holds a lock (lockForExport sets export_locked_at/by; releaseExportLock gives it
 * back after a failure); markExported sets exported_at and fortnox_ref. Locked or exported adjustments are
 * read-only: a correction is a new voucher.
 */
export const adjustments = pgTable(
  "adjustments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    /** 1, 2, 3 … within the project, in creation order; never reused. */
    number: integer("number").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    text: text("text").notNull(),
    /** manual, closingEntry, or the template it started from (accruedExpense, prepaidExpense, depreciation …). */
    kind: text("kind").notNull().default("manual"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    exportedAt: timestamp("exported_at", { withTimezone: true }),
    fortnoxRef: jsonb("fortnox_ref").$type<FortnoxVoucherRef>(),
    exportLockedAt: timestamp("export_locked_at", { withTimezone: true }),
    /** Who holds the lock (the export job's id), for the reader and for a clean release. */
    exportLockedBy: text("export_locked_by"),
  },
  (t) => [uniqueIndex("adjustments_project_number").on(t.projectId, t.number)],
);

/** The last adjustment number given out per project: numbers are never reused, even after a deletion. */
export const adjustmentCounters = pgTable("adjustment_counters", {
  projectId: uuid("project_id").primaryKey().references(() => projects.id, { onDelete: "cascade" }),
  lastNumber: integer("last_number").notNull(),
});

export const adjustmentRows = pgTable(
  "adjustment_rows",
  {
    adjustmentId: uuid("adjustment_id").notNull().references(() => adjustments.id, { onDelete: "cascade" }),
    seq: smallint("seq").notNull(),
    account: text("account").notNull(),
    /** Debit positive, credit negative, never zero; a voucher's rows sum to zero. */
    amountOre: ore("amount_ore").notNull(),
    text: text("text"),
  },
  (t) => [primaryKey({ columns: [t.adjustmentId, t.seq] })],
);

/**
 * Per-account opening balance and period change of one import, computed once from ledger_rows on first read: an
 * import never changes after it is published, and the trial balance of a 100,000-voucher year then reads ~200
 * rows instead of aggregating ~250,000.
 */
export const ledgerAccountTotals = pgTable(
  "ledger_account_totals",
  {
    importId: uuid("import_id").notNull().references(() => imports.id, { onDelete: "cascade" }),
    account: text("account").notNull(),
    ibOre: ore("ib_ore").notNull(),
    changeOre: ore("change_ore").notNull(),
    rowCount: integer("row_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.account] })],
);
