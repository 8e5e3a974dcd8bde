// One app instance's job worker, for the test of several workers on one PostgreSQL (server/import/two-workers.test.ts):
// the real worker loop (claim, heartbeat, recovery of dead workers' jobs) with the import handler against the
// sandbox. Prints "ready <worker id>" once, then each progress report as a JSON line with its worker and job.
// Env: DATABASE_URL, SANDBOX_URL, TENANT_ID, STALE_MS.
import { openDb } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { importJobHandler } from "@/server/import/job";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { processWorkerId, registerJobHandler, startWorker } from "@/server/jobs/runner";

const handle = await openDb({ url: process.env.DATABASE_URL });
const { api } = await sandboxApi(process.env.SANDBOX_URL!, Number(process.env.TENANT_ID), { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
const real = importJobHandler({ fortnoxFor: async () => api });
registerJobHandler("import", (ctx) =>
  real({
    ...ctx,
    progress: (p) => {
      ctx.progress(p);
      process.stdout.write(`${JSON.stringify({ worker: processWorkerId, jobId: ctx.job.id, ...p })}\n`);
    },
  }),
);
startWorker(async () => handle.db, { pollMs: 100, staleMs: Number(process.env.STALE_MS) });
process.stdout.write(`ready ${processWorkerId}\n`);
