import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { exportAttachments, exportItems } from "@/db/schema";
import { leaseFree, leaseUntil } from "./lease";

// The attachments of exported items: pending → uploading → uploaded (file id) → connecting → connected | failed.

export type ExportAttachmentRow = typeof exportAttachments.$inferSelect;
export type AttachmentState = ExportAttachmentRow["state"];

export async function attachmentsOf(db: Db, itemIds: string[]): Promise<ExportAttachmentRow[]> {
  if (!itemIds.length) return [];
  return db.select().from(exportAttachments).where(inArray(exportAttachments.itemId, itemIds)).orderBy(asc(exportAttachments.itemId), asc(exportAttachments.seq));
}

export async function getAttachment(db: Db, id: string): Promise<ExportAttachmentRow | null> {
  const [row] = await db.select().from(exportAttachments).where(eq(exportAttachments.id, id));
  return row ?? null;
}

/**
 * pending → uploading (or an abandoned `uploading` taken over: its upload may have reached Fortnox, which the
 * documented API cannot tell us, so it counts as a possible stray copy in the inbox).
 */
export async function claimUpload(db: Db, id: string, owner: string, leaseMs: number): Promise<ExportAttachmentRow | null> {
  const [row] = await db
    .update(exportAttachments)
    .set({
      state: "uploading", leaseOwner: owner, leaseUntil: leaseUntil(leaseMs), uploadAttempts: sql`${exportAttachments.uploadAttempts} + 1`,
      strayUploads: sql`${exportAttachments.strayUploads} + case when ${exportAttachments.state} = 'uploading' then 1 else 0 end`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(exportAttachments.id, id),
        or(eq(exportAttachments.state, "pending"), and(eq(exportAttachments.state, "uploading"), leaseFree(exportAttachments, owner))),
      ),
    )
    .returning();
  return row ?? null;
}

/** uploading → uploaded with Fortnox's file id: from here on the file is never uploaded again. */
export async function markUploaded(db: Db, id: string, owner: string, fileId: string): Promise<boolean> {
  const rows = await db
    .update(exportAttachments)
    .set({ state: "uploaded", fortnoxFileId: fileId, uploadedAt: sql`now()`, updatedAt: sql`now()`, leaseOwner: null, leaseUntil: null })
    .where(and(eq(exportAttachments.id, id), eq(exportAttachments.state, "uploading"), eq(exportAttachments.leaseOwner, owner)))
    .returning({ id: exportAttachments.id });
  return rows.length > 0;
}

/** uploading → pending: the upload certainly did not happen (refused before processing), or may have (`stray`). */
export async function releaseUpload(db: Db, id: string, owner: string, stray: boolean): Promise<void> {
  await db
    .update(exportAttachments)
    .set({
      state: "pending", leaseOwner: null, leaseUntil: null, updatedAt: sql`now()`,
      ...(stray ? { strayUploads: sql`${exportAttachments.strayUploads} + 1` } : {}),
    })
    .where(and(eq(exportAttachments.id, id), eq(exportAttachments.state, "uploading"), eq(exportAttachments.leaseOwner, owner)));
}

/** uploaded → connecting, or an abandoned `connecting` taken over (then it is looked up before connecting again). */
export async function claimConnect(db: Db, id: string, owner: string, leaseMs: number, from: "uploaded" | "connecting"): Promise<ExportAttachmentRow | null> {
  const cond = from === "uploaded" ? eq(exportAttachments.state, "uploaded") : and(eq(exportAttachments.state, "connecting"), leaseFree(exportAttachments, owner));
  const [row] = await db
    .update(exportAttachments)
    .set({
      state: "connecting", leaseOwner: owner, leaseUntil: leaseUntil(leaseMs), updatedAt: sql`now()`,
      ...(from === "uploaded" ? { connectAttempts: sql`${exportAttachments.connectAttempts} + 1` } : {}),
    })
    .where(and(eq(exportAttachments.id, id), cond))
    .returning();
  return row ?? null;
}

export async function markConnected(db: Db, id: string, owner: string, viaLookup: boolean): Promise<boolean> {
  const rows = await db
    .update(exportAttachments)
    .set({
      state: "connected", connectedAt: sql`now()`, updatedAt: sql`now()`, leaseOwner: null, leaseUntil: null, errorKey: null, errorParams: null,
      ...(viaLookup ? { lookups: sql`${exportAttachments.lookups} + 1` } : {}),
    })
    .where(and(eq(exportAttachments.id, id), eq(exportAttachments.state, "connecting"), eq(exportAttachments.leaseOwner, owner)))
    .returning({ id: exportAttachments.id });
  return rows.length > 0;
}

/** connecting → uploaded: a lookup said the file is connected to nothing. */
export async function releaseConnect(db: Db, id: string, owner: string, viaLookup: boolean): Promise<void> {
  await db
    .update(exportAttachments)
    .set({
      state: "uploaded", leaseOwner: null, leaseUntil: null, updatedAt: sql`now()`,
      ...(viaLookup ? { lookups: sql`${exportAttachments.lookups} + 1` } : {}),
    })
    .where(and(eq(exportAttachments.id, id), eq(exportAttachments.state, "connecting"), eq(exportAttachments.leaseOwner, owner)));
}

export async function failAttachment(db: Db, id: string, owner: string, key: string, params: Record<string, string | number> = {}): Promise<void> {
  await db
    .update(exportAttachments)
    .set({ state: "failed", errorKey: key, errorParams: params, updatedAt: sql`now()`, leaseOwner: null, leaseUntil: null })
    .where(and(eq(exportAttachments.id, id), inArray(exportAttachments.state, ["uploading", "connecting"]), eq(exportAttachments.leaseOwner, owner)));
}

/** Failed attachments of an exported item back to where they stopped, for another try. */
export async function retryFailedAttachments(db: Db, itemIds: string[]): Promise<number> {
  if (!itemIds.length) return 0;
  const rows = await db
    .update(exportAttachments)
    .set({
      state: sql`case when ${exportAttachments.fortnoxFileId} is null then 'pending' else 'uploaded' end::export_attachment_state`,
      errorKey: null, errorParams: null, updatedAt: sql`now()`,
    })
    .where(and(inArray(exportAttachments.itemId, itemIds), eq(exportAttachments.state, "failed")))
    .returning({ id: exportAttachments.id });
  if (rows.length) await db.update(exportItems).set({ reportedAt: null }).where(inArray(exportItems.id, itemIds));
  return rows.length;
}

