import { sql } from "drizzle-orm";
import { pgTable, uuid, text, timestamp, jsonb, pgEnum, integer, date, index, uniqueIndex } from "drizzle-orm/pg-core";
import { firms, users } from "./identity";
import { projects } from "./clients";
import { jobs } from "./jobs";

// The outbox of the export to Fortnox (server/export). Fortnox has no idempotency key and no way to delete a
// voucher, so every voucher we send is first written here with a unique marker that travels in its Comments:
// whatever happens to the request, the marker lets us find out afterwards whether Fortnox has it.
//
//   queued ──claim──► sending ──answer──► exported
//     ▲                 │  └── rejected (4xx) ──► failed
//     └── not found ◄───┘ ambiguous / crash: looked up by marker first (found → exported)
//
// `sending` is written (and committed) before the POST; an item in `sending` is never posted again before a
// lookup by its marker said Fortnox does not have it. The lease (owner + until) says which worker may act on it;
// another worker takes it over only after the lease ran out.

export const exportItemStateEnum = pgEnum("export_item_state", ["queued", "sending", "exported", "failed"]);

/**
 * Attachments follow the exported voucher: uploaded to the inbox, then connected. The Fortnox file id is stored
 * before the connection is attempted, so a crash between the two never uploads the file again.
 */
export const exportAttachmentStateEnum = pgEnum("export_attachment_state", [
  "pending",
  "uploading",
  "uploaded",
  "connecting",
  "connected",
  "failed",
]);

export const exportItems = pgTable(
  "export_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firmId: uuid("firm_id").notNull().references(() => firms.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    /** The source voucher (an adjustment's id). */
    voucherId: text("voucher_id").notNull(),
    /** Order of sending within the project: Fortnox numbers the vouchers in this order. */
    seq: integer("seq").notNull().default(0),
    /** "SB:" + 10 random characters, written into the voucher's Comments. */
    marker: text("marker").notNull(),
    /** The Fortnox voucher series the user chose. */
    series: text("series").notNull(),
    state: exportItemStateEnum("state").notNull().default("queued"),
    /** What was (or is being) posted: the Fortnox financial year Id and date tell a lookup where to search. */
    financialYearId: integer("financial_year_id"),
    transactionDate: date("transaction_date", { mode: "string" }),
    /**
     * The series' next voucher number, read before the POST (server/export/lookup.ts): the voucher, if Fortnox
     * made it, has this number or a higher one. Committed with `sending`, so a crash right after still leaves the
     * lookup its starting point. Null for items sent before it was recorded (the lookup then uses the list).
     */
    numberFloor: integer("number_floor"),
    sentBody: jsonb("sent_body").$type<Record<string, unknown> | null>(),
    /** Fortnox's identity of the exported voucher: series + number + financial year Id. */
    fortnoxSeries: text("fortnox_series"),
    fortnoxNumber: integer("fortnox_number"),
    fortnoxYear: integer("fortnox_year"),
    /** Why it failed: a message key of the "errors" namespace and its parameters. */
    errorKey: text("error_key"),
    errorParams: jsonb("error_params").$type<Record<string, string | number>>(),
    /** POSTs sent, and lookups by marker made, over the item's life. */
    sendAttempts: integer("send_attempts").notNull().default(0),
    lookups: integer("lookups").notNull().default(0),
    /** Copies beyond the first that a lookup found in Fortnox (must stay 0; kept so that it is never silent). */
    duplicatesFound: integer("duplicates_found").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    sendingAt: timestamp("sending_at", { withTimezone: true }),
    exportedAt: timestamp("exported_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    /** When the source (the adjustments) was told; null while it still has to be. */
    reportedAt: timestamp("reported_at", { withTimezone: true }),
  },
  (t) => [
    // At most one live item per voucher: a double click or a second tab cannot queue it twice. A failed item
    // (never created in Fortnox) does not block a new attempt.
    uniqueIndex("export_items_one_live").on(t.projectId, t.voucherId).where(sql`state <> 'failed'`),
    uniqueIndex("export_items_marker").on(t.marker),
    index("export_items_project_state").on(t.projectId, t.state, t.seq),
  ],
);

export const exportAttachments = pgTable(
  "export_attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id").notNull().references(() => exportItems.id, { onDelete: "cascade" }),
    /** The source attachment's id. */
    attachmentId: text("attachment_id").notNull(),
    seq: integer("seq").notNull().default(0),
    fileName: text("file_name").notNull(),
    state: exportAttachmentStateEnum("state").notNull().default("pending"),
    /** File.Id from the inbox upload: stored before connecting. */
    fortnoxFileId: text("fortnox_file_id"),
    uploadAttempts: integer("upload_attempts").notNull().default(0),
    connectAttempts: integer("connect_attempts").notNull().default(0),
    lookups: integer("lookups").notNull().default(0),
    /**
     * Uploads whose answer was lost (reset, 5xx, crash): Fortnox may keep an unconnected copy in its inbox, which
     * the documented API cannot list. Counted so that the summary can say so.
     */
    strayUploads: integer("stray_uploads").notNull().default(0),
    errorKey: text("error_key"),
    errorParams: jsonb("error_params").$type<Record<string, string | number>>(),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }),
    connectedAt: timestamp("connected_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("export_attachments_item_attachment").on(t.itemId, t.attachmentId)],
);
