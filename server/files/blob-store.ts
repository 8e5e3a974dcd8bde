import { createHash } from "node:crypto";
import { and, asc, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { blobChunks, blobs } from "@/db/schema";

// File bytes in PostgreSQL, in chunks: a 100 MB upload streams in and out without ever being one buffer, and
// every app instance sharing the database can read it. Swap this module for object storage when needed.

export const CHUNK_BYTES = 1024 * 1024;

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
  }
}

export interface WriteBlobOptions {
  maxBytes: number;
  /** Sees the first bytes before anything is stored; throw to refuse the file (a sniffed type check). */
  inspectHead?: (head: Uint8Array) => void;
  /** How many bytes to collect for inspectHead (default 4096, or less if the file is shorter). */
  headBytes?: number;
}

/** Streams `source` into a new blob. On any error the partial blob is deleted and the error rethrown. */
export async function writeBlob(db: Db, firmId: string, source: AsyncIterable<Uint8Array>, opts: WriteBlobOptions) {
  const headBytes = opts.headBytes ?? 4096;
  const hash = createHash("sha256");
  let blobId: string | null = null;
  let seq = 0;
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let inspected = !opts.inspectHead;

  const flush = async (all: boolean) => {
    while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
      const joined = Buffer.concat(pending);
      const take = Math.min(CHUNK_BYTES, joined.length);
      if (!blobId) {
        const [row] = await db.insert(blobs).values({ firmId }).returning({ id: blobs.id });
        blobId = row.id;
      }
      await db.insert(blobChunks).values({ blobId, seq: seq++, data: joined.subarray(0, take) });
      const rest = joined.subarray(take);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
    }
  };

  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > opts.maxBytes) throw new BlobTooLargeError(opts.maxBytes);
      hash.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (!inspected && pendingBytes >= headBytes) {
        opts.inspectHead!(Buffer.concat(pending).subarray(0, headBytes));
        inspected = true;
      }
      if (inspected) await flush(false);
    }
    if (!inspected) opts.inspectHead!(Buffer.concat(pending));
    await flush(true);
    if (!blobId) {
      const [row] = await db.insert(blobs).values({ firmId }).returning({ id: blobs.id });
      blobId = row.id;
    }
    const digest = hash.digest("hex");
    await db.update(blobs).set({ size, sha256: digest, completedAt: new Date() }).where(eq(blobs.id, blobId));
    return { id: blobId as string, size, sha256: digest };
  } catch (err) {
    if (blobId) await db.delete(blobs).where(eq(blobs.id, blobId)).catch(() => {});
    throw err;
  }
}

/** The blob's bytes, one stored chunk at a time. */
export async function* readBlob(db: Db, firmId: string, blobId: string): AsyncGenerator<Uint8Array> {
  const [blob] = await db.select({ id: blobs.id }).from(blobs).where(and(eq(blobs.id, blobId), eq(blobs.firmId, firmId)));
  if (!blob) throw new Error(`blob ${blobId} not found`);
  let seq = -1;
  for (;;) {
    const rows = await db
      .select({ seq: blobChunks.seq, data: blobChunks.data })
      .from(blobChunks)
      .where(and(eq(blobChunks.blobId, blobId), gt(blobChunks.seq, seq)))
      .orderBy(asc(blobChunks.seq))
      .limit(4);
    if (!rows.length) return;
    for (const r of rows) {
      seq = r.seq;
      yield r.data;
    }
  }
}

export async function deleteBlob(db: Db, blobId: string) {
  await db.delete(blobs).where(eq(blobs.id, blobId));
}

/** Uploads cut off by a crash never completed; drop them after a grace period. */
export async function deleteIncompleteBlobs(db: Db, olderThan: Date) {
  await db.delete(blobs).where(and(isNull(blobs.completedAt), lt(blobs.createdAt, olderThan)));
}
