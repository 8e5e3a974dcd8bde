import { and, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { blobs } from "@/db/schema";
import { unreferencedBlob } from "./references";

/**
 * Bytes stay this long before the sweep may take them: an upload is written before what refers to it (the
 * attachment row, the queued import job), and a 100 MB upload over a slow line takes a while.
 */
export const BLOB_GRACE_MS = 24 * 3600 * 1000;

/**
 * Deletes blobs older than the grace period that nothing refers to: uploads cut off by a crash, the file of an import
 * whose clean-up failed, anything a deletion missed. Returns how many went.
 */
export async function sweepUnreferencedBlobs(db: Db, now = new Date(), graceMs = BLOB_GRACE_MS): Promise<number> {
  const gone = await db
    .delete(blobs)
    .where(and(lt(blobs.createdAt, new Date(now.getTime() - graceMs)), unreferencedBlob))
    .returning({ id: blobs.id });
  return gone.length;
}
