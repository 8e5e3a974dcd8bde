// Long (~330 lines): one fault per test over one sandbox and database; crash, race, property and lookup have their own files.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { control, start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { runExport, type ExportRunOptions } from "./run";
import { exportJobHandler, exportStatus, startExport } from "./job";
import * as outbox from "./outbox";
import { apiRequests, DATE, expectExactlyOnce, makeVouchers, MemorySource, sandboxTruth, TENANT, withListSettings, YEAR } from "./testing/harness";
import type { ExportHooks } from "./types";

// The export over real HTTP against the sandbox, one fault at a time: whatever goes wrong, the sandbox ends with
// every voucher exactly once and the outbox says what the sandbox says.

const fastLimiter = () => new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 });
const ENGINE = { settleMs: 10, leaseMs: 2_000 } satisfies Partial<ExportRunOptions>;

describe.each(withListSettings(dbTargets()))("export on $name, $lists", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;
  let api: FortnoxApi;

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
    // A connection of its own per test: the revocation test kills every token the tenant had.
    ({ api } = await sandboxApi(sandbox.url, TENANT, { limiter: fastLimiter() }));
  });

  const faults = (f: Record<string, unknown>) => control(sandbox.url, "faults", { tenantId: TENANT, ...f });

  async function setup(n: number, withAttachments = 0) {
    const f = await firmWithData(db, "exp", "5566778899");
    const vouchers = makeVouchers(n, { withAttachments, prefix: `${f.project.id.slice(0, 6)}-` });
    const source = new MemorySource(vouchers);
    const { items } = await outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: vouchers.map((v) => v.id), series: "B" });
    return { f, vouchers, source, items };
  }

  const run = (projectId: string, source: MemorySource, extra: Partial<ExportRunOptions> = {}) =>
    runExport({ ...ENGINE, db, api, source, projectId, ...extra });

  test("happy path through the job: one POST per voucher, two requests per attachment, numbers recorded, source told", async () => {
    const f = await firmWithData(db, "job", "5566778899");
    const vouchers = makeVouchers(5, { withAttachments: 2 });
    const source = new MemorySource(vouchers);
    const jobApi = (await sandboxApi(sandbox.url, TENANT, { limiter: fastLimiter() })).api;
    const progress: string[] = [];
    registerJobHandler("export", async (ctx) =>
      exportJobHandler({ fortnoxFor: async () => jobApi, sourceFor: () => source, options: ENGINE })({
        ...ctx,
        progress: (p) => (progress.push(`${p.step}:${p.done}/${p.total}`), ctx.progress(p)),
      }),
    );
    const before = await sandboxTruth(sandbox.url);
    const requestsBefore = await apiRequests(sandbox.url);
    const { job, items } = await startExport(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, { voucherIds: vouchers.map((v) => v.id), series: "B" });
    expect(job).not.toBeNull();
    expect(items).toHaveLength(5);
    expect(await workOnce(db, ["export"])).toBe(true);
    const done = (await getJob(db, job!.id))!;
    expect(done.errorKey).toBeNull();
    expect(done.state).toBe("succeeded");
    expect(done.result).toMatchObject({ exported: 5, failed: 0, pending: 0, attachmentsConnected: 2, resolvedByLookup: 0, duplicatesFound: 0 });
    const truth = await sandboxTruth(sandbox.url);
    const { items: after } = await expectExactlyOnce(db, f.project.id, vouchers, truth, source);
    expect(truth.files - before.files).toBe(2);
    // In the order chosen, in the chosen series, each sent once and never looked up.
    const numbers = after.map((i) => i.fortnoxNumber!);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(after.every((i) => i.fortnoxSeries === "B" && i.sendAttempts === 1 && i.lookups === 0)).toBe(true);
    // Requests: 4 pre-check GETs + the series' next number + 5 voucher POSTs + 2 × 2 for the attachments.
    expect(await apiRequests(sandbox.url) - requestsBefore - truth.restRequests).toBe(4 + 1 + 5 + 4);
    expect(progress[0]).toBe("prechecks:0/1");
    expect(progress).toContain("vouchers:5/5");
    expect(progress.at(-1)).toBe("attachments:2/2");
    const status = await exportStatus(db, f.project.id);
    expect(status.find((s) => s.voucherId === "v1")).toMatchObject({ state: "exported", fortnox: { series: "B" }, attachments: [{ state: "connected" }] });
  });

  test("a double click and a second tab queue nothing twice and return the running export", async () => {
    const f = await firmWithData(db, "dbl", "5566778899");
    const vouchers = makeVouchers(3, { prefix: "dbl" });
    const source = new MemorySource(vouchers);
    registerJobHandler("export", exportJobHandler({ fortnoxFor: async () => api, sourceFor: () => source, options: ENGINE }));
    const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
    const input = { voucherIds: vouchers.map((v) => v.id), series: "B" };
    const [a, b] = await Promise.all([startExport(db, ref, input), startExport(db, ref, input)]);
    expect(a.job!.id).toBe(b.job!.id);
    const c = await startExport(db, ref, input);
    expect(c.job!.id).toBe(a.job!.id);
    expect((await outbox.itemsOfProject(db, f.project.id)).length).toBe(3);
    // A different selection while it runs is refused rather than silently left behind.
    await expect(startExport(db, ref, { voucherIds: ["other"], series: "B" })).rejects.toMatchObject({ key: "jobAlreadyActive" });
    expect(await workOnce(db, ["export"])).toBe(true);
    expect((await getJob(db, a.job!.id))!.state).toBe("succeeded");
    // Once exported, asking again sends nothing and starts no job.
    const again = await startExport(db, ref, input);
    expect(again.job).toBeNull();
    await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
  });

  test("reset before Fortnox commits: looked up, absent, sent again", async () => {
    const { f, vouchers, source } = await setup(3);
    await faults({ resetBeforeCommit: 1 });
    const r = await run(f.project.id, source);
    expect(r.fatal).toBeNull();
    expect(r).toMatchObject({ exported: 3, resolvedByLookup: 0, lookups: 1, pending: 0 });
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    expect(items.map((i) => [i.sendAttempts, i.lookups])).toEqual([[2, 1], [1, 0], [1, 0]]);
  });

  test("reset AFTER Fortnox committed: found by its marker, never sent twice", async () => {
    const { f, vouchers, source } = await setup(3);
    await faults({ resetAfterCommit: 1 });
    const r = await run(f.project.id, source);
    expect(r.fatal).toBeNull();
    expect(r).toMatchObject({ exported: 3, resolvedByLookup: 1, lookups: 1 });
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    expect(items.map((i) => [i.sendAttempts, i.lookups])).toEqual([[1, 1], [1, 0], [1, 0]]);
  });

  test("an answer lost to our timeout after Fortnox committed: a longer pause, then found by its marker", async () => {
    const { f, vouchers, source } = await setup(2);
    // The first voucher POST reaches Fortnox, but our client gives up before it reads the answer.
    let lost = false;
    const timingOut: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!lost && init?.method === "POST") {
        lost = true;
        throw Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" });
      }
      return res;
    };
    const slow = await sandboxApi(sandbox.url, TENANT, { limiter: fastLimiter(), fetch: timingOut });
    const sleeps: number[] = [];
    const r = await runExport({ db, api: slow.api, source, projectId: f.project.id, settleMs: 10, timeoutSettleMs: 700, sleep: async (ms) => void sleeps.push(ms) });
    expect(r).toMatchObject({ exported: 2, resolvedByLookup: 1, fatal: null });
    expect(sleeps).toEqual([700]);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    expect(items.map((i) => [i.sendAttempts, i.lookups])).toEqual([[1, 1], [1, 0]]);
  });

  test("resets around attachments: a lost upload answer re-uploads (counted stray), a lost connect answer is looked up", async () => {
    const { f, vouchers, source } = await setup(2, 2);
    const before = await sandboxTruth(sandbox.url);
    // The first upload is committed and its answer lost; the second voucher's connect likewise.
    const once = new Set<string>();
    const hooks: ExportHooks = {
      beforeUpload: async (e) => {
        if (e.attachmentId.endsWith("1-a1") && !once.has("upload")) await (once.add("upload"), faults({ resetAfterCommit: 1 }));
      },
      beforeConnect: async (e) => {
        if (e.attachmentId.endsWith("2-a1") && !once.has("connect")) await (once.add("connect"), faults({ resetAfterCommit: 1 }));
      },
    };
    const r = await run(f.project.id, source, { hooks, attachmentConcurrency: 1 });
    expect(r.fatal).toBeNull();
    expect(r).toMatchObject({ exported: 2, attachmentsConnected: 2, attachmentsFailed: 0, strayUploads: 1 });
    const truth = await sandboxTruth(sandbox.url);
    const { atts } = await expectExactlyOnce(db, f.project.id, vouchers, truth, source);
    const byId = [...atts].sort((a, b) => a.attachmentId.localeCompare(b.attachmentId));
    expect(byId.map((a) => [a.uploadAttempts, a.connectAttempts, a.lookups, a.strayUploads])).toEqual([[2, 1, 0, 1], [1, 1, 1, 0]]);
    // One unconnected copy in the inbox from the lost upload answer, none from the lost connect answer.
    expect(truth.files - before.files).toBe(3);
  });

  test("5xx on writes and reads: every voucher and attachment still exactly once", async () => {
    const { f, vouchers, source } = await setup(8, 3);
    await faults({ errorRate: 0.3, seed: 7 });
    let r;
    let runs = 0;
    // Like a user pressing "export" again after a failed job: each run picks up where the last one stopped.
    do {
      // One lane at a time: the seeded faults then hit the same requests on every test run.
      r = await run(f.project.id, source, { attachmentConcurrency: 1 });
      runs++;
    } while ((r.pending > 0 || r.attachmentsPending > 0) && runs < 10);
    await faults({ clear: true });
    const truth = await sandboxTruth(sandbox.url);
    expect(truth.counters.faultsInjected.error5xx).toBeGreaterThan(3);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, truth, source);
    // Some POSTs failed with a 5xx and were resolved by lookup before they were sent again.
    expect(items.some((i) => i.sendAttempts > 1 && i.lookups > 0)).toBe(true);
  });

  // Whether Fortnox sends Retry-After with a 429 is unsettled (docs/fortnox-api.md §4): the sandbox does either.
  test.each([true, false])("a 429 storm with Retry-After %s: refused requests are repeated later, none applied twice", async (retryAfterHeader) => {
    await control(sandbox.url, "options", { retryAfterHeader });
    const { f, vouchers, source } = await setup(4, 1);
    // A storm on the first pre-check GETs (the client repeats them) and another on the third voucher's POST.
    await faults({ storm429: 3 });
    let stormed = false;
    const hooks: ExportHooks = {
      beforeVoucherPost: async (e) => {
        if (!stormed && e.voucherId.endsWith("-3")) {
          stormed = true;
          await faults({ storm429: 3 });
        }
      },
    };
    const started = Date.now();
    const r = await run(f.project.id, source, { hooks });
    expect(r.fatal).toBeNull();
    expect(r).toMatchObject({ exported: 4, lookups: 0, pending: 0 });
    const truth = await sandboxTruth(sandbox.url);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, truth, source);
    // Three 429s on the POST of the third voucher: it was claimed four times, sent once successfully.
    expect(items.map((i) => i.sendAttempts)).toEqual([1, 1, 4, 1]);
    expect(truth.counters.faultsInjected.storm429).toBeGreaterThanOrEqual(6);
    // With the header, its 1 s was honoured for each of the six; without, our own backoff decided.
    if (retryAfterHeader) expect(Date.now() - started).toBeGreaterThan(5_000);
    await control(sandbox.url, "options", { retryAfterHeader: false });
  }, 60_000);

  test("the token revoked mid-export: the job stops, nothing is lost; after reconnecting the rest goes exactly once", async () => {
    const f = await firmWithData(db, "rev", "5566778899");
    const vouchers = makeVouchers(5, { withAttachments: 1, prefix: "rev" });
    const source = new MemorySource(vouchers);
    const first = await sandboxApi(sandbox.url, TENANT, { limiter: fastLimiter() });
    // One lane at a time, so that the request that uses up the token is always the same one.
    const options = { ...ENGINE, attachmentConcurrency: 1 };
    registerJobHandler("export", exportJobHandler({ fortnoxFor: async () => first.api, sourceFor: () => source, options }));
    const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
    // 4 pre-check GETs, the series' next number, POST v1, upload + connect of its attachment, POST v2 — then every
    // token dies.
    await faults({ revokeAfterCalls: 9 });
    const { job } = await startExport(db, ref, { voucherIds: vouchers.map((v) => v.id), series: "B" });
    await workOnce(db, ["export"]);
    const failed = (await getJob(db, job!.id))!;
    expect(failed.state).toBe("failed");
    expect(failed.errorKey).toBe("fortnox.error.needs_reconnect");
    const mid = await outbox.itemsOfProject(db, f.project.id);
    expect(mid.map((i) => i.state)).toEqual(["exported", "exported", "queued", "queued", "queued"]);
    // Reconnect (a new consent) and export again.
    const second = await sandboxApi(sandbox.url, TENANT, { limiter: fastLimiter() });
    registerJobHandler("export", exportJobHandler({ fortnoxFor: async () => second.api, sourceFor: () => source, options }));
    const { job: job2 } = await startExport(db, ref, { voucherIds: vouchers.map((v) => v.id), series: "B" });
    await workOnce(db, ["export"]);
    expect((await getJob(db, job2!.id))!.state).toBe("succeeded");
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    // The third voucher's first POST was refused with a 401 (never applied), so it was sent once more.
    expect(items.map((i) => [i.sendAttempts, i.lookups])).toEqual([[1, 0], [1, 0], [2, 0], [1, 0], [1, 0]]);
  });

  test("pre-checks: per voucher problems from Fortnox's chart, lock, series and the voucher itself; nothing of them sent", async () => {
    const f = await firmWithData(db, "pre", "5566778899");
    const good = makeVouchers(1, { prefix: "ok" })[0];
    const bad = [
      { ...good, id: "locked", date: `${YEAR}-03-31` },
      { ...good, id: "noyear", date: "2031-06-30" },
      { ...good, id: "inactive", rows: [{ account: "5220", amountOre: 100 }, { account: "1930", amountOre: -100 }] },
      { ...good, id: "missing", rows: [{ account: "1234", amountOre: 100 }, { account: "1930", amountOre: -100 }] },
      { ...good, id: "unbalanced", rows: [{ account: "6110", amountOre: 100 }, { account: "1930", amountOre: -99 }] },
      { ...good, id: "onerow", rows: [{ account: "6110", amountOre: 0 }] },
      { ...good, id: "long", text: "x".repeat(201), comments: "y".repeat(990), rows: [{ account: "6110", amountOre: 5, text: "z".repeat(101) }, { account: "2990", amountOre: -5 }] },
      { ...good, id: "notext", text: "  " },
    ];
    const source = new MemorySource([good, ...bad]);
    await outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: [good.id, ...bad.map((b) => b.id)], series: "B" });
    const before = await sandboxTruth(sandbox.url);
    const r = await run(f.project.id, source);
    expect(r).toMatchObject({ exported: 1, failed: 8 });
    const by = (id: string) => r.problems.filter((p) => p.voucherId === id).map((p) => [p.key, p.params]);
    expect(by("locked")).toEqual([["exportPeriodLocked", { date: `${YEAR}-03-31`, lockedThrough: `${YEAR}-08-31` }]]);
    expect(by("noyear")).toEqual([["exportNoFinancialYear", { date: "2031-06-30" }]]);
    expect(by("inactive")).toEqual([["exportAccountInactive", { account: "5220" }]]);
    expect(by("missing")).toEqual([["exportAccountMissing", { account: "1234" }]]);
    expect(by("unbalanced")).toEqual([["exportUnbalanced", { difference: 0.01 }]]);
    expect(by("onerow").map((p) => p[0])).toEqual(["exportTooFewRows", "exportAmountInvalid"]);
    expect(by("long")).toEqual([
      ["exportDescriptionTooLong", { max: 200, length: 201 }],
      ["exportCommentsTooLong", { max: 986, length: 990 }],
      ["exportRowTextTooLong", { row: 1, max: 100, length: 101 }],
    ]);
    expect(by("notext")).toEqual([["exportTextMissing", {}]]);
    const items = await outbox.itemsOfProject(db, f.project.id);
    expect(items.find((i) => i.voucherId === "locked")).toMatchObject({ state: "failed", errorKey: "exportPeriodLocked", sendAttempts: 0 });
    const after = await sandboxTruth(sandbox.url);
    expect(after.counters.vouchersPosted[TENANT] - (before.counters.vouchersPosted[TENANT] ?? 0)).toBe(1);
    // A series that is not manual is refused for every voucher.
    const f2 = await firmWithData(db, "pre2", "5566778899");
    await outbox.enqueueItems(db, { firmId: f2.firm.id, projectId: f2.project.id, voucherIds: [good.id], series: "F" });
    const r2 = await run(f2.project.id, source);
    expect(r2.problems).toEqual([{ voucherId: good.id, key: "exportSeriesNotManual", params: { series: "F" } }]);
    await outbox.enqueueItems(db, { firmId: f2.firm.id, projectId: f2.project.id, voucherIds: [good.id], series: "Q" });
    expect((await run(f2.project.id, source)).problems).toEqual([{ voucherId: good.id, key: "exportSeriesMissing", params: { series: "Q" } }]);
  });

  test("Fortnox refusing a voucher the pre-checks passed (the period locked meanwhile) fails it with the translated reason", async () => {
    const { f, source } = await setup(2);
    const hooks: ExportHooks = {
      beforeVoucherPost: async () => {
        await control(sandbox.url, `tenants/${TENANT}`, { lockedThrough: DATE });
      },
    };
    try {
      const r = await run(f.project.id, source, { hooks });
      expect(r.fatal).toBeNull();
      expect(r).toMatchObject({ exported: 0, failed: 2 });
      const items = await outbox.itemsOfProject(db, f.project.id);
      expect(items.map((i) => [i.state, i.errorKey, i.errorParams])).toEqual([
        ["failed", "fortnox.error.period_locked", { date: DATE }],
        ["failed", "fortnox.error.period_locked", { date: DATE }],
      ]);
      for (const i of items) expect((await sandboxTruth(sandbox.url)).byMarker.get(i.marker)).toBeUndefined();
    } finally {
      await control(sandbox.url, `tenants/${TENANT}`, { lockedThrough: `${YEAR}-08-31` });
    }
  });
});
