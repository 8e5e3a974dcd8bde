import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resultRows } from "@/db/client";
import { jobs } from "@/db/schema";
import type { JobProgress } from "@/lib/job-progress";
import { conflict } from "@/server/errors";

// A small job queue in PostgreSQL. Why not pg-boss: it needs a pool of real connections (LISTEN, advisory locks
// across sessions), and the zero-setup default here is PGlite, a single in-process connection. These few
// statements run on both, and the partial unique index on jobs gives "one import or export per project at a
// time" for free.

export type Job = typeof jobs.$inferSelect;
export type JobKind = Job["kind"];

export interface EnqueueInput {
  firmId: string;
  projectId: string | null;
  kind: JobKind;
  payload?: Record<string, unknown>;
  createdBy?: string | null;
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

/** Queues a job; a project that already has an active job answers CONFLICT (jobAlreadyActive). */
export async function enqueueJob(db: Db, input: EnqueueInput): Promise<Job> {
  try {
    const [job] = await db
      .insert(jobs)
      .values({ firmId: input.firmId, projectId: input.projectId, kind: input.kind, payload: input.payload ?? {}, createdBy: input.createdBy ?? null })
      .returning();
    return job;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("jobAlreadyActive");
    throw err;
  }
}

/** Takes the oldest queued job of the given kinds; two workers never take the same one. */
export async function claimNextJob(db: Db, workerId: string, kinds: JobKind[]): Promise<Job | null> {
  if (!kinds.length) return null;
  const kindList = sql.join(kinds.map((k) => sql`${k}`), sql`, `);
  const rows = resultRows<{ id: string }>(
    await db.execute(sql`
      update jobs set state = 'running', locked_by = ${workerId}, attempts = attempts + 1,
        started_at = coalesce(started_at, now()), heartbeat_at = now()
      where id = (
        select id from jobs where state = 'queued' and kind::text in (${kindList})
        order by created_at limit 1 for update skip locked
      )
      returning id`),
  );
  if (!rows.length) return null;
  return getJob(db, rows[0].id);
}

export async function getJob(db: Db, jobId: string): Promise<Job | null> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  return job ?? null;
}

/** Progress and liveness; only the worker holding the job may write (a job taken over by another is left alone). */
export async function heartbeat(db: Db, jobId: string, workerId: string, progress?: JobProgress): Promise<boolean> {
  const set: Partial<typeof jobs.$inferInsert> = { heartbeatAt: new Date() };
  if (progress) set.progress = progress;
  const rows = await db
    .update(jobs)
    .set(set)
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.state, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function completeJob(db: Db, jobId: string, workerId: string, result: Record<string, unknown>) {
  await db
    .update(jobs)
    .set({ state: "succeeded", result, finishedAt: new Date(), heartbeatAt: new Date() })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId)));
}

export async function failJob(db: Db, jobId: string, errorKey: string, errorParams: Record<string, string | number> = {}) {
  await db
    .update(jobs)
    .set({ state: "failed", errorKey, errorParams, finishedAt: new Date() })
    .where(and(eq(jobs.id, jobId), inArray(jobs.state, ["queued", "running"])));
}

/**
 * Jobs whose process died (no heartbeat for `staleMs`): queued again to be resumed while attempts remain,
 * otherwise failed with "jobInterrupted". Each kind's handler must be safe to run again from the start.
 */
export async function recoverStaleJobs(db: Db, staleMs: number, maxAttempts: number): Promise<{ requeued: string[]; failed: string[] }> {
  const cutoff = new Date(Date.now() - staleMs);
  const stale = await db
    .select({ id: jobs.id, attempts: jobs.attempts })
    .from(jobs)
    .where(and(eq(jobs.state, "running"), lt(jobs.heartbeatAt, cutoff)));
  const requeued: string[] = [];
  const failed: string[] = [];
  for (const j of stale) {
    if (j.attempts < maxAttempts) {
      const r = await db
        .update(jobs)
        .set({ state: "queued", lockedBy: null })
        .where(and(eq(jobs.id, j.id), eq(jobs.state, "running"), lt(jobs.heartbeatAt, cutoff)))
        .returning({ id: jobs.id });
      if (r.length) requeued.push(j.id);
    } else {
      const r = await db
        .update(jobs)
        .set({ state: "failed", errorKey: "jobInterrupted", errorParams: {}, finishedAt: new Date() })
        .where(and(eq(jobs.id, j.id), eq(jobs.state, "running"), lt(jobs.heartbeatAt, cutoff)))
        .returning({ id: jobs.id });
      if (r.length) failed.push(j.id);
    }
  }
  return { requeued, failed };
}

/** The project's newest job of a kind (active or finished), for the progress bar after a page reload. */
export async function latestJob(db: Db, projectId: string, kind: JobKind): Promise<Job | null> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.projectId, projectId), eq(jobs.kind, kind)))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  return job ?? null;
}
