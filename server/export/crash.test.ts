import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DbHandle } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { getJob, recoverStaleJobs } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import type { SandboxServer } from "@/server/sandbox/server";
import { start } from "@/server/sandbox/testing/helpers";
import { sharedDbTargets } from "@/server/testing/crash-db";
import { firmWithData } from "@/server/testing/fixtures";
import { exportJobHandler, startExport } from "./job";
import * as outbox from "./outbox";
import { expectExactlyOnce, makeVouchers, MemorySource, sandboxTruth, TENANT, withListSettings, YEAR } from "./testing/harness";

// The process running an export dies (SIGKILL) at the worst moments: right after Fortnox answered a POST and
// before the outbox recorded the answer, between an upload and its connection. The next worker resolves what the
// dead one left by looking it up, and the sandbox ends with every voucher and file exactly once.

const targets = withListSettings(sharedDbTargets("xcrash"));

function runChild(env: Record<string, string>) {
  return new Promise<{ signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/export/testing/crash-child.ts"], {
      env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (_code, signal) => resolve({ signal, out }));
  });
}

const N = 3;
const LEASE_MS = 1_000;

describe.each(targets)("an export killed mid-way on $name, $lists", (target) => {
  let sandbox: SandboxServer;
  let handle: DbHandle;
  let open: () => Promise<DbHandle>;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await start({ currentYear: YEAR, vouchers: { [TENANT]: 100 }, voucherListComments: target.voucherListComments });
    ({ open, env, cleanup } = await target.setup());
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
    await sandbox?.close();
  });

  /** Queues the export, lets a child run it until it kills itself at `killAt`, and reopens the database. */
  async function crashAt(killAt: string, label: string) {
    const f = await firmWithData(handle.db, label, "5566778899");
    const prefix = `${label}-`;
    const vouchers = makeVouchers(N, { withAttachments: 1, prefix });
    const { job } = await startExport(handle.db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, { voucherIds: vouchers.map((v) => v.id), series: "B" });
    const before = await sandboxTruth(sandbox.url);
    if (target.exclusive) await handle.close();
    const run = await runChild({
      ...env, SANDBOX_URL: sandbox.url, TENANT_ID: String(TENANT), VOUCHERS: String(N), WITH_ATTACHMENTS: "1", PREFIX: prefix,
      LEASE_MS: String(LEASE_MS), KILL_AT: killAt.replace("%", prefix),
    });
    expect(run.signal).toBe("SIGKILL");
    expect(run.out).toContain("killing at");
    if (target.exclusive) handle = await open();
    const db = handle.db;
    expect((await getJob(db, job!.id))!.state).toBe("running");
    const items = await outbox.itemsOfProject(db, f.project.id);
    return { f, vouchers, job: job!, before, items, db };
  }

  /** The next worker takes the dead one's job and finishes it. */
  async function resume(db: DbHandle["db"], jobId: string, vouchers: ReturnType<typeof makeVouchers>) {
    const source = new MemorySource(vouchers);
    const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
    registerJobHandler("export", exportJobHandler({ fortnoxFor: async () => api, sourceFor: () => source, options: { settleMs: 10, leaseMs: LEASE_MS } }));
    expect((await recoverStaleJobs(db, 0, 3)).requeued).toContain(jobId);
    expect(await workOnce(db, ["export"])).toBe(true);
    const job = (await getJob(db, jobId))!;
    expect(job.errorKey).toBeNull();
    expect(job.state).toBe("succeeded");
    return { job };
  }

  test("killed between Fortnox's answer to a voucher POST and our commit: found by marker, not sent again", { timeout: 90_000 }, async () => {
    const { f, vouchers, job, before, items, db } = await crashAt("afterVoucherPost:%2", "kpost");
    // The dead worker's state: v1 done, v2 in Fortnox but `sending` here, v3 untouched.
    expect(items.map((i) => i.state)).toEqual(["exported", "sending", "queued"]);
    const mid = await sandboxTruth(sandbox.url);
    expect(mid.byMarker.get(items[1].marker)).toHaveLength(1);

    const { job: done } = await resume(db, job.id, vouchers);
    expect(done.result).toMatchObject({ resolvedByLookup: 1, duplicatesFound: 0, pending: 0 });
    const truth = await sandboxTruth(sandbox.url);
    const { items: after } = await expectExactlyOnce(db, f.project.id, vouchers, truth);
    expect(after.map((i) => [i.sendAttempts, i.lookups])).toEqual([[1, 0], [1, 1], [1, 0]]);
    expect(truth.files - before.files).toBe(1);
  });

  test("killed after an upload was answered, before its file id was stored: uploaded again, connected once", { timeout: 90_000 }, async () => {
    const { f, vouchers, job, before, items, db } = await crashAt("afterUpload:%1-a1", "kupl");
    const [att] = await outbox.attachmentsOf(db, [items[0].id]);
    expect(att).toMatchObject({ state: "uploading", fortnoxFileId: null });
    expect((await sandboxTruth(sandbox.url)).files - before.files).toBe(1);

    await resume(db, job.id, vouchers);
    const truth = await sandboxTruth(sandbox.url);
    const { atts } = await expectExactlyOnce(db, f.project.id, vouchers, truth);
    expect(atts[0]).toMatchObject({ uploadAttempts: 2, strayUploads: 1, connectAttempts: 1 });
    // The lost upload stays as an unconnected copy in the inbox (the documented API cannot list it); counted.
    expect(truth.files - before.files).toBe(2);
  });

  test("killed between storing the file id and connecting: not uploaded again", { timeout: 90_000 }, async () => {
    const { f, vouchers, job, before, items, db } = await crashAt("beforeConnect:%1-a1", "kcon");
    const [att] = await outbox.attachmentsOf(db, [items[0].id]);
    expect(att.state).toBe("connecting");
    expect(att.fortnoxFileId).not.toBeNull();

    await resume(db, job.id, vouchers);
    const truth = await sandboxTruth(sandbox.url);
    const { atts } = await expectExactlyOnce(db, f.project.id, vouchers, truth);
    expect(atts[0]).toMatchObject({ uploadAttempts: 1, strayUploads: 0, lookups: 1, fortnoxFileId: att.fortnoxFileId });
    expect(truth.files - before.files).toBe(1);
  });

  test("killed after Fortnox connected the file, before our commit: the connection is found, not repeated", { timeout: 90_000 }, async () => {
    const { f, vouchers, job, before, items, db } = await crashAt("afterConnect:%1-a1", "kaft");
    const [att] = await outbox.attachmentsOf(db, [items[0].id]);
    expect(att.state).toBe("connecting");
    expect((await sandboxTruth(sandbox.url)).connections.filter((c) => c.fileId === att.fortnoxFileId)).toHaveLength(1);

    await resume(db, job.id, vouchers);
    const truth = await sandboxTruth(sandbox.url);
    const { atts } = await expectExactlyOnce(db, f.project.id, vouchers, truth);
    expect(atts[0]).toMatchObject({ uploadAttempts: 1, connectAttempts: 1, lookups: 1 });
    expect(truth.files - before.files).toBe(1);
  });
});
