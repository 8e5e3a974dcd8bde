import { and, desc, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { activityLog } from "@/db/schema";

export type ActivityOutcome = "success" | "failure" | "info";

export interface ActivityEntry {
  firmId: string;
  clientId?: string | null;
  projectId?: string | null;
  /** Null when the system acted on its own (scheduled jobs). */
  userId?: string | null;
  /** A stable dotted name, translated in the UI: "project.created", "fortnox.connected" … */
  action: string;
  outcome: ActivityOutcome;
  /** Facts for the reader. Never tokens, passwords or raw Fortnox bodies. */
  details?: Record<string, unknown>;
}

const SECRET_KEYS = /token|secret|password|authorization|code_verifier/i;

/** The one way every feature writes the activity log; strips anything that looks like a secret. */
export async function logActivity(db: DbOrTx, entry: ActivityEntry): Promise<void> {
  const details: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry.details ?? {})) {
    if (!SECRET_KEYS.test(k)) details[k] = v;
  }
  await db.insert(activityLog).values({
    firmId: entry.firmId,
    clientId: entry.clientId ?? null,
    projectId: entry.projectId ?? null,
    userId: entry.userId ?? null,
    action: entry.action,
    outcome: entry.outcome,
    details,
  });
}

export async function listProjectActivity(db: DbOrTx, projectId: string, opts: { limit?: number; before?: Date } = {}) {
  const where = opts.before
    ? and(eq(activityLog.projectId, projectId), lt(activityLog.createdAt, opts.before))
    : eq(activityLog.projectId, projectId);
  return db
    .select()
    .from(activityLog)
    .where(where)
    .orderBy(desc(activityLog.createdAt))
    .limit(Math.min(opts.limit ?? 100, 500));
}
