// Keeps connections alive: a refresh token unused for 31 days dies (docs/fortnox-api.md §1), and with it the connection.
// Every connection whose refresh token would expire within 7 days is refreshed now, under the same lock as every
// other refresh, so a keep-alive in one process and an import in another never spend the same refresh token.

import { and, eq, isNotNull, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fortnoxConnections } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import { ConnectionNeedsReconnectError } from "@/server/fortnox/token-manager";
import { fortnoxErrorKey } from "./errors";
import { defaultConnectionRuntime, type ConnectionRuntime } from "./runtime";
import { decryptRefreshToken } from "./token-store";

export const KEEP_ALIVE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface KeepAliveResult {
  refreshed: string[];
  /** Already refreshed by someone else between our query and our lock. */
  skipped: string[];
  needsReconnect: string[];
  /** Transient failures (network, 5xx): tried again at the next run, the refresh token is still the old one. */
  failed: string[];
}

export async function keepAliveConnections(db: Db, now: Date = new Date(), runtime: ConnectionRuntime = defaultConnectionRuntime()): Promise<KeepAliveResult> {
  const due = await db
    .select()
    .from(fortnoxConnections)
    .where(
      and(
        eq(fortnoxConnections.status, "connected"),
        eq(fortnoxConnections.kind, "user"),
        isNotNull(fortnoxConnections.refreshTokenEnc),
        lte(fortnoxConnections.refreshTokenExpiresAt, new Date(now.getTime() + KEEP_ALIVE_WINDOW_MS)),
      ),
    );
  const result: KeepAliveResult = { refreshed: [], skipped: [], needsReconnect: [], failed: [] };
  const manager = runtime.tokenManager(db);
  // One at a time: a handful of connections per run, and the OAuth endpoint has no reason to see a burst.
  for (const row of due) {
    // An unreadable token goes through the manager too: it turns "no credentials" into needs_reconnect.
    const seen = decryptRefreshToken(runtime.cipher, row) ?? "";
    try {
      // Re-checked under the lock: skipped when another process rotated the refresh token meanwhile.
      const wasRefreshed = await manager.refreshIfUnchanged(row.id, seen);
      (wasRefreshed ? result.refreshed : result.skipped).push(row.id);
      if (wasRefreshed) {
        await logActivity(db, {
          firmId: row.firmId,
          clientId: row.clientId,
          action: "fortnox.keepAlive",
          outcome: "success",
          details: { company: row.companyName ?? "" },
        });
      }
    } catch (err) {
      if (err instanceof ConnectionNeedsReconnectError) {
        // The token store already marked the connection and wrote "fortnox.refreshFailed".
        result.needsReconnect.push(row.id);
        continue;
      }
      result.failed.push(row.id);
      const key = fortnoxErrorKey(err);
      await db.update(fortnoxConnections).set({ lastErrorKey: key, updatedAt: now }).where(eq(fortnoxConnections.id, row.id));
      await logActivity(db, {
        firmId: row.firmId,
        clientId: row.clientId,
        action: "fortnox.keepAlive",
        outcome: "failure",
        details: { company: row.companyName ?? "", error: key },
      });
    }
  }
  return result;
}

/** How often server/worker.ts runs the keep-alive. */
export const KEEP_ALIVE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** One keep-alive round over every connection, with a line in the log when it did anything. */
export async function runKeepAlive(db: Db): Promise<void> {
  const r = await keepAliveConnections(db, new Date());
  if (r.refreshed.length + r.skipped.length + r.needsReconnect.length + r.failed.length) {
    console.info(`fortnox keep-alive: ${r.refreshed.length} refreshed, ${r.skipped.length} already fresh, ${r.needsReconnect.length} need reconnect, ${r.failed.length} failed`);
  }
}
