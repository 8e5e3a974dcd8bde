import { spawn } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resultRows, toNumber } from "@/db/client";
import { imports, rowsPartition, vouchersPartition } from "@/db/schema";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { getJob, recoverStaleJobs } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import type { SandboxServer } from "@/server/sandbox/server";
import { start } from "@/server/sandbox/testing/helpers";
import { sharedDbTargets } from "@/server/testing/crash-db";
import { firmWithData } from "@/server/testing/fixtures";
import { importJobHandler } from "./job";
import { importState, startFortnoxImport } from "./project-imports";
import { sandboxApi } from "./testing/sandbox-api";

// The process running an import is killed (SIGKILL) while it writes the year: the previous import stays visible,
// the job is resumed, and the half-written rows of the dead attempt are gone.

const TENANT = 1_234_567;

const targets = sharedDbTargets("crash");

function runChildUntilKilled(env: Record<string, string>, killWhen: (p: { step: string; done: number }) => boolean) {
  return new Promise<{ killed: boolean; lastProgress: { step: string; done: number } | null }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/import/testing/crash-child.ts"], {
      env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let buf = "";
    let last: { step: string; done: number } | null = null;
    let killed = false;
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith("{")) continue;
        last = JSON.parse(line);
        if (!killed && killWhen(last!)) {
          killed = true;
          child.kill("SIGKILL");
        }
      }
    });
    child.on("error", reject);
    child.on("exit", () => resolve({ killed, lastProgress: last }));
  });
}

describe.each(targets)("an import killed mid-way on $name", (target) => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await start({ currentYear: 2026, vouchers: { [TENANT]: 30_000 } });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  test("is resumed cleanly: the old year stays visible until the new one is complete", { timeout: 120_000 }, async () => {
    const { open, env, cleanup } = await target.setup();
    try {
      let handle = await open();
      const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
      registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
      const f = await firmWithData(handle.db, "crash", "5566778899");
      const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
      await startFortnoxImport(handle.db, ref, "fortnox");
      await workOnce(handle.db, ["import"]);
      const before = (await importState(handle.db, f.project.id)).current!;
      expect(before.counts.vouchers).toBeGreaterThan(10_000);

      const job = await startFortnoxImport(handle.db, ref, "fortnox");
      if (target.exclusive) await handle.close();
      const run = await runChildUntilKilled({ ...env, SANDBOX_URL: sandbox.url, TENANT_ID: String(TENANT) }, (p) => p.step === "sie" && p.done >= 10_000);
      expect(run.killed).toBe(true);
      if (target.exclusive) handle = await open();
      const db = handle.db;

      // Dead mid-write: the job still says running, the half import is invisible, the old year is what readers see.
      expect((await getJob(db, job.id))!.state).toBe("running");
      expect((await importState(db, f.project.id)).current!.id).toBe(before.id);
      // Its vouchers and rows sit in tables of their own, not attached: no reader can see them.
      const [dead] = await db.select({ id: imports.id }).from(imports).where(and(eq(imports.jobId, job.id), eq(imports.status, "running")));
      const [half] = resultRows<{ v: unknown; r: unknown }>(await db.execute(sql`
        select (select count(*) from ${sql.identifier(vouchersPartition(dead.id))}) as v, (select count(*) from ${sql.identifier(rowsPartition(dead.id))}) as r`));
      expect(toNumber(half.v)).toBeGreaterThan(0);
      expect(toNumber(half.r)).toBeGreaterThan(0);
      const [visible] = resultRows<{ n: unknown }>(await db.execute(sql`select count(*) as n from ledger_vouchers where import_id = ${dead.id}`));
      expect(toNumber(visible.n)).toBe(0);

      // Its heartbeat stops; the job is taken up again and completes.
      const recovered = await recoverStaleJobs(db, 0, 3);
      expect(recovered.requeued).toContain(job.id);
      expect(await workOnce(db, ["import"])).toBe(true);
      expect((await getJob(db, job.id))!.state).toBe("succeeded");
      const after = (await importState(db, f.project.id)).current!;
      expect(after.id).not.toBe(before.id);
      expect(after.counts).toEqual(before.counts);
      expect(after.diff).toMatchObject({ newVouchers: 0, changedVouchers: 0, removedVouchers: 0 });
      const [left] = resultRows<{ n: unknown }>(await db.execute(sql`
        select count(*) as n from ledger_rows r join imports i on i.id = r.import_id where not i.is_current`));
      expect(toNumber(left.n)).toBe(0);
      // The dead attempt's own tables are gone too.
      const tables = resultRows<{ tablename: string }>(await db.execute(sql`
        select tablename from pg_tables where (tablename like 'ledger\_rows\_%' or tablename like 'ledger\_vouchers\_%') and tablename not in (
          select t || replace(id::text, '-', '') from imports, unnest(array['ledger_rows_', 'ledger_vouchers_']) t where is_current)`));
      expect(tables).toEqual([]);
      await handle.close();
    } finally {
      await cleanup();
    }
  });
});
