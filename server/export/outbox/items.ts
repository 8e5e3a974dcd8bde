import { and, asc, eq, inArray, isNull, max, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { exportAttachments, exportItems } from "@/db/schema";
import { newMarker } from "../voucher";
import { leaseFree, leaseUntil } from "./lease";

// The export items: one per voucher to send, queued → sending → exported | failed (README.md, "State machine").

export type ExportItem = typeof exportItems.$inferSelect;
export type ExportItemState = ExportItem["state"];

export interface EnqueueItemsInput {
  firmId: string;
  projectId: string;
  voucherIds: string[];
  series: string;
  createdBy?: string | null;
  jobId?: string | null;
}

/**
 * Queues one item per voucher that has no live item yet (the partial unique index decides, so a double click or a
 * second tab adds nothing). Returns the live item of every requested voucher, new or not.
 */
export async function enqueueItems(db: Db, input: EnqueueItemsInput): Promise<{ items: ExportItem[]; created: string[] }> {
  const ids = [...new Set(input.voucherIds)];
  if (!ids.length) return { items: [], created: [] };
  const [{ top }] = await db.select({ top: max(exportItems.seq) }).from(exportItems).where(eq(exportItems.projectId, input.projectId));
  const base = (top ?? 0) + 1;
  const rows = ids.map((voucherId, i) => ({
    firmId: input.firmId, projectId: input.projectId, voucherId, seq: base + i, marker: newMarker(), series: input.series,
    createdBy: input.createdBy ?? null, jobId: input.jobId ?? null,
  }));
  // Rows go in in one fixed order (seq keeps the user's): two tabs submitting overlapping selections in different
  // orders would otherwise each wait on the other's unique-index entry — a deadlock (found by property.test.ts).
  rows.sort((a, b) => (a.voucherId < b.voucherId ? -1 : a.voucherId > b.voucherId ? 1 : 0));
  const created = await db
    .insert(exportItems)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: exportItems.id });
  const items = await liveItems(db, input.projectId, ids);
  return { items, created: created.map((c) => c.id) };
}

/** The live (not failed) item of each voucher id. */
export async function liveItems(db: Db, projectId: string, voucherIds: string[]): Promise<ExportItem[]> {
  if (!voucherIds.length) return [];
  return db
    .select()
    .from(exportItems)
    .where(and(eq(exportItems.projectId, projectId), inArray(exportItems.voucherId, voucherIds), ne(exportItems.state, "failed")))
    .orderBy(asc(exportItems.seq));
}

export async function getItems(db: Db, ids: string[]): Promise<ExportItem[]> {
  if (!ids.length) return [];
  return db.select().from(exportItems).where(inArray(exportItems.id, ids)).orderBy(asc(exportItems.seq));
}

export async function getItem(db: Db, id: string): Promise<ExportItem | null> {
  const [row] = await db.select().from(exportItems).where(eq(exportItems.id, id));
  return row ?? null;
}

/**
 * Items of a project that still need work: queued, sending, or exported with attachments not yet done or the
 * source not yet told. `onlyIds` narrows to those items.
 */
export async function unfinishedItems(db: Db, projectId: string, onlyIds?: string[]): Promise<ExportItem[]> {
  const conds = [
    eq(exportItems.projectId, projectId),
    or(
      inArray(exportItems.state, ["queued", "sending"]),
      and(eq(exportItems.state, "exported"), isNull(exportItems.reportedAt)),
      and(
        eq(exportItems.state, "exported"),
        sql`exists (select 1 from export_attachments a where a.item_id = ${exportItems.id} and a.state not in ('connected', 'failed'))`,
      ),
    ),
  ];
  if (onlyIds) conds.push(inArray(exportItems.id, onlyIds));
  return db.select().from(exportItems).where(and(...conds)).orderBy(asc(exportItems.seq));
}

export interface SendingInput {
  financialYearId: number;
  transactionDate: string;
  /** The series' next number as known before this POST (lookup.ts); null when Fortnox did not say. */
  numberFloor?: number | null;
  body: Record<string, unknown>;
  attachments: { id: string; fileName: string }[];
  jobId?: string | null;
}

/**
 * queued → sending, durably, before the POST. Records where the voucher goes (year, date) so that a lookup can
 * find it whatever happens next, and freezes its attachment list. Null when the item was not queued (another
 * worker took it, or it is done).
 */
export async function claimForSending(db: Db, itemId: string, owner: string, leaseMs: number, input: SendingInput): Promise<ExportItem | null> {
  return db.transaction(async (tx) => {
    const [item] = await tx
      .update(exportItems)
      .set({
        state: "sending", leaseOwner: owner, leaseUntil: leaseUntil(leaseMs), sendAttempts: sql`${exportItems.sendAttempts} + 1`,
        financialYearId: input.financialYearId, transactionDate: input.transactionDate, numberFloor: input.numberFloor ?? null, sentBody: input.body,
        sendingAt: sql`now()`, updatedAt: sql`now()`, errorKey: null, errorParams: null, ...(input.jobId ? { jobId: input.jobId } : {}),
      })
      .where(and(eq(exportItems.id, itemId), eq(exportItems.state, "queued")))
      .returning();
    if (!item) return null;
    const keep = input.attachments.map((a) => a.id);
    // Attachments dropped from the voucher since an earlier attempt are forgotten while nothing was uploaded.
    await tx
      .delete(exportAttachments)
      .where(
        and(
          eq(exportAttachments.itemId, itemId),
          eq(exportAttachments.state, "pending"),
          keep.length ? sql`${exportAttachments.attachmentId} not in (${sql.join(keep.map((k) => sql`${k}`), sql`, `)})` : sql`true`,
        ),
      );
    if (input.attachments.length) {
      await tx
        .insert(exportAttachments)
        .values(input.attachments.map((a, i) => ({ itemId, attachmentId: a.id, fileName: a.fileName, seq: i })))
        .onConflictDoNothing();
    }
    return item;
  });
}

/** Takes over a `sending` item whose holder's lease ran out (or that we hold), to look it up. */
export async function takeOverSending(db: Db, itemId: string, owner: string, leaseMs: number): Promise<ExportItem | null> {
  const [item] = await db
    .update(exportItems)
    .set({ leaseOwner: owner, leaseUntil: leaseUntil(leaseMs), updatedAt: sql`now()` })
    .where(and(eq(exportItems.id, itemId), eq(exportItems.state, "sending"), leaseFree(exportItems, owner)))
    .returning();
  return item ?? null;
}

export interface ExportedInput {
  series: string;
  number: number;
  year: number;
  duplicates?: number;
}

/** sending → exported, only by the worker holding the item. */
export async function markExported(db: Db, itemId: string, owner: string, r: ExportedInput): Promise<boolean> {
  const rows = await db
    .update(exportItems)
    .set({
      state: "exported", fortnoxSeries: r.series, fortnoxNumber: r.number, fortnoxYear: r.year, exportedAt: sql`now()`, updatedAt: sql`now()`,
      leaseOwner: null, leaseUntil: null, duplicatesFound: r.duplicates ?? 0, errorKey: null, errorParams: null,
    })
    .where(and(eq(exportItems.id, itemId), eq(exportItems.state, "sending"), eq(exportItems.leaseOwner, owner)))
    .returning({ id: exportItems.id });
  return rows.length > 0;
}

/** sending → queued: Fortnox certainly does not have the voucher (it refused before processing, or a lookup said so). */
export async function releaseToQueued(db: Db, itemId: string, owner: string): Promise<boolean> {
  const rows = await db
    .update(exportItems)
    .set({ state: "queued", leaseOwner: null, leaseUntil: null, updatedAt: sql`now()` })
    .where(and(eq(exportItems.id, itemId), eq(exportItems.state, "sending"), eq(exportItems.leaseOwner, owner)))
    .returning({ id: exportItems.id });
  return rows.length > 0;
}

export async function countLookup(db: Db, itemIds: string[]): Promise<void> {
  if (!itemIds.length) return;
  await db.update(exportItems).set({ lookups: sql`${exportItems.lookups} + 1` }).where(inArray(exportItems.id, itemIds));
}

/**
 * → failed with a translatable reason: from `sending` by its holder (Fortnox refused the voucher), or from
 * `queued` (a pre-check failed, the voucher is gone, the user cancelled). Never from an ambiguous state.
 */
export async function markFailed(
  db: Db,
  itemId: string,
  from: { state: "queued" } | { state: "sending"; owner: string },
  key: string,
  params: Record<string, string | number> = {},
): Promise<boolean> {
  const cond = from.state === "queued" ? eq(exportItems.state, "queued") : and(eq(exportItems.state, "sending"), eq(exportItems.leaseOwner, from.owner));
  const rows = await db
    .update(exportItems)
    .set({ state: "failed", errorKey: key, errorParams: params, failedAt: sql`now()`, updatedAt: sql`now()`, leaseOwner: null, leaseUntil: null })
    .where(and(eq(exportItems.id, itemId), cond))
    .returning({ id: exportItems.id });
  return rows.length > 0;
}

export async function markReported(db: Db, itemId: string): Promise<void> {
  await db.update(exportItems).set({ reportedAt: sql`now()` }).where(and(eq(exportItems.id, itemId), eq(exportItems.state, "exported")));
}

export async function itemsOfProject(db: Db, projectId: string): Promise<ExportItem[]> {
  return db.select().from(exportItems).where(eq(exportItems.projectId, projectId)).orderBy(asc(exportItems.seq));
}

