import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { voucherBody } from "@/server/fortnox/resources";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { control, start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { runExport } from "./run";
import * as outbox from "./outbox";
import { precheckVouchers } from "./prechecks";
import { apiRequests, expectExactlyOnce, makeVouchers, MemorySource, sandboxTruth, TENANT, withListSettings, YEAR } from "./testing/harness";
import { toVoucherInput } from "./voucher";

// Two app instances (or two tabs that each started a worker) on one project, and a worker that stalls or is still
// inside its POST when another one looks at its item.

const limiter = () => new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 });

describe.each(withListSettings(dbTargets()))("racing workers on $name, $lists", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: YEAR, vouchers: { [TENANT]: 100 }, voucherListComments: target.voucherListComments });
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });
  beforeEach(async () => {
    await control(sandbox.url, "faults", { tenantId: TENANT, clear: true });
  });

  async function setup(label: string, n: number, withAttachments = 0) {
    const f = await firmWithData(db, label, "5566778899");
    const vouchers = makeVouchers(n, { withAttachments, prefix: `${label}-` });
    const { items } = await outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: vouchers.map((v) => v.id), series: "B" });
    return { f, vouchers, items };
  }

  test("two workers on the same project never both send an item or an attachment", async () => {
    const { f, vouchers } = await setup("race", 12, 6);
    // Slow answers widen every window in which the two could collide.
    await control(sandbox.url, "faults", { tenantId: TENANT, latencyMs: 15 });
    const a = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() });
    const b = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() });
    const before = await apiRequests(sandbox.url);
    const common = { db, projectId: f.project.id, settleMs: 10, leaseMs: 5_000 };
    const [ra, rb] = await Promise.all([
      runExport({ ...common, api: a.api, source: new MemorySource(vouchers), workerId: "A" }),
      runExport({ ...common, api: b.api, source: new MemorySource(vouchers), workerId: "B" }),
    ]);
    expect(ra.fatal).toBeNull();
    expect(rb.fatal).toBeNull();
    expect(ra.exported + rb.exported).toBe(12);
    // Both really worked on the project (otherwise this test would prove nothing).
    expect(Math.min(ra.exported, rb.exported)).toBeGreaterThan(0);
    const truth = await sandboxTruth(sandbox.url);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, truth);
    expect(items.every((i) => i.sendAttempts === 1 && i.lookups === 0)).toBe(true);
    // Both did pre-checks (4 each) and read the series' next number (1 each); beyond that one request per voucher
    // and two per attachment.
    expect((await apiRequests(sandbox.url)) - before - truth.restRequests).toBe(10 + 12 + 12);
  });

  test("two tabs queueing overlapping selections in opposite orders at once: one live item each, no deadlock", async () => {
    for (let round = 0; round < 10; round++) {
      const f = await firmWithData(db, `tabs${round}`, "5566778899");
      const ids = Array.from({ length: 20 }, (_, i) => `t${round}-${i}`);
      const q = (list: string[]) => outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: list, series: "B" });
      const [a, b] = await Promise.all([q(ids), q([...ids].reverse())]);
      expect(a.created.length + b.created.length).toBe(20);
      const items = await outbox.itemsOfProject(db, f.project.id);
      expect(items.map((i) => i.voucherId).sort()).toEqual([...ids].sort());
    }
  });

  /** Puts an item in `sending` as a worker "ghost" would, mid-POST, holding a lease of `leaseMs`. */
  async function ghostClaims(item: outbox.ExportItem, voucher: ReturnType<typeof makeVouchers>[number], leaseMs: number) {
    const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() });
    const { yearOf } = await precheckVouchers(api, [voucher], "B");
    const yearId = yearOf.get(voucher.id)!;
    const input = toVoucherInput(voucher, "B", item.marker);
    const claimed = await outbox.claimForSending(db, item.id, "ghost", leaseMs, { financialYearId: yearId, transactionDate: voucher.date, body: voucherBody(input), attachments: [] });
    expect(claimed).not.toBeNull();
    return { post: () => api.createVoucher(yearId, input) };
  }

  test("an item another worker is still sending is looked up after its lease, not sent again", async () => {
    const { f, vouchers, items } = await setup("ghost", 2);
    const ghost = await ghostClaims(items[0], vouchers[0], 1_500);
    // The ghost's POST lands while the second worker waits for the lease.
    const landed = new Promise((r) => setTimeout(r, 500)).then(() => ghost.post());
    const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() });
    const started = Date.now();
    const r = await runExport({ db, api, source: new MemorySource(vouchers), projectId: f.project.id, settleMs: 10, leaseMs: 5_000, workerId: "W" });
    const ghostVoucher = await landed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(r).toMatchObject({ exported: 2, resolvedByLookup: 1, fatal: null });
    const { items: after } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url));
    expect(after[0]).toMatchObject({ fortnoxNumber: ghostVoucher.number, sendAttempts: 1, lookups: 1 });
  });

  test("when the other worker's POST never landed, the lookup says so and it is sent once", async () => {
    const { f, vouchers, items } = await setup("ghost2", 1);
    await ghostClaims(items[0], vouchers[0], 800);
    const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() });
    const r = await runExport({ db, api, source: new MemorySource(vouchers), projectId: f.project.id, settleMs: 10, leaseMs: 5_000 });
    expect(r).toMatchObject({ exported: 1, resolvedByLookup: 0, lookups: 1, fatal: null });
    const { items: after } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url));
    expect(after[0]).toMatchObject({ sendAttempts: 2, lookups: 1 });
  });

  test("a worker that stalls between claiming and posting does not post on a lease it may have lost", async () => {
    const { f, vouchers } = await setup("stall", 2);
    const { api } = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() });
    let stalls = 0;
    const before = (await sandboxTruth(sandbox.url)).counters.vouchersPosted[TENANT] ?? 0;
    const r = await runExport({
      db, api, source: new MemorySource(vouchers), projectId: f.project.id, settleMs: 10, postGuardMs: 100,
      hooks: { beforeVoucherPost: async () => void (stalls++ === 0 && (await new Promise((res) => setTimeout(res, 250)))) },
    });
    expect(r).toMatchObject({ exported: 2, fatal: null });
    const truth = await sandboxTruth(sandbox.url);
    expect(truth.counters.vouchersPosted[TENANT] - before).toBe(2);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, truth);
    expect(items.map((i) => i.sendAttempts)).toEqual([2, 1]);
  });
});
