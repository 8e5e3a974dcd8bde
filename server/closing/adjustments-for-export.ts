import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { adjustmentRows, adjustments, attachmentLinks, attachments, type FortnoxVoucherRef } from "@/db/schema";
import { conflict, notFound } from "@/server/errors";
import { readBlob } from "@/server/files/blob-store";
import { CONTENT_TYPE, type AttachmentKind } from "./file-types";

// The exporter's side of the adjustments (server/export/adjustment-export.ts): each one as the voucher to send,
// the lock that keeps it unchanged while it is queued, and "exported" with Fortnox's reference.

/** One adjustment as server/export's ExportVoucher: what is sent to Fortnox, attachments read on demand. */
export interface AdjustmentForExport {
  id: string;
  date: string;
  text: string;
  rows: { account: string; amountOre: number; text?: string }[];
  attachments: { id: string; fileName: string; contentType: string; read(): Promise<Uint8Array> }[];
}

/** The adjustments with these ids in the project (ids that no longer exist are left out), ready to send. */
export async function loadAdjustmentsForExport(db: Db, projectId: string, ids: string[]): Promise<AdjustmentForExport[]> {
  if (!ids.length) return [];
  const heads = await db
    .select()
    .from(adjustments)
    .where(and(eq(adjustments.projectId, projectId), inArray(adjustments.id, ids)))
    .orderBy(asc(adjustments.number));
  if (!heads.length) return [];
  const found = heads.map((h) => h.id);
  const [rows, files] = await Promise.all([
    db.select().from(adjustmentRows).where(inArray(adjustmentRows.adjustmentId, found)).orderBy(asc(adjustmentRows.adjustmentId), asc(adjustmentRows.seq)),
    db
      .select({ adjustmentId: attachmentLinks.adjustmentId, id: attachments.id, fileName: attachments.fileName, kind: attachments.kind, blobId: attachments.blobId, firmId: attachments.firmId })
      .from(attachmentLinks)
      .innerJoin(attachments, eq(attachments.id, attachmentLinks.attachmentId))
      .where(inArray(attachmentLinks.adjustmentId, found))
      .orderBy(asc(attachments.uploadedAt)),
  ]);
  return heads.map((h) => ({
    id: h.id,
    date: h.date,
    text: h.text,
    rows: rows.filter((r) => r.adjustmentId === h.id).map((r) => ({ account: r.account, amountOre: r.amountOre, ...(r.text ? { text: r.text } : {}) })),
    attachments: files
      .filter((f) => f.adjustmentId === h.id)
      .map((f) => ({
        id: f.id,
        fileName: f.fileName,
        contentType: CONTENT_TYPE[f.kind as AttachmentKind],
        async read() {
          const parts: Uint8Array[] = [];
          for await (const chunk of readBlob(db, f.firmId, f.blobId)) parts.push(chunk);
          return new Uint8Array(Buffer.concat(parts));
        },
      })),
  }));
}

/**
 * Takes the export lock of an adjustment when it is queued for export (refused once exported or held by someone
 * else; the same `lockedBy` may take it again, so a resumed job gets its own lock back). Nobody can change or
 * delete a locked adjustment: what Fortnox gets is what was queued.
 */
export async function lockForExport(db: DbOrTx, projectId: string, adjustmentId: string, lockedBy: string): Promise<void> {
  const [a] = await db
    .update(adjustments)
    .set({ exportLockedAt: new Date(), exportLockedBy: lockedBy })
    .where(
      and(
        eq(adjustments.id, adjustmentId),
        eq(adjustments.projectId, projectId),
        isNull(adjustments.exportedAt),
        sql`(${adjustments.exportLockedAt} is null or ${adjustments.exportLockedBy} = ${lockedBy})`,
      ),
    )
    .returning({ id: adjustments.id });
  if (a) return;
  const [found] = await db.select().from(adjustments).where(and(eq(adjustments.id, adjustmentId), eq(adjustments.projectId, projectId)));
  if (!found) throw notFound("adjustmentNotFound");
  if (found.exportedAt) throw conflict("adjustmentExported", { number: found.number });
  throw conflict("adjustmentLocked", { number: found.number });
}

/** The export failed for certain (nothing reached Fortnox): the adjustment is editable again. */
export async function releaseExportLock(db: DbOrTx, projectId: string, adjustmentId: string, lockedBy: string) {
  await db
    .update(adjustments)
    .set({ exportLockedAt: null, exportLockedBy: null })
    .where(and(eq(adjustments.id, adjustmentId), eq(adjustments.projectId, projectId), eq(adjustments.exportLockedBy, lockedBy), isNull(adjustments.exportedAt)));
}

/**
 * The voucher is in Fortnox: "Exporterad" for good, with its series, number and year. Idempotent (a job resumed
 * after a crash may say it twice): the first reference stays.
 */
export async function markExported(db: DbOrTx, projectId: string, adjustmentId: string, ref: FortnoxVoucherRef) {
  await db
    .update(adjustments)
    .set({
      exportedAt: sql`coalesce(${adjustments.exportedAt}, now())`,
      fortnoxRef: sql`coalesce(${adjustments.fortnoxRef}, ${JSON.stringify(ref)}::jsonb)`,
      exportLockedAt: null,
      exportLockedBy: null,
    })
    .where(and(eq(adjustments.id, adjustmentId), eq(adjustments.projectId, projectId)));
}

/** server/export's ExportSource over this project's adjustments. */
export function adjustmentExportSource(db: Db, projectId: string) {
  return {
    loadVouchers: (ids: string[]) => loadAdjustmentsForExport(db, projectId, ids),
    markExported: (id: string, ref: FortnoxVoucherRef) => markExported(db, projectId, id, ref),
  };
}
