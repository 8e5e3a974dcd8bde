import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import type { JobProgress } from "@/lib/job-progress";
import { describeError } from "@/server/errors";
import { claimNextJob, completeJob, failJob, heartbeat, recoverStaleJobs, type Job, type JobKind } from "./queue";

export interface JobContext {
  db: Db;
  job: Job;
  /** Records progress; written to the job row by the heartbeat, so calling it often costs nothing. */
  progress(p: JobProgress): void;
}

export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown>>;

const HEARTBEAT_MS = 1_000;
/** A running job without a heartbeat for this long belongs to a dead process. */
export const STALE_MS = 30_000;
const MAX_ATTEMPTS = 3;

const handlers = new Map<JobKind, JobHandler>();

export function registerJobHandler(kind: JobKind, handler: JobHandler) {
  handlers.set(kind, handler);
}

export const processWorkerId = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Runs a job this worker has claimed, to its end: succeeded with a result, or failed with a message key. */
export async function runClaimedJob(db: Db, job: Job, workerId = processWorkerId): Promise<void> {
  const handler = handlers.get(job.kind);
  if (!handler) {
    await failJob(db, job.id, "internal");
    return;
  }
  let latest: JobProgress | undefined;
  let dirty = false;
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    const p = dirty ? latest : undefined;
    dirty = false;
    beating = heartbeat(db, job.id, workerId, p).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref?.();
  const ctx: JobContext = {
    db,
    job,
    progress(p) {
      latest = p;
      dirty = true;
    },
  };
  try {
    const result = await handler(ctx);
    clearInterval(timer);
    await beating;
    await completeJob(db, job.id, workerId, result);
  } catch (err) {
    clearInterval(timer);
    await beating;
    const { key, params } = describeError(err);
    if (key === "internal") console.error(`[jobs] ${job.kind} job ${job.id} failed:`, err instanceof Error ? `${err.message.slice(0, 300)} ${String((err as { cause?: unknown }).cause ?? "")}` : err);
    await failJob(db, job.id, key, params);
  }
}

/** Claims and runs one queued job; false when there was none. */
export async function workOnce(db: Db, kinds: JobKind[] = [...handlers.keys()], workerId = processWorkerId): Promise<boolean> {
  const job = await claimNextJob(db, workerId, kinds);
  if (!job) return false;
  await runClaimedJob(db, job, workerId);
  return true;
}

export async function recover(db: Db, staleMs = STALE_MS) {
  return recoverStaleJobs(db, staleMs, MAX_ATTEMPTS);
}

type WorkerState = { running: boolean; wake?: () => void; timer?: NodeJS.Timeout };
const WORKER = Symbol.for("skatt-bokslut.job-worker");
const g = globalThis as unknown as { [WORKER]?: WorkerState };

/**
 * The in-process worker of an app instance: runs queued jobs one at a time, wakes at once when this process
 * queues a job (kickWorker) and every few seconds otherwise, and re-queues jobs of processes that died.
 */
export function startWorker(getDb: () => Promise<Db>, opts: { pollMs?: number; staleMs?: number } = {}) {
  if (g[WORKER]) return;
  const state: WorkerState = { running: true };
  g[WORKER] = state;
  const pollMs = opts.pollMs ?? 3_000;
  // Shorter only in tests that kill a worker and wait for another to take its job over.
  const staleMs = opts.staleMs ?? STALE_MS;
  let lastRecover = 0;
  const loop = async () => {
    while (state.running) {
      try {
        const db = await getDb();
        if (Date.now() - lastRecover > staleMs / 3) {
          lastRecover = Date.now();
          await recover(db, staleMs);
        }
        if (await workOnce(db)) continue;
      } catch (err) {
        console.error("[jobs] worker loop:", err instanceof Error ? err.message : err);
      }
      await new Promise<void>((resolve) => {
        state.wake = resolve;
        state.timer = setTimeout(resolve, pollMs);
      });
      clearTimeout(state.timer);
    }
  };
  void loop();
}

export function kickWorker() {
  g[WORKER]?.wake?.();
}
