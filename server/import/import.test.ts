// Long (~320 lines): every import case shares one sandbox and database set-up; separate files would each start them again.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { imports, jobs } from "@/db/schema";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { apiClient, connect, control, ore } from "@/server/sandbox/testing/helpers";
import { start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { importJobHandler } from "./job";
import { customerLedgerAtDate, supplierLedgerAtDate } from "./ledger-at-date";
import { importState, startFortnoxImport, startSieImport } from "./project-imports";
import { everyPaymentWithCurrency, sandboxApi } from "./testing/sandbox-api";

// The Fortnox import over real HTTP against the sandbox, checked against what the sandbox's own REST views say.

const TENANT = 1_234_567; // Demo Konsult AB, 556677-8899
const YEAR = 2025;

describe.each(dbTargets())("Fortnox import on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;
  let api: FortnoxApi;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: YEAR + 1, vouchers: { [TENANT]: 400 }, tenants: [{ tenantId: TENANT, lockedThrough: null }] });
    ({ api } = await sandboxApi(sandbox.url, TENANT));
    registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });

  async function runImport(f: Awaited<ReturnType<typeof firmWithData>>) {
    const job = await startFortnoxImport(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, "fortnox");
    expect(await workOnce(db, ["import"])).toBe(true);
    return (await getJob(db, job.id))!;
  }

  test("imports the year equal to the sandbox's truth: balances, every voucher and row, ledgers at the closing date", async () => {
    const f = await firmWithData(db, "imp", "5566778899");
    const job = await runImport(f);
    expect(job.errorKey).toBeNull();
    expect(job.state).toBe("succeeded");
    const { current } = await importState(db, f.project.id);
    expect(current).not.toBeNull();
    const importId = current!.id;

    // Truth from the sandbox over REST.
    const tokens = await connect(sandbox.url, { tenantId: TENANT });
    const rest = apiClient(sandbox.url, tokens.access_token);
    const years = await rest.all<{ Id: number; FromDate: string }>("financialyears", "FinancialYears");
    const fy = years.find((y) => y.FromDate === `${YEAR}-01-01`)!;
    const accounts = await rest.all<{ Number: number; BalanceBroughtForward: number }>(`accounts?financialyear=${fy.Id}`, "Accounts");

    const ib = new Map(resultRows<{ account: string; amount: unknown }>(await db.execute(sql`select account, amount_ore as amount from ledger_balances where import_id = ${importId} and kind = 'IB' and year_index = 0`)).map((r) => [r.account, toNumber(r.amount)]));
    const ub = new Map(resultRows<{ account: string; amount: unknown }>(await db.execute(sql`select account, amount_ore as amount from ledger_balances where import_id = ${importId} and kind = 'UB' and year_index = 0`)).map((r) => [r.account, toNumber(r.amount)]));
    let checkedUb = 0;
    for (const a of accounts) {
      expect(ib.get(String(a.Number)) ?? 0, `IB ${a.Number}`).toBe(ore(a.BalanceBroughtForward));
      if (a.Number < 3000) {
        const { body } = await rest.get<{ Account: { BalanceCarriedForward: number } }>(`accounts/${a.Number}?financialyear=${fy.Id}`);
        expect(ub.get(String(a.Number)) ?? 0, `UB ${a.Number}`).toBe(ore(body.Account.BalanceCarriedForward));
        checkedUb++;
      }
    }
    expect(checkedUb).toBeGreaterThan(10);

    // Every voucher and every row (struck rows kept as corrections).
    const heads = await rest.all<{ VoucherSeries: string; VoucherNumber: number }>(`vouchers?financialyear=${fy.Id}`, "Vouchers");
    const stored = resultRows<{ series: string; number: string; rows: string }>(
      await db.execute(sql`
        select v.series, v.number, string_agg(r.kind || ':' || r.account || ':' || r.amount_ore, ',' order by r.kind, r.account, r.amount_ore) as rows
        from ledger_vouchers v join ledger_rows r on r.import_id = v.import_id and r.voucher_id = v.id
        where v.import_id = ${importId} and r.kind in (0, 2) group by v.series, v.number`),
    );
    expect(stored.length).toBe(heads.length);
    const byKey = new Map(stored.map((s) => [`${s.series}${s.number}`, s.rows]));
    for (const h of heads) {
      const { body } = await rest.get<{ Voucher: { VoucherRows: { Account: number; Debit: number; Credit: number; Removed: boolean | number }[] } }>(
        `vouchers/${h.VoucherSeries}/${h.VoucherNumber}?financialyear=${fy.Id}`,
      );
      const expected = body.Voucher.VoucherRows.map((r) => ({ kind: r.Removed ? 2 : 0, account: String(r.Account), amount: ore(r.Debit) - ore(r.Credit) }))
        .sort((a, b) => a.kind - b.kind || a.account.localeCompare(b.account) || a.amount - b.amount)
        .map((r) => `${r.kind}:${r.account}:${r.amount}`)
        .join(",");
      expect(byKey.get(`${h.VoucherSeries}${h.VoucherNumber}`), `voucher ${h.VoucherSeries}${h.VoucherNumber}`).toBe(expected);
    }

    // Checks shown to the user: everything agrees, including both ledgers against 1510/2440.
    const checks = current!.checks;
    const status = Object.fromEntries(checks.map((c) => [c.key, c.status]));
    expect(status).toMatchObject({ orgNr: "ok", vouchersBalance: "ok", balancesAgree: "ok", customerLedger: "ok", supplierLedger: "ok" });
    const customer = checks.find((c) => c.key === "customerLedger")!;
    expect(customer.params!.ledgerOre).toBe(ub.get("1510"));
    expect(Number(customer.params!.items)).toBeGreaterThan(0);
    // The open items equal the ledgers rebuilt the slow way, from every invoice and every payment there is; the
    // import fetches only today's open items and the payments after the closing date. Currency and rate kept.
    const closing = `${YEAR}-12-31`;
    const [allInv, allSup, pays] = await Promise.all([api.listInvoices(), api.listSupplierInvoices(), everyPaymentWithCurrency(api)]);
    const [allPay, allSupPay] = [pays.customer, pays.supplier];
    const expected = [...customerLedgerAtDate(allInv, allPay, closing).items.map((i) => ({ side: "customer", ...i })), ...supplierLedgerAtDate(allSup, allSupPay, closing).items.map((i) => ({ side: "supplier", ...i }))];
    const items = resultRows<Record<string, unknown>>(await db.execute(sql`
      select side::text as side, invoice_number, currency, currency_rate, total_ore, open_ore, open_currency from ledger_open_items where import_id = ${importId}`));
    const key = (side: unknown, n: unknown) => `${side}:${n}`;
    expect(new Map(items.map((r) => [key(r.side, r.invoice_number), [r.currency, Number(r.currency_rate), toNumber(r.total_ore), toNumber(r.open_ore), toNumber(r.open_currency)]]))).toEqual(
      new Map(expected.map((i) => [key(i.side, i.invoiceNumber), [i.currency, i.currencyRate, i.totalOre, i.openOre, i.openCurrency]])),
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(current!.diff?.first).toBe(true);
  });

  async function sieBytes(tenantId = TENANT): Promise<Uint8Array> {
    const tokens = await connect(sandbox.url, { tenantId });
    const rest = apiClient(sandbox.url, tokens.access_token);
    const years = await rest.all<{ Id: number; FromDate: string }>("financialyears", "FinancialYears");
    const fy = years.find((y) => y.FromDate === `${YEAR}-01-01`)!;
    return new Uint8Array(await (await rest.call(`sie/4?financialyear=${fy.Id}`)).arrayBuffer());
  }

  async function* chunks(bytes: Uint8Array, size = 64 * 1024) {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  async function visibleState(projectId: string) {
    const { current } = await importState(db, projectId);
    if (!current) return null;
    const [n] = resultRows<{ v: unknown; r: unknown }>(
      await db.execute(sql`select (select count(*) from ledger_vouchers where import_id = ${current.id}) as v, (select count(*) from ledger_rows where import_id = ${current.id}) as r`),
    );
    return { id: current.id, vouchers: toNumber(n.v), rows: toNumber(n.r) };
  }

  /** Rows of any import that is not current: none may be left, attached or not. */
  async function orphanRows() {
    const [n] = resultRows<{ n: unknown }>(
      await db.execute(sql`select count(*) as n from ledger_rows r join imports i on i.id = r.import_id where not i.is_current`),
    );
    const tables = resultRows<{ tablename: string }>(await db.execute(sql`
      select tablename from pg_tables where (tablename like 'ledger\_rows\_%' or tablename like 'ledger\_vouchers\_%') and tablename not in (
        select t || replace(id::text, '-', '') from imports, unnest(array['ledger_rows_', 'ledger_vouchers_']) t where is_current)`));
    return toNumber(n.n) + tables.length;
  }

  test("re-import keeps one copy and shows what changed in Fortnox since the last import", async () => {
    const f = await firmWithData(db, "reimp", "5566778899");
    expect((await runImport(f)).state).toBe("succeeded");
    const first = await visibleState(f.project.id);
    const again = await runImport(f);
    expect(again.state).toBe("succeeded");
    const second = (await importState(db, f.project.id)).current!;
    expect(second.diff).toMatchObject({ first: false, newVouchers: 0, changedVouchers: 0, removedVouchers: 0, movedAccounts: [] });
    expect(await visibleState(f.project.id)).toMatchObject({ vouchers: first!.vouchers, rows: first!.rows });
    expect(await orphanRows()).toBe(0);

    // A voucher booked in Fortnox after the first import shows up as new, and its accounts as moved.
    const tokens = await connect(sandbox.url, { tenantId: TENANT });
    const rest = apiClient(sandbox.url, tokens.access_token);
    const years = await rest.all<{ Id: number; FromDate: string }>("financialyears", "FinancialYears");
    const fy = years.find((y) => y.FromDate === `${YEAR}-01-01`)!;
    const posted = await rest.post(`vouchers?financialyear=${fy.Id}`, {
      Voucher: { VoucherSeries: "A", TransactionDate: `${YEAR}-12-20`, Description: "Kaffe till kontoret", VoucherRows: [{ Account: 6110, Debit: 123.45, Credit: 0 }, { Account: 1930, Debit: 0, Credit: 123.45 }] },
    });
    expect(posted.status).toBe(201);
    expect((await runImport(f)).state).toBe("succeeded");
    const third = (await importState(db, f.project.id)).current!;
    expect(third.diff).toMatchObject({ newVouchers: 1, changedVouchers: 0, removedVouchers: 0 });
    expect(third.diff!.vouchers).toEqual([expect.objectContaining({ series: "A", change: "new", text: "Kaffe till kontoret" })]);
    const moved = Object.fromEntries(third.diff!.movedAccounts.map((m) => [m.account, m.afterOre - m.beforeOre]));
    expect(moved).toEqual({ "1930": -12345, "6110": 12345 });
    expect((await visibleState(f.project.id))!.vouchers).toBe(first!.vouchers + 1);
  });

  const sieRequests = async () => (await control(sandbox.url, "state")).body.requests.sie as number;

  test("a SIE download cut once after its first bytes is asked for again: the import succeeds with two requests", async () => {
    const f = await firmWithData(db, "trunc-once", "5566778899");
    await control(sandbox.url, "faults", { tenantId: TENANT, truncateSieAfterBytes: 20_000, truncateSieTimes: 1 });
    const before = await sieRequests();
    try {
      const job = await runImport(f);
      expect(job.errorKey).toBeNull();
      expect(job.state).toBe("succeeded");
    } finally {
      await control(sandbox.url, "faults", { tenantId: TENANT, truncateSieAfterBytes: null, truncateSieTimes: null });
    }
    expect((await sieRequests()) - before).toBe(2);
    const current = (await importState(db, f.project.id)).current!;
    // The partial first download left nothing behind: every voucher once, the balances agree.
    expect(Object.fromEntries(current.checks.map((c) => [c.key, c.status]))).toMatchObject({ vouchersBalance: "ok", balancesAgree: "ok" });
    const whole = await firmWithData(db, "trunc-ref", "5566778899");
    expect((await runImport(whole)).state).toBe("succeeded");
    const { id: _a, ...retried } = (await visibleState(f.project.id))!;
    const { id: _b, ...reference } = (await visibleState(whole.project.id))!;
    expect(retried).toEqual(reference);
    expect(await orphanRows()).toBe(0);
  });

  test("a SIE download cut every time fails after three requests with a clear message, changes nothing, and a retry succeeds", async () => {
    const f = await firmWithData(db, "trunc", "5566778899");
    expect((await runImport(f)).state).toBe("succeeded");
    const before = await visibleState(f.project.id);
    await control(sandbox.url, "faults", { tenantId: TENANT, truncateSieAfterBytes: 20_000 });
    const requestsBefore = await sieRequests();
    try {
      const failed = await runImport(f);
      expect(failed.state).toBe("failed");
      expect(["sieTruncated", "fortnox.error.network.reset", "fortnox.error.network.unknown", "fortnox.error.network.aborted"]).toContain(failed.errorKey);
    } finally {
      await control(sandbox.url, "faults", { tenantId: TENANT, truncateSieAfterBytes: null });
    }
    expect((await sieRequests()) - requestsBefore).toBe(3);
    expect(await visibleState(f.project.id)).toEqual(before);
    expect(await orphanRows()).toBe(0);
    const [failedImport] = await db.select().from(imports).where(and(eq(imports.projectId, f.project.id), eq(imports.status, "failed")));
    expect(failedImport.errorKey).toBeTruthy();
    expect((await runImport(f)).state).toBe("succeeded");
  });

  test("5xx answers and a 429 storm are retried: the import succeeds with the same data", async () => {
    const f = await firmWithData(db, "flaky", "5566778899");
    await control(sandbox.url, "faults", { tenantId: TENANT, errorRate: 0.2, seed: 7, storm429: 3 });
    try {
      const job = await runImport(f);
      expect(job.errorKey).toBeNull();
      expect(job.state).toBe("succeeded");
    } finally {
      await control(sandbox.url, "faults", { tenantId: TENANT, errorRate: 0, storm429: 0 });
    }
    const current = (await importState(db, f.project.id)).current!;
    expect(Object.fromEntries(current.checks.map((c) => [c.key, c.status]))).toMatchObject({ balancesAgree: "ok", customerLedger: "ok", supplierLedger: "ok" });
  });

  test("an access token that expired mid-import is refreshed and the import goes on", async () => {
    const f = await firmWithData(db, "expiry", "5566778899");
    await control(sandbox.url, "clock", { advanceSeconds: 3_700 });
    try {
      expect((await runImport(f)).state).toBe("succeeded");
    } finally {
      await control(sandbox.url, "clock", { offsetSeconds: 0 });
    }
  });

  test("tokens revoked mid-import: the import fails with the reconnect message and nothing is visible", async () => {
    const f = await firmWithData(db, "revoked", "5566778899");
    const own = await sandboxApi(sandbox.url, TENANT);
    registerJobHandler("import", importJobHandler({ fortnoxFor: async () => own.api }));
    await control(sandbox.url, "faults", { tenantId: TENANT, revokeAfterCalls: 2 });
    try {
      const job = await runImport(f);
      expect(job.state).toBe("failed");
      expect(job.errorKey).toBe("fortnox.error.needs_reconnect");
    } finally {
      await control(sandbox.url, "faults", { tenantId: TENANT, revokeAfterCalls: null });
      registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
    }
    expect(await visibleState(f.project.id)).toBeNull();
    // The shared client's tokens went too: connect again for the tests that follow.
    ({ api } = await sandboxApi(sandbox.url, TENANT));
  });

  test("without the SIE module the year comes over REST, with the same balances", async () => {
    const f = await firmWithData(db, "rest", "5566778899");
    // One request per voucher: Fortnox's 24 per 5 s would make this test take a minute; the sandbox has no limit here.
    const fast = await sandboxApi(sandbox.url, TENANT, { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) });
    registerJobHandler("import", importJobHandler({ fortnoxFor: async () => fast.api }));
    await control(sandbox.url, "faults", { tenantId: TENANT, sieUnavailable: "licence" });
    try {
      const job = await runImport(f);
      expect(job.errorKey).toBeNull();
    } finally {
      await control(sandbox.url, "faults", { tenantId: TENANT, sieUnavailable: null });
      registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
    }
    const viaRest = (await importState(db, f.project.id)).current!;
    expect(viaRest.meta.viaRest).toBe(true);
    expect((await runImport(f)).state).toBe("succeeded");
    const viaSie = (await importState(db, f.project.id)).current!;
    // Same vouchers and the same closing balances whichever way they came.
    expect(viaSie.diff).toMatchObject({ newVouchers: 0, removedVouchers: 0, movedAccounts: [] });
  });

  test("an uploaded SIE file goes through the same path; broken and foreign files are refused and change nothing", async () => {
    const f = await firmWithData(db, "sie", "5566778899");
    const bytes = await sieBytes();
    const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
    const ok = await startSieImport(db, ref, "demo.se", chunks(bytes));
    expect(await workOnce(db, ["import"])).toBe(true);
    expect((await getJob(db, ok.id))!.state).toBe("succeeded");
    const viaFile = (await importState(db, f.project.id)).current!;
    expect(viaFile.source).toBe("sie");
    expect(viaFile.meta).toMatchObject({ fileName: "demo.se", encoding: "cp437", ksumma: "valid" });
    expect(Object.fromEntries(viaFile.checks.map((c) => [c.key, c.status]))).toMatchObject({ sieYear: "ok", orgNr: "ok", vouchersBalance: "ok", balancesAgree: "ok" });
    const before = await visibleState(f.project.id);

    // Not a SIE file at all: refused before anything is stored.
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
    await expect(startSieImport(db, ref, "faktura.se", chunks(pdf))).rejects.toMatchObject({ key: "sieNotSie" });
    // Cut in the middle: refused by the import, nothing changes.
    const cut = await startSieImport(db, ref, "halv.se", chunks(bytes.subarray(0, Math.floor(bytes.length / 2))));
    await workOnce(db, ["import"]);
    expect((await getJob(db, cut.id))!).toMatchObject({ state: "failed", errorKey: "sieTruncated" });
    // One changed byte: the checksum says so.
    const tampered = bytes.slice();
    const at = Buffer.from(tampered).indexOf("#TRANS 1930");
    tampered[at + 8] = "2".charCodeAt(0);
    const bad = await startSieImport(db, ref, "andrad.se", chunks(tampered));
    await workOnce(db, ["import"]);
    expect((await getJob(db, bad.id))!).toMatchObject({ state: "failed", errorKey: "sieChecksumInvalid" });
    // Another year's file.
    const other = await firmWithData(db, "sie-year", "5566778899");
    await db.execute(sql`update projects set start_date = '2024-01-01', end_date = '2024-12-31' where id = ${other.project.id}`);
    const wrongYear = await startSieImport(db, { firmId: other.firm.id, projectId: other.project.id, userId: other.user.id }, "fel-ar.se", chunks(bytes));
    await workOnce(db, ["import"]);
    expect((await getJob(db, wrongYear.id))!).toMatchObject({ state: "failed", errorKey: "sieYearMismatch" });

    // An empty file, and two uploads racing for one project: refused, and no stored bytes left behind.
    await expect(startSieImport(db, ref, "tom.se", chunks(new Uint8Array(0)))).rejects.toMatchObject({ key: "sieNotSie" });
    const race = await Promise.allSettled([startSieImport(db, ref, "a.se", chunks(bytes)), startSieImport(db, ref, "b.se", chunks(bytes))]);
    expect(race.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((race.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ key: "jobAlreadyActive" });
    const [queuedBlobs] = resultRows<{ n: unknown }>(await db.execute(sql`select count(*) as n from blobs`));
    expect(toNumber(queuedBlobs.n)).toBe(1);
    await workOnce(db, ["import"]);

    expect(await visibleState(f.project.id)).toMatchObject({ vouchers: before!.vouchers, rows: before!.rows });
    expect(await orphanRows()).toBe(0);
    const [blobs] = resultRows<{ n: unknown }>(await db.execute(sql`select count(*) as n from blobs`));
    expect(toNumber(blobs.n)).toBe(0);
  });

  test("one import per project at a time", async () => {
    const f = await firmWithData(db, "twice", "5566778899");
    const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
    await startFortnoxImport(db, ref, "fortnox");
    await expect(startFortnoxImport(db, ref, "fortnox")).rejects.toMatchObject({ key: "jobAlreadyActive" });
    await workOnce(db, ["import"]);
    const all = await db.select().from(jobs).where(eq(jobs.projectId, f.project.id));
    expect(all.map((j) => j.state)).toEqual(["succeeded"]);
  });
});
