import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDb, type Db, type DbHandle } from "@/db/client";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import type { SandboxServer } from "@/server/sandbox/server";
import { control, start } from "@/server/sandbox/testing/helpers";
import { firmWithData } from "@/server/testing/fixtures";
import { importJobHandler } from "./job";
import { importState, startFortnoxImport } from "./project-imports";
import { sandboxApi } from "./testing/sandbox-api";

// Fortnox builds the SIE file before it sends the first byte; for a big year that takes minutes. The import must
// wait (not time out after the client's usual 30 s, not send the request again: each repeat starts Fortnox over)
// and the progress bar must say what it waits for. One real run of 65 s, on PGlite only: the database plays no part
// in the waiting, and the machine is shared.

const TENANT = 1_234_567;
const DELAY_SECONDS = 65;

describe("a SIE that takes more than a minute before its first byte", () => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;

  beforeAll(async () => {
    handle = await openDb({});
    db = handle.db;
    sandbox = await start({ currentYear: 2026, tenants: [{ tenantId: TENANT, lockedThrough: null }] });
    // The client as the app builds it: default timeouts (30 s per attempt, 10 minutes for the SIE's first byte).
    const { api } = await sandboxApi(sandbox.url, TENANT);
    registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });

  test(`the import waits ${DELAY_SECONDS} s, says Fortnox is preparing the file, and succeeds with one SIE request`, { timeout: 240_000 }, async () => {
    const f = await firmWithData(db, "slow", "5566778899");
    await control(sandbox.url, "faults", { tenantId: TENANT, sieFirstByteDelaySeconds: DELAY_SECONDS });
    const before = (await control(sandbox.url, "state")).body.requests.sie as number;
    const job = await startFortnoxImport(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, "fortnox");
    const started = Date.now();
    const running = workOnce(db, ["import"]);

    // What the progress bar reads while Fortnox works: the step, and the seconds waited so far.
    const seen: { step: string; done: number }[] = [];
    let finished = false;
    void running.finally(() => (finished = true));
    while (!finished) {
      const p = (await getJob(db, job.id))?.progress;
      if (p) seen.push({ step: p.step, done: p.done });
      await new Promise((r) => setTimeout(r, 2_000));
    }
    expect(await running).toBe(true);
    const elapsed = (Date.now() - started) / 1000;

    const done = (await getJob(db, job.id))!;
    expect(done.errorKey).toBeNull();
    expect(done.state).toBe("succeeded");
    expect(elapsed).toBeGreaterThan(DELAY_SECONDS);
    expect((await control(sandbox.url, "state")).body.requests.sie - before).toBe(1);
    const preparing = seen.filter((s) => s.step === "siePrepare");
    expect(Math.max(...preparing.map((s) => s.done))).toBeGreaterThan(30); // well past the old 30 s timeout
    const current = (await importState(db, f.project.id)).current!;
    expect(Object.fromEntries(current.checks.map((c) => [c.key, c.status]))).toMatchObject({ vouchersBalance: "ok", balancesAgree: "ok" });
    expect(current.counts.vouchers).toBeGreaterThanOrEqual(100);
    console.log(`[slow-sie] import took ${elapsed.toFixed(1)} s with a ${DELAY_SECONDS} s first-byte delay; SIE requests: 1`);
  });
});
