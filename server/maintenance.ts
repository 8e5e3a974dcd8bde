// Housekeeping, run hourly by server/worker.ts next to the Fortnox keep-alive: file bytes nothing refers to any
// more (server/files/sweep.ts) and throttle rows that have gone quiet (server/auth/throttle.ts). Both are single
// statements that are safe with several app instances running them at once.

import { getDb } from "@/db/client";
import { pruneThrottle } from "@/server/auth/throttle";
import { sweepUnreferencedBlobs } from "@/server/files/sweep";

export const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

export async function runMaintenance(): Promise<void> {
  const db = await getDb();
  const now = new Date();
  const [blobs, throttle] = [await sweepUnreferencedBlobs(db, now), await pruneThrottle(db, now)];
  if (blobs) console.info(`maintenance: ${blobs} unreferenced file(s) removed, ${throttle} throttle row(s) forgotten`);
}
