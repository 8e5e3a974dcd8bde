import { type ChildProcess, spawn } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Db, resultRows, toNumber } from "@/db/client";
import { imports, jobs } from "@/db/schema";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { enqueueJob, getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import type { SandboxServer } from "@/server/sandbox/server";
import { start } from "@/server/sandbox/testing/helpers";
import { sharedDbTargets } from "@/server/testing/crash-db";
import { firmWithData } from "@/server/testing/fixtures";
import { importJobHandler, type ImportJobPayload } from "./job";
import { sandboxApi } from "./testing/sandbox-api";

// Several app instances share one queue in PostgreSQL. Two worker processes run the real worker loop; the one that
// claims the import is killed (SIGKILL) while it writes the year, and the other takes the job over once its
// heartbeat is stale and finishes it: one succeeded job, the year written once, nothing of the dead attempt left.
// PostgreSQL only: PGlite is one process's database.

const TENANT = 1_234_567;
/** Staleness for the workers under test: far above their 1 s heartbeat, far below the production 30 s. */
const STALE_MS = 5_000;
const postgres = sharedDbTargets("workers").filter((t) => !t.exclusive);

type Progress = { worker: string; jobId: string; step: string; done: number };

interface Worker {
  child: ChildProcess;
  id: Promise<string>;
  progress: Progress[];
  exited: Promise<void>;
  onProgress?: (p: Progress) => void;
}

function startWorkerProcess(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "server/import/testing/worker-child.ts"], {
    env: { ...process.env, ...env, STALE_MS: String(STALE_MS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let ready!: (id: string) => void;
  const w: Worker = { child, id: new Promise((r) => (ready = r)), progress: [], exited: new Promise((r) => child.on("exit", () => r())) };
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith("ready ")) ready(line.slice(6));
      else if (line.startsWith("{")) {
        const p = JSON.parse(line) as Progress;
        w.progress.push(p);
        w.onProgress?.(p);
      }
    }
  });
  return w;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const countOf = async (db: Db, query: ReturnType<typeof sql>) => toNumber(resultRows<{ n: unknown }>(await db.execute(query))[0].n);

describe.skipIf(!postgres.length)("two worker processes on one PostgreSQL", () => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await start({ currentYear: 2026, vouchers: { [TENANT]: 30_000 } });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  test("the worker holding an import is killed mid-write: the other finishes the job, exactly once", { timeout: 240_000 }, async () => {
    const { open, env, cleanup } = await postgres[0].setup();
    const workers: Worker[] = [];
    try {
      const handle = await open();
      const db = handle.db;
      const f = await firmWithData(db, "workers", "5566778899");
      const enqueue = () =>
        enqueueJob(db, { firmId: f.firm.id, projectId: f.project.id, kind: "import", createdBy: f.user.id, payload: { source: "fortnox" } satisfies ImportJobPayload });

      // The same year imported once in this process: what a complete import holds.
      const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
      registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
      const reference = await enqueue();
      await workOnce(db, ["import"]);
      expect((await getJob(db, reference.id))!.state).toBe("succeeded");
      const [refImport] = await db.select().from(imports).where(and(eq(imports.jobId, reference.id), eq(imports.isCurrent, true)));
      expect(refImport.counts.vouchers).toBeGreaterThan(10_000);

      const childEnv = { ...env, SANDBOX_URL: sandbox.url, TENANT_ID: String(TENANT) };
      workers.push(startWorkerProcess(childEnv), startWorkerProcess(childEnv));
      const ids = await Promise.all(workers.map((w) => w.id));
      expect(new Set(ids).size).toBe(2);

      // Whichever worker claims the job is killed once it has written a good part of the year.
      let victim: Worker | null = null;
      const killed = new Promise<void>((resolve) => {
        for (const w of workers) {
          w.onProgress = (p) => {
            if (!victim && p.step === "sie" && p.done >= 10_000) {
              victim = w;
              w.child.kill("SIGKILL");
              resolve();
            }
          };
        }
      });
      const job = await enqueue();
      await killed;
      await victim!.exited;
      const survivor = workers.find((w) => w !== victim)!;
      const victimId = await victim!.id;
      const survivorId = await survivor.id;
      // The dead worker held it: the survivor had not touched it before the kill.
      expect(victim!.progress.every((p) => p.jobId === job.id && p.worker === victimId)).toBe(true);
      const held = (await getJob(db, job.id))!;
      expect(held.lockedBy).toBe(victimId);

      const done = await until("the job to finish", async () => {
        const j = await getJob(db, job.id);
        return j && (j.state === "succeeded" || j.state === "failed") ? j : null;
      }, 150_000);
      expect(done.state).toBe("succeeded");
      expect(done.lockedBy).toBe(survivorId);
      expect(done.attempts).toBe(2);
      expect(survivor.progress.some((p) => p.jobId === job.id && p.step === "sie")).toBe(true);

      // Exactly once: two succeeded jobs in all (the reference and this one), nothing queued, running or failed.
      const states = await db.select({ id: jobs.id, state: jobs.state }).from(jobs).where(eq(jobs.projectId, f.project.id));
      expect(states.map((j) => j.state).sort()).toEqual(["succeeded", "succeeded"]);

      // The year is complete and written once: one current import, from this job, with the reference's figures.
      const current = await db.select().from(imports).where(and(eq(imports.projectId, f.project.id), eq(imports.isCurrent, true)));
      expect(current.map((i) => [i.jobId, i.status])).toEqual([[job.id, "published"]]);
      expect(current[0].counts).toEqual(refImport.counts);
      expect(current[0].diff).toMatchObject({ newVouchers: 0, changedVouchers: 0, removedVouchers: 0 });
      const id = current[0].id;
      expect(await countOf(db, sql`select count(*) as n from ledger_vouchers where import_id = ${id}`)).toBe(refImport.counts.vouchers);
      expect(await countOf(db, sql`select count(*) as n from (select distinct series, number from ledger_vouchers where import_id = ${id}) v`)).toBe(
        refImport.counts.vouchers,
      );
      expect(await countOf(db, sql`select count(*) as n from ledger_rows where import_id = ${refImport.id}`)).toBe(0);
      expect(await countOf(db, sql`select count(*) as n from ledger_rows where import_id = ${id}`)).toBe(
        await countOf(db, sql`select count(*) as n from ledger_rows r join imports i on i.id = r.import_id`),
      );
      // Nothing of the dead attempt: no rows outside the current import, no partition tables of its own.
      const tables = resultRows<{ tablename: string }>(await db.execute(sql`
        select tablename from pg_tables where (tablename like 'ledger\_rows\_%' or tablename like 'ledger\_vouchers\_%') and tablename not in (
          select t || replace(id::text, '-', '') from imports, unnest(array['ledger_rows_', 'ledger_vouchers_']) t where is_current)`));
      expect(tables).toEqual([]);
      await handle.close();
    } finally {
      for (const w of workers) w.child.kill("SIGKILL");
      await Promise.all(workers.map((w) => w.exited));
      await cleanup();
    }
  });
});
