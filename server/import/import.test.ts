import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { imports, jobs } from "@/db/schema";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { apiClient, connect, control, ore } from "@/server/sandbox/testing/helpers";
import { start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { importJobHandler } from "./job";
import { importState, startFortnoxImport } from "./service";
import { sandboxApi } from "./testing";

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
    sandbox = await start({ currentYear: YEAR + 1, vouchers: { [TENANT]: 400 } });
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
    // Foreign-currency items keep their currency.
    const eur = resultRows<{ n: unknown }>(await db.execute(sql`select count(*) as n from ledger_open_items where import_id = ${importId} and currency = 'EUR'`));
    expect(toNumber(eur[0].n)).toBeGreaterThanOrEqual(0);
    expect(current!.diff?.first).toBe(true);
  });
});
