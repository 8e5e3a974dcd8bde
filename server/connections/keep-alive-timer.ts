// A simple in-process timer for the keep-alive until the PostgreSQL job queue takes it over. Safe with several app
// instances: each refresh happens under the connection's database lock and is skipped when another instance did it.

import { getDb } from "@/db/client";
import { keepAliveConnections } from "./keep-alive";

const KEY = Symbol.for("skatt-bokslut.fortnox-keep-alive");
type Holder = { [KEY]?: { timers: ReturnType<typeof setInterval>[] } };

export const KEEP_ALIVE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function startKeepAliveSchedule(opts: { intervalMs?: number; firstRunAfterMs?: number } = {}): void {
  const g = globalThis as Holder;
  if (g[KEY]) return;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await keepAliveConnections(await getDb(), new Date());
      const total = r.refreshed.length + r.skipped.length + r.needsReconnect.length + r.failed.length;
      if (total) {
        console.info(`fortnox keep-alive: ${r.refreshed.length} refreshed, ${r.skipped.length} already fresh, ${r.needsReconnect.length} need reconnect, ${r.failed.length} failed`);
      }
    } catch (err) {
      console.error(`fortnox keep-alive run failed: ${(err as Error)?.message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, opts.firstRunAfterMs ?? 60_000);
  const every = setInterval(run, opts.intervalMs ?? KEEP_ALIVE_INTERVAL_MS);
  // Never keep a process alive just for this.
  first.unref();
  every.unref();
  g[KEY] = { timers: [first, every] };
}
