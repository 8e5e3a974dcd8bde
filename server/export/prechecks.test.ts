import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { describeError } from "@/server/errors";
import { FortnoxApiError } from "@/server/fortnox/errors";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import type { SandboxServer } from "@/server/sandbox/server";
import { control, start } from "@/server/sandbox/testing/helpers";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { classifyWriteError, runExport } from "./run";
import * as outbox from "./outbox";
import { precheckVouchers } from "./prechecks";
import { apiRequests, makeVouchers, MemorySource, postedVouchers, TENANT, YEAR } from "./testing/harness";
import type { ExportVoucher } from "./types";
import { toVoucherInput } from "./voucher";

// Fortnox's stricter rules for a posted voucher, checked before anything is sent (over real HTTP against the
// sandbox): the published character whitelist, cost centre / project settings of accounts, the automatic period
// lock (reported by /settings/lockedperiod or not: both), and a locked period that answers without a date.

const MEDIUM = 2_345_678; // cost centres and projects; financial year Id 8 is 2025
const limiter = () => new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 });

describe.each(dbTargets())("pre-checks and Fortnox's rules on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;
  let api: FortnoxApi;
  let medium: FortnoxApi;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: YEAR, vouchers: { [TENANT]: 100, [MEDIUM]: 200 } });
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });
  beforeEach(async () => {
    await control(sandbox.url, "reset", {});
    ({ api } = await sandboxApi(sandbox.url, TENANT, { limiter: limiter() }));
    ({ api: medium } = await sandboxApi(sandbox.url, MEDIUM, { limiter: limiter() }));
  });

  const base = (id: string, over: Partial<ExportVoucher> = {}): ExportVoucher => ({ ...makeVouchers(1, { prefix: id })[0], id, ...over });
  const problemsOf = async (a: FortnoxApi, vouchers: ExportVoucher[]) =>
    (await precheckVouchers(a, vouchers, "B")).problems.map((p) => [p.voucherId, p.key, p.params]);

  test("characters: faithful substitutes are made and accepted, others are named with where they are", async () => {
    const quoted = base("quoted", { text: `Periodisering "hyra"\tQ4 – 'kontor' …` });
    expect(await problemsOf(api, [
      quoted,
      base("pipe", { text: "Hyra | kontor" }),
      base("lt", { rows: [{ account: "6110", amountOre: 100, text: "Mer än <100>" }, { account: "2990", amountOre: -100 }] }),
      base("brace", { comments: "Se {bilaga}" }),
      base("emoji", { rows: [{ account: "6110", amountOre: 100 }, { account: "2990", amountOre: -100, text: "Klart 👍" }] }),
    ])).toEqual([
      ["pipe", "exportInvalidCharacterText", { character: "|", code: "U+007C" }],
      ["lt", "exportInvalidCharacterRowText", { row: 1, character: "<", code: "U+003C" }],
      ["brace", "exportInvalidCharacterComments", { character: "{", code: "U+007B" }],
      ["emoji", "exportInvalidCharacterRowText", { row: 2, character: "👍", code: "U+1F44D" }],
    ]);
    // What is sent is what was checked, and Fortnox takes it.
    const input = toVoucherInput(quoted, "B", "SB:0123456789");
    expect(input.description).toBe("Periodisering ’hyra’ Q4 – ’kontor’ ...");
    const made = await api.createVoucher(2, input);
    expect((await api.getVoucher("B", made.number, made.year!)).description).toBe("Periodisering ’hyra’ Q4 – ’kontor’ ...");
  });

  test("2000359 from Fortnox (a text that skipped the pre-checks) is a translated, rejected problem", async () => {
    const input = { ...toVoucherInput(base("raw"), "B", "SB:0123456789"), description: "Hyra [kontor]" };
    const err = await api.createVoucher(2, input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FortnoxApiError);
    expect(describeError(err)).toEqual({ key: "fortnox.error.invalid_characters", params: {}, fix: "input", code: "PRECONDITION_FAILED" });
    expect(classifyWriteError(err)).toBe("rejected");
  });

  test("cost centre and project settings of the accounts: the rows that break them are named", async () => {
    const rows = (a: string, b: string, extra: Partial<ExportVoucher["rows"][number]> = {}) => [
      { account: a, amountOre: 500, ...extra },
      { account: b, amountOre: -500 },
    ];
    expect(await problemsOf(medium, [
      base("rent", { rows: rows("5010", "2990") }),
      base("material", { rows: [...rows("4010", "2990"), { account: "4010", amountOre: 1 }, { account: "2990", amountOre: -1 }] }),
      base("bank", { rows: [{ account: "6110", amountOre: 5 }, { account: "1930", amountOre: -5, costCenter: "100" }] }),
      base("fine", { rows: rows("5010", "2990", { costCenter: "100" }) }),
    ])).toEqual([
      ["rent", "exportCostCenterRequired", { account: "5010", row: 1 }],
      ["material", "exportProjectRequired", { account: "4010", row: 1 }],
      ["bank", "exportCostCenterNotAllowed", { account: "1930", row: 2 }],
    ]);
    // Fortnox refuses what the pre-check would have caught: the account is named in the translated problem.
    const err = await medium.createVoucher(8, toVoucherInput(base("rent", { rows: rows("5010", "2990") }), "B", "SB:0123456789")).catch((e: unknown) => e);
    expect(describeError(err)).toEqual({ key: "fortnox.error.dimension_refused", params: { account: 5010 }, fix: "fortnoxApp", code: "PRECONDITION_FAILED" });
    // The row with a cost centre goes through.
    expect((await medium.createVoucher(8, toVoucherInput(base("fine", { rows: rows("5010", "2990", { costCenter: "100" }) }), "B", "SB:0123456789"))).series).toBe("B");
  });

  test.each(["omitted", "empty"] as const)("nothing locked, answered as %s: no problem, nothing assumed", async (shape) => {
    await control(sandbox.url, "options", { lockedPeriodNone: shape });
    await control(sandbox.url, `tenants/${TENANT}`, { lockedThrough: null });
    const r = await precheckVouchers(api, [base("early", { date: `${YEAR}-02-01` })], "B");
    expect(r.problems).toEqual([]);
    expect(r.context.lockedThrough).toBeNull();
  });

  async function queue(label: string, vouchers: ExportVoucher[]) {
    const f = await firmWithData(db, label, "5566778899");
    await outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: vouchers.map((v) => v.id), series: "B" });
    return f.project.id;
  }

  test("the automatic lock, reported by /settings/lockedperiod: the pre-check refuses, nothing is sent", async () => {
    await control(sandbox.url, "options", { lockedPeriodIncludesAutoLock: true });
    await control(sandbox.url, `tenants/${TENANT}`, { autoLockedThrough: `${YEAR}-11-30` });
    const vouchers = [base("al1", { date: `${YEAR}-11-30` }), base("al2", { date: `${YEAR}-12-31` })];
    const projectId = await queue("alon", vouchers);
    const r = await runExport({ db, api, source: new MemorySource(vouchers), projectId, settleMs: 5 });
    expect(r).toMatchObject({ exported: 1, failed: 1, fatal: null });
    expect(r.problems).toEqual([{ voucherId: "al1", key: "exportPeriodLocked", params: { date: `${YEAR}-11-30`, lockedThrough: `${YEAR}-11-30` } }]);
  });

  test("the automatic lock, not reported: Fortnox's 2002141 fails the voucher with a translated reason, and every later one up to that date without a POST", async () => {
    await control(sandbox.url, `tenants/${TENANT}`, { autoLockedThrough: `${YEAR}-11-30` });
    const vouchers = [base("nr1", { date: `${YEAR}-11-30` }), base("nr2", { date: `${YEAR}-10-01` }), base("nr3", { date: `${YEAR}-12-31` })];
    const projectId = await queue("aloff", vouchers);
    const before = await apiRequests(sandbox.url);
    const r = await runExport({ db, api, source: new MemorySource(vouchers), projectId, settleMs: 5 });
    expect(r).toMatchObject({ exported: 1, failed: 2, fatal: null, problems: [] });
    const items = await outbox.itemsOfProject(db, projectId);
    expect(items.map((i) => [i.voucherId, i.state, i.errorKey, i.errorParams, i.sendAttempts])).toEqual([
      ["nr1", "failed", "fortnox.error.period_auto_locked", { date: `${YEAR}-11-30` }, 1],
      ["nr2", "failed", "fortnox.error.period_auto_locked", { date: `${YEAR}-10-01` }, 0],
      ["nr3", "exported", null, null, 1],
    ]);
    // 4 pre-check GETs, the series' next number, and two POSTs: the refused one and nr3.
    expect((await apiRequests(sandbox.url)) - before).toBe(4 + 1 + 2);
    // Nothing half-exported: Fortnox has exactly the one voucher.
    const markers = new Set(items.map((i) => i.marker));
    expect((await postedVouchers(sandbox.url)).filter((v) => [...markers].some((m) => v.comments?.includes(m)))).toHaveLength(1);
  });
});
