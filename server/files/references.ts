import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { attachments, blobs, jobs } from "@/db/schema";

// Who holds file bytes: an attachment, or an import job that has not run yet (its uploaded SIE file, `blobId` in the
// payload; a job deletes its file when it ends). Deletions and the sweep both go by this list.

/** The blobs that the given projects own. */
export async function blobIdsOfProjects(db: DbOrTx, projectIds: string[]): Promise<string[]> {
  if (!projectIds.length) return [];
  const [held, queued] = await Promise.all([
    db.select({ id: attachments.blobId }).from(attachments).where(inArray(attachments.projectId, projectIds)),
    db
      .select({ id: sql<string | null>`${jobs.payload}->>'blobId'` })
      .from(jobs)
      .where(inArray(jobs.projectId, projectIds)),
  ]);
  return [...new Set([...held, ...queued].map((r) => r.id).filter((id): id is string => !!id))];
}

/** SQL: the blob row in scope is referenced by nothing that still needs it. */
export const unreferencedBlob = sql`not exists (select 1 from ${attachments} a where a.blob_id = ${blobs.id})
  and not exists (select 1 from ${jobs} j where j.state in ('queued', 'running') and j.payload->>'blobId' = ${blobs.id}::text)`;

export async function deleteBlobs(db: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length) await db.delete(blobs).where(inArray(blobs.id, ids));
}
