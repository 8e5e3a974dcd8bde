import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { resultRows, toNumber, type Db, type DbOrTx } from "@/db/client";
import { adjustments, attachmentLinks, attachments, blobs, schedules, scheduleAccounts, users } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/server/errors";
import { BlobTooLargeError, deleteBlob, readBlob, writeBlob } from "@/server/files/blob-store";
import { headMatches, kindOfFileName, PREVIEWABLE, zipEntriesMatch, type AttachmentKind } from "./file-types";
import { chartOf, requireCurrentImport } from "./ledger";
import { isBalanceSheetAccount } from "./bas";
import { ensureSchedule, scheduleScopeAccounts } from "./account-schedules";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from "@/lib/upload-limits";
import type { ProjectActor } from "@/server/scope";

// Attached documents (bilagor): uploaded onto an account (and so its schedule) or an adjustment, linked to more
// accounts if the same document proves several balances. Bytes go to the blob store as they stream in; the
// content must be what the file name says, or nothing is kept.

/** Enough of the file's end to hold a normal Office document's ZIP directory. */
const TAIL_BYTES = 256 * 1024;

export type AttachmentTarget = { account: string } | { adjustmentId: string };

const isAccount = (t: AttachmentTarget): t is { account: string } => "account" in t;

/** How many distinct attachments the target's schedule (or adjustment) holds. */
async function countAt(db: DbOrTx, projectId: string, target: AttachmentTarget): Promise<number> {
  if (!isAccount(target)) {
    const [r] = resultRows<{ n: unknown }>(await db.execute(sql`select count(distinct attachment_id) as n from attachment_links where adjustment_id = ${target.adjustmentId}`));
    return toNumber(r.n);
  }
  const scope = await scheduleScopeAccounts(db, projectId, target.account);
  const list = sql.join(scope.map((a) => sql`${a}`), sql`, `);
  const [r] = resultRows<{ n: unknown }>(
    await db.execute(sql`select count(distinct attachment_id) as n from attachment_links where project_id = ${projectId} and account in (${list})`),
  );
  return toNumber(r.n);
}

/** The target must exist in the project and accept changes: an account of the chart whose schedule is not signed off, an adjustment not exported. */
async function checkTarget(db: DbOrTx, projectId: string, target: AttachmentTarget) {
  if (isAccount(target)) {
    const imp = await requireCurrentImport(db, projectId);
    const chart = await chartOf(db, projectId, imp.id);
    if (!chart.has(target.account)) throw notFound("accountNotFound");
    const [s] = await db
      .select({ status: schedules.status })
      .from(scheduleAccounts)
      .innerJoin(schedules, eq(schedules.id, scheduleAccounts.scheduleId))
      .where(and(eq(scheduleAccounts.projectId, projectId), eq(scheduleAccounts.account, target.account)));
    if (s?.status === "reconciled") throw conflict("scheduleSignedOff");
    return;
  }
  const [a] = await db.select().from(adjustments).where(and(eq(adjustments.id, target.adjustmentId), eq(adjustments.projectId, projectId)));
  if (!a) throw notFound("adjustmentNotFound");
  if (a.exportedAt) throw conflict("adjustmentExported", { number: a.number });
  if (a.exportLockedAt) throw conflict("adjustmentLocked", { number: a.number });
}

/** Locks what the link hangs on (schedule or adjustment row) and checks it again, inside the linking transaction. */
async function lockTarget(tx: Db, scope: ProjectActor, target: AttachmentTarget) {
  if (isAccount(target)) {
    if (isBalanceSheetAccount(target.account)) {
      const imp = await requireCurrentImport(tx, scope.projectId);
      const id = await ensureSchedule(tx, scope, target.account, imp);
      const [s] = await tx.select().from(schedules).where(eq(schedules.id, id)).for("update");
      if (s.status === "reconciled") throw conflict("scheduleSignedOff");
      if (s.status === "not_started") await tx.update(schedules).set({ status: "in_progress", updatedAt: new Date() }).where(eq(schedules.id, id));
    }
    return;
  }
  const [a] = await tx.select().from(adjustments).where(and(eq(adjustments.id, target.adjustmentId), eq(adjustments.projectId, scope.projectId))).for("update");
  if (!a) throw notFound("adjustmentNotFound");
  if (a.exportedAt) throw conflict("adjustmentExported", { number: a.number });
  if (a.exportLockedAt) throw conflict("adjustmentLocked", { number: a.number });
}

/** Passes chunks through while keeping the last TAIL_BYTES of them. */
function keepTail(source: AsyncIterable<Uint8Array>) {
  const state = { tail: new Uint8Array(0), size: 0 };
  async function* pass() {
    for await (const chunk of source) {
      state.size += chunk.length;
      const joined = Buffer.concat([state.tail, chunk]);
      state.tail = joined.subarray(Math.max(0, joined.length - TAIL_BYTES));
      yield chunk;
    }
  }
  return { stream: pass(), state };
}

export async function uploadAttachment(db: Db, scope: ProjectActor, target: AttachmentTarget, fileNameRaw: string, body: AsyncIterable<Uint8Array>) {
  const fileName = fileNameRaw.replace(/[\\/\u0000-\u001f]/g, "_").trim().slice(-200) || "fil";
  const kind = kindOfFileName(fileName);
  if (!kind) throw badRequest("attachmentType", { name: fileName });
  await checkTarget(db, scope.projectId, target);
  if ((await countAt(db, scope.projectId, target)) >= MAX_ATTACHMENTS) throw badRequest("attachmentTooMany", { max: MAX_ATTACHMENTS });

  const mismatch = () => badRequest("attachmentMismatch", { name: fileName, kind: kind.toUpperCase() });
  const { stream, state } = keepTail(body);
  let blob;
  try {
    blob = await writeBlob(db, scope.firmId, stream, {
      maxBytes: MAX_ATTACHMENT_BYTES,
      headBytes: 4096,
      inspectHead: (head) => {
        if (!head.length) throw badRequest("attachmentEmpty", { name: fileName });
        if (!headMatches(kind, head)) throw mismatch();
      },
    });
  } catch (err) {
    if (err instanceof BlobTooLargeError) throw badRequest("attachmentTooLarge", { name: fileName, mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
    throw err;
  }
  try {
    if (blob.size === 0) throw badRequest("attachmentEmpty", { name: fileName });
    if ((kind === "docx" || kind === "xlsx") && zipEntriesMatch(kind, state.tail, state.size) === false) throw mismatch();
    return await db.transaction(async (txx) => {
      const tx = txx as unknown as Db;
      await lockTarget(tx, scope, target);
      // Counted again under the lock: two uploads at once cannot make 13.
      if ((await countAt(tx, scope.projectId, target)) >= MAX_ATTACHMENTS) throw badRequest("attachmentTooMany", { max: MAX_ATTACHMENTS });
      const [row] = await tx
        .insert(attachments)
        .values({ firmId: scope.firmId, projectId: scope.projectId, blobId: blob.id, fileName, kind, size: blob.size, sha256: blob.sha256, uploadedBy: scope.userId })
        .returning();
      await tx.insert(attachmentLinks).values({ attachmentId: row.id, projectId: scope.projectId, ...(isAccount(target) ? { account: target.account } : { adjustmentId: target.adjustmentId }) });
      return row;
    });
  } catch (err) {
    await deleteBlob(db, blob.id).catch(() => {});
    throw err;
  }
}

export interface AttachmentView {
  id: string;
  fileName: string;
  kind: AttachmentKind;
  size: number;
  previewable: boolean;
  uploadedAt: Date;
  uploadedByName: string | null;
  /** Every account the attachment is linked to, and adjustments by number. */
  accounts: string[];
  adjustmentNumbers: number[];
}

async function views(db: DbOrTx, projectId: string, ids: string[]): Promise<AttachmentView[]> {
  if (!ids.length) return [];
  const [heads, links] = await Promise.all([
    db
      .select({ a: attachments, uploadedByName: users.name })
      .from(attachments)
      .leftJoin(users, eq(users.id, attachments.uploadedBy))
      .where(and(eq(attachments.projectId, projectId), inArray(attachments.id, ids)))
      .orderBy(desc(attachments.uploadedAt)),
    db
      .select({ attachmentId: attachmentLinks.attachmentId, account: attachmentLinks.account, number: adjustments.number })
      .from(attachmentLinks)
      .leftJoin(adjustments, eq(adjustments.id, attachmentLinks.adjustmentId))
      .where(inArray(attachmentLinks.attachmentId, ids)),
  ]);
  return heads.map(({ a, uploadedByName }) => ({
    id: a.id, fileName: a.fileName, kind: a.kind as AttachmentKind, size: a.size, previewable: PREVIEWABLE.has(a.kind as AttachmentKind),
    uploadedAt: a.uploadedAt, uploadedByName,
    accounts: links.filter((l) => l.attachmentId === a.id && l.account).map((l) => l.account!).sort(),
    adjustmentNumbers: links.filter((l) => l.attachmentId === a.id && l.number !== null).map((l) => l.number!).sort((x, y) => x - y),
  }));
}

/** The attachments of an account's schedule (all its accounts) or of an adjustment. */
export async function listAttachments(db: DbOrTx, projectId: string, target: AttachmentTarget): Promise<AttachmentView[]> {
  let ids: string[];
  if (isAccount(target)) {
    const scope = await scheduleScopeAccounts(db, projectId, target.account);
    const rows = await db
      .selectDistinct({ id: attachmentLinks.attachmentId })
      .from(attachmentLinks)
      .where(and(eq(attachmentLinks.projectId, projectId), inArray(attachmentLinks.account, scope)));
    ids = rows.map((r) => r.id);
  } else {
    const rows = await db.select({ id: attachmentLinks.attachmentId }).from(attachmentLinks).where(and(eq(attachmentLinks.projectId, projectId), eq(attachmentLinks.adjustmentId, target.adjustmentId)));
    ids = rows.map((r) => r.id);
  }
  return views(db, projectId, ids);
}

/** Every attachment of the project, newest first (to link one again elsewhere). */
export async function projectAttachments(db: DbOrTx, projectId: string): Promise<AttachmentView[]> {
  const rows = await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.projectId, projectId)).orderBy(desc(attachments.uploadedAt)).limit(500);
  return views(db, projectId, rows.map((r) => r.id));
}

/** Per account, how many attachments are linked (the trial balance's paper clip). */
export async function attachmentCounts(db: DbOrTx, projectId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ account: attachmentLinks.account, n: sql<number>`count(*)::int` })
    .from(attachmentLinks)
    .where(and(eq(attachmentLinks.projectId, projectId), isNotNull(attachmentLinks.account)))
    .groupBy(attachmentLinks.account);
  return new Map(rows.map((r) => [r.account!, toNumber(r.n)]));
}

async function requireAttachment(db: DbOrTx, projectId: string, attachmentId: string) {
  const [a] = await db.select().from(attachments).where(and(eq(attachments.id, attachmentId), eq(attachments.projectId, projectId)));
  if (!a) throw notFound("attachmentNotFound");
  return a;
}

/** Links an existing attachment to one more account or adjustment. */
export async function linkAttachment(db: Db, scope: ProjectActor, attachmentId: string, target: AttachmentTarget) {
  await requireAttachment(db, scope.projectId, attachmentId);
  await checkTarget(db, scope.projectId, target);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await lockTarget(tx, scope, target);
    const cond = isAccount(target) ? eq(attachmentLinks.account, target.account) : eq(attachmentLinks.adjustmentId, target.adjustmentId);
    const [already] = await tx.select({ id: attachmentLinks.id }).from(attachmentLinks).where(and(eq(attachmentLinks.attachmentId, attachmentId), cond));
    if (already) return;
    if ((await countAt(tx, scope.projectId, target)) >= MAX_ATTACHMENTS) throw badRequest("attachmentTooMany", { max: MAX_ATTACHMENTS });
    await tx.insert(attachmentLinks).values({ attachmentId, projectId: scope.projectId, ...(isAccount(target) ? { account: target.account } : { adjustmentId: target.adjustmentId }) });
  });
}

/** Removes the attachment from one place; when it belongs nowhere any more, it is deleted with its bytes. */
export async function unlinkAttachment(db: Db, scope: ProjectActor, attachmentId: string, target: AttachmentTarget) {
  await requireAttachment(db, scope.projectId, attachmentId);
  await checkTarget(db, scope.projectId, target);
  const scopeAccounts = isAccount(target) ? await scheduleScopeAccounts(db, scope.projectId, target.account) : [];
  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await lockTarget(tx, scope, target);
    // On a schedule of several accounts, "remove" means from the schedule: every account of it.
    const cond = isAccount(target) ? inArray(attachmentLinks.account, scopeAccounts) : eq(attachmentLinks.adjustmentId, target.adjustmentId);
    const removed = await tx.delete(attachmentLinks).where(and(eq(attachmentLinks.attachmentId, attachmentId), eq(attachmentLinks.projectId, scope.projectId), cond)).returning({ id: attachmentLinks.id });
    if (!removed.length) throw notFound("attachmentNotFound");
  });
  await deleteOrphanAttachments(db, scope.projectId);
}

/** Deletes the attachment everywhere, unless a signed-off schedule or an exported adjustment holds it. */
export async function deleteAttachment(db: Db, scope: ProjectActor, attachmentId: string) {
  const a = await requireAttachment(db, scope.projectId, attachmentId);
  const links = await db.select().from(attachmentLinks).where(eq(attachmentLinks.attachmentId, attachmentId));
  for (const l of links) await checkTarget(db, scope.projectId, l.account ? { account: l.account } : { adjustmentId: l.adjustmentId! });
  await db.delete(attachments).where(eq(attachments.id, attachmentId));
  await deleteBlob(db, a.blobId);
  return a;
}

/** Attachments that no account or adjustment holds any more, and their bytes. */
export async function deleteOrphanAttachments(db: DbOrTx, projectId: string) {
  const gone = await db
    .delete(attachments)
    .where(and(eq(attachments.projectId, projectId), sql`not exists (select 1 from attachment_links l where l.attachment_id = ${attachments.id})`))
    .returning({ blobId: attachments.blobId });
  if (gone.length) await db.delete(blobs).where(inArray(blobs.id, gone.map((g) => g.blobId)));
}

/** The attachment's facts and its bytes as a stream, for the download route. */
export async function openAttachment(db: Db, firmId: string, projectId: string, attachmentId: string) {
  const a = await requireAttachment(db, projectId, attachmentId);
  if (a.firmId !== firmId) throw notFound("attachmentNotFound");
  return { attachment: a, kind: a.kind as AttachmentKind, bytes: readBlob(db, firmId, a.blobId) };
}

