// A worker process for the crash test: runs one import job and reports its progress on stdout, so the test can
// kill it (SIGKILL) in the middle of writing the year. Env: DATABASE_URL or PGLITE_DIR, SANDBOX_URL, TENANT_ID.
import { openDb } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { importJobHandler } from "@/server/import/job";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";

const handle = await openDb(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: process.env.PGLITE_DIR });
const { api } = await sandboxApi(process.env.SANDBOX_URL!, Number(process.env.TENANT_ID), { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
const real = importJobHandler({ fortnoxFor: async () => api });
registerJobHandler("import", (ctx) =>
  real({ ...ctx, progress: (p) => (ctx.progress(p), process.stdout.write(`${JSON.stringify(p)}\n`)) }),
);
await workOnce(handle.db, ["import"]);
process.stdout.write("done\n");
await handle.close();
