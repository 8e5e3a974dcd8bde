import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import type { SandboxServer } from "@/server/sandbox/server";
import { apiClient, connect, control, start } from "@/server/sandbox/testing/helpers";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { runExport, type ExportRunOptions } from "./run";
import * as outbox from "./outbox";
import { DATE, expectExactlyOnce, makeVouchers, MemorySource, sandboxTruth, TENANT, withListSettings, YEAR } from "./testing/harness";
import type { ExportHooks } from "./types";

// The lookup after an ambiguous POST, against a Fortnox whose voucher lists carry no Comments (its own
// documentation example shows none): the marker must be found in single vouchers, never taken as absent because
// the list said nothing.

const fastLimiter = () => new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 });
const ENGINE = { settleMs: 5, leaseMs: 2_000 } satisfies Partial<ExportRunOptions>;

describe.each(withListSettings(dbTargets()))("the lookup on $name, $lists", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;
  let api: FortnoxApi;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: YEAR, vouchers: { [TENANT]: 100 } });
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });
  beforeEach(async () => {
    await control(sandbox.url, "faults", { tenantId: TENANT, clear: true });
    // Both answers to an unknown single voucher, one with each list setting: either means "no such number".
    await control(sandbox.url, "options", {
      voucherListComments: target.voucherListComments, fileConnectionNotFoundStatus: 400, voucherNotFoundStatus: target.voucherListComments ? 404 : 400,
    });
    ({ api } = await sandboxApi(sandbox.url, TENANT, { limiter: fastLimiter() }));
  });

  const faults = (f: Record<string, unknown>) => control(sandbox.url, "faults", { tenantId: TENANT, ...f });

  async function setup(label: string, n: number) {
    const f = await firmWithData(db, label, "5566778899");
    const vouchers = makeVouchers(n, { prefix: `${label}-` });
    await outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: vouchers.map((v) => v.id), series: "B" });
    return { f, vouchers, source: new MemorySource(vouchers) };
  }

  async function runUntilDone(projectId: string, source: MemorySource, extra: Partial<ExportRunOptions> = {}) {
    let r;
    for (let runs = 0; runs < 10; runs++) {
      r = await runExport({ ...ENGINE, db, api, source, projectId, ...extra });
      if (r.pending === 0) break;
    }
    return r!;
  }

  // Once 6–10 of 40 vouchers were duplicated because the lookup read markers from the list only.
  test("regression: resets after commit and 5xx on 40 voucher POSTs, lists without Comments: none duplicated, none lost", async () => {
    const { f, vouchers, source } = await setup("reg", 40);
    let posts = 0;
    const hooks: ExportHooks = {
      // Every fourth POST is applied by Fortnox and its answer lost.
      beforeVoucherPost: async () => {
        if (++posts % 4 === 0) await faults({ resetAfterCommit: 1 });
      },
    };
    await faults({ errorRate: 0.15, seed: 11 });
    const r = await runUntilDone(f.project.id, source, { hooks });
    await faults({ clear: true });
    expect(r.pending).toBe(0);
    const truth = await sandboxTruth(sandbox.url);
    expect(truth.counters.faultsInjected.resetAfterCommit).toBeGreaterThanOrEqual(8);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, truth, source);
    expect(items.every((i) => i.duplicatesFound === 0)).toBe(true);
  });

  /** Another user of the company posting `n` vouchers into series B while our lookup waits to start. */
  async function otherUserPosts(n: number, date = DATE) {
    const other = apiClient(sandbox.url, (await connect(sandbox.url, { tenantId: TENANT })).access_token);
    for (let i = 0; i < n; i++) {
      const res = await other.post("vouchers", {
        Voucher: { VoucherSeries: "B", TransactionDate: date, Description: `Annan användare ${i}`, VoucherRows: [{ Account: 6110, Debit: 1 }, { Account: 2990, Credit: 1 }] },
      });
      expect(res.status).toBe(201);
    }
  }

  test.each([
    ["landed", "resetAfterCommit", 1],
    ["did not land", "resetBeforeCommit", 0],
  ] as const)("a lost answer while others post into the same series: the voucher that %s is told apart by reading the new numbers", async (_name, fault, landed) => {
    const { f, vouchers, source } = await setup(`oth${landed}`, 2);
    let armed = false;
    const hooks: ExportHooks = {
      beforeVoucherPost: async (e) => {
        if (!armed && e.voucherId.endsWith("-1")) await ((armed = true), faults({ [fault]: 1 }));
      },
    };
    // The pause before the lookup is when the others post.
    const sleep = async () => otherUserPosts(3);
    const r = await runExport({ ...ENGINE, db, api, source, projectId: f.project.id, hooks, sleep });
    expect(r).toMatchObject({ exported: 2, resolvedByLookup: landed, fatal: null });
    // The series' next number, ours (if it landed) and the 3 others one by one, then the first free number.
    expect(r.lookupRequests).toBe(1 + landed + 3 + 1);
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    expect(items.map((i) => i.sendAttempts)).toEqual([2 - landed, 1]);
    // Each floor was exact: the first voucher's floor (raised past the others' vouchers when it was sent again),
    // the second one's learnt from Fortnox's answer to the first.
    expect(items.map((i) => i.numberFloor)).toEqual(items.map((i) => i.fortnoxNumber));
  });

  test("a range wider than maxRangeReads is narrowed by the list to the voucher's date, then read one by one", async () => {
    const { f, vouchers, source } = await setup("wide", 1);
    await faults({ resetAfterCommit: 1 });
    const sleep = async () => otherUserPosts(4, `${YEAR}-11-30`);
    const r = await runExport({ ...ENGINE, db, api, source, projectId: f.project.id, sleep, maxRangeReads: 2 });
    expect(r).toMatchObject({ exported: 1, resolvedByLookup: 1, fatal: null });
    // Next number, one list page, our voucher read singly unless the list showed its Comments, the first free number.
    expect(r.lookupRequests).toBe(target.voucherListComments ? 3 : 4);
    await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
  });

  test("no lookup, and one read of the series' next number, when nothing goes wrong", async () => {
    const { f, vouchers, source } = await setup("calm", 3);
    const r = await runExport({ ...ENGINE, db, api, source, projectId: f.project.id });
    expect(r).toMatchObject({ exported: 3, lookups: 0, lookupRequests: 0 });
    const { items } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    // Each floor is the previous voucher's number + 1: learnt from Fortnox's answers, not read again.
    expect(items.map((i) => i.numberFloor)).toEqual(items.map((i) => i.fortnoxNumber));
  });

  test.each([400, 404] as const)("a connect lost before Fortnox applied it, unknown ids answered %s: found nowhere, connected once", async (status) => {
    await control(sandbox.url, "options", { fileConnectionNotFoundStatus: status });
    const f = await firmWithData(db, `con${status}`, "5566778899");
    const vouchers = makeVouchers(1, { withAttachments: 1, prefix: `con${status}-` });
    const source = new MemorySource(vouchers);
    await outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: vouchers.map((v) => v.id), series: "B" });
    const hooks: ExportHooks = { beforeConnect: async () => void (await faults({ resetBeforeCommit: 1 })) };
    let armed = false;
    const once: ExportHooks = { beforeConnect: async (e) => (armed ? undefined : ((armed = true), hooks.beforeConnect!(e))) };
    const r = await runExport({ ...ENGINE, db, api, source, projectId: f.project.id, hooks: once });
    expect(r).toMatchObject({ exported: 1, attachmentsConnected: 1, attachmentsFailed: 0, fatal: null });
    // By id (unknown), then the voucher's own connections (none): two witnesses before connecting again.
    expect(r.lookupRequests).toBe(2);
    const { atts } = await expectExactlyOnce(db, f.project.id, vouchers, await sandboxTruth(sandbox.url), source);
    expect(atts[0]).toMatchObject({ connectAttempts: 2, lookups: 1 });
  });
});
