// Housekeeping on a timer, started next to the Fortnox keep-alive by server/worker.ts: file bytes nothing
// refers to any more (server/files/sweep.ts) and throttle rows that have gone quiet (server/auth/throttle.ts).
// Both are single statements that are safe with several app instances running them at once.

import { getDb } from "@/db/client";
import { pruneThrottle } from "@/server/auth/throttle";
import { sweepUnreferencedBlobs } from "@/server/files/sweep";

const KEY = Symbol.for("skatt-bokslut.maintenance");
type Holder = { [KEY]?: { timers: ReturnType<typeof setInterval>[] } };

export const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

export function startMaintenanceSchedule(opts: { intervalMs?: number; firstRunAfterMs?: number } = {}): void {
  const g = globalThis as Holder;
  if (g[KEY]) return;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const db = await getDb();
      const now = new Date();
      const [blobs, throttle] = [await sweepUnreferencedBlobs(db, now), await pruneThrottle(db, now)];
      if (blobs) console.info(`maintenance: ${blobs} unreferenced file(s) removed, ${throttle} throttle row(s) forgotten`);
    } catch (err) {
      console.error(`maintenance run failed: ${(err as Error)?.message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, opts.firstRunAfterMs ?? 5 * 60_000);
  const every = setInterval(run, opts.intervalMs ?? MAINTENANCE_INTERVAL_MS);
  // Never keep a process alive just for this.
  first.unref();
  every.unref();
  g[KEY] = { timers: [first, every] };
}
