// A worker process for the crash tests: runs the queued export job and kills itself with SIGKILL at one point —
// e.g. right after Fortnox answered a POST and before the outbox recorded the answer. Env: DATABASE_URL or
// PGLITE_DIR, SANDBOX_URL, TENANT_ID, VOUCHERS, WITH_ATTACHMENTS, PREFIX, LEASE_MS, KILL_AT ("<hook>:<id>", the id
// being a voucher id for the voucher hooks and an attachment id for the others).
import { openDb } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { exportJobHandler } from "../job";
import type { ExportHooks } from "../types";
import { makeVouchers, MemorySource } from "./source";

const env = process.env;
const handle = await openDb(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.PGLITE_DIR });
const { api } = await sandboxApi(env.SANDBOX_URL!, Number(env.TENANT_ID), { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
const source = new MemorySource(makeVouchers(Number(env.VOUCHERS), { withAttachments: Number(env.WITH_ATTACHMENTS ?? 0), prefix: env.PREFIX }));
const [hook, id] = (env.KILL_AT ?? "").split(/:(.*)/s);
const die = () => {
  process.stdout.write(`killing at ${hook} ${id}\n`);
  process.kill(process.pid, "SIGKILL");
};
const hooks: ExportHooks = {
  afterVoucherPost: (e) => (hook === "afterVoucherPost" && e.voucherId === id ? die() : undefined),
  afterUpload: (e) => (hook === "afterUpload" && e.attachmentId === id ? die() : undefined),
  beforeConnect: (e) => (hook === "beforeConnect" && e.attachmentId === id ? die() : undefined),
  afterConnect: (e) => (hook === "afterConnect" && e.attachmentId === id ? die() : undefined),
};
registerJobHandler(
  "export",
  exportJobHandler({ fortnoxFor: async () => api, sourceFor: () => source, options: { leaseMs: Number(env.LEASE_MS ?? 120_000), settleMs: 10, attachmentConcurrency: 1, hooks } }),
);
await workOnce(handle.db, ["export"]);
process.stdout.write("done\n");
await handle.close();
