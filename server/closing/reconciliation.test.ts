import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import type { SectionNode, TrialBalanceAccount } from "./trial-balance";

// Trial balance and account analysis through the routers, on a SIE file of the sandbox's demo company.

type F = Awaited<ReturnType<typeof firmWithData>>;
const ref = (f: F) => ({ firmId: f.firm.id, projectId: f.project.id, userId: f.user.id });

function accountsOf(sections: SectionNode[]): TrialBalanceAccount[] {
  return sections.flatMap((s) => [...s.groups.flatMap((g) => g.accounts), ...accountsOf(s.children)]);
}

function checkTotals(s: SectionNode) {
  const own = [...s.children.map((c) => c.total.ubOre), ...s.groups.map((g) => g.total.ubOre)].reduce((a, b) => a + b, 0);
  expect(s.total.ubOre, s.key).toBe(own);
  for (const g of s.groups) expect(g.total.ubOre, g.key).toBe(g.accounts.reduce((a, x) => a + x.ubOre, 0));
  s.children.forEach(checkTotals);
}

describe.each(dbTargets())("trial balance and account analysis on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let a: F;
  let importId: string;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
    a = await firmWithData(db, "tb", DEMO_ORG_NR);
    importId = (await importSie(db, ref(a), demoSieBytes({ vouchers: 400 }))).id;
  });
  afterAll(() => handle?.close());

  it("before any import, the closing views say so instead of failing", async () => {
    const empty = await firmWithData(db, "tb-empty", DEMO_ORG_NR);
    await expect(empty.caller.reconciliation.trialBalance({ projectId: empty.project.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", messageKey: "closingNoImport" });
    await expect(empty.caller.reconciliation.analysis({ projectId: empty.project.id, account: "1930" })).rejects.toMatchObject({ messageKey: "closingNoImport" });
  });

  it("groups every account under its annual-report heading and BAS group, with subtotals that add up", async () => {
    const tb = await a.caller.reconciliation.trialBalance({ projectId: a.project.id });
    expect(tb.balance.map((s) => s.key)).toEqual(["assets", "equityAndLiabilities"]);
    expect(tb.balance[0].children.map((s) => s.key)).toEqual(["fixedAssets", "currentAssets"]);
    expect(tb.income.map((s) => s.key)).toEqual(["operatingIncome", "operatingExpenses", "financialItems", "appropriations", "taxAndResult"]);
    tb.balance.forEach(checkTotals);
    tb.income.forEach(checkTotals);
    const cash = tb.balance[0].children[1].children.find((c) => c.key === "cashAndBank")!;
    expect(cash.groups.map((g) => g.key)).toEqual(["19"]);
    expect(cash.groups[0].accounts.map((x) => x.number)).toContain("1930");
    const bs = accountsOf(tb.balance);
    const is = accountsOf(tb.income);
    expect(bs.every((x) => /^[12]/.test(x.number))).toBe(true);
    expect(is.every((x) => /^[3-8]/.test(x.number))).toBe(true);
    expect(bs.find((x) => x.number === "1930")!.name).toBe("Företagskonto/checkkonto/affärskonto");
    // The running results of the income statement: the last one is the sum of every result account.
    expect(tb.income.at(-1)!.resultAfter!.key).toBe("netResult");
    expect(tb.income.at(-1)!.resultAfter!.amounts.ubOre).toBe(is.reduce((s, x) => s + x.ubOre, 0));
  });

  it("shows IB, period change and UB as the file states them, and the balance check agrees", async () => {
    const tb = await a.caller.reconciliation.trialBalance({ projectId: a.project.id });
    const all = [...accountsOf(tb.balance), ...accountsOf(tb.income)];
    const file = resultRows<{ account: string; kind: string; amount: unknown }>(
      await db.execute(sql`select account, kind, amount_ore as amount from ledger_balances where import_id = ${importId} and year_index = 0`),
    );
    let compared = 0;
    for (const x of all) {
      expect(x.ubOre).toBe(x.ibOre + x.changeOre);
      expect(x.adjustedOre).toBe(x.ubOre);
      const ib = file.find((r) => r.account === x.number && r.kind === "IB");
      const ub = file.find((r) => r.account === x.number && r.kind === (/^[12]/.test(x.number) ? "UB" : "RES"));
      expect(x.ibOre, `IB ${x.number}`).toBe(ib ? toNumber(ib.amount) : 0);
      if (ub) {
        expect(x.ubOre, `UB ${x.number}`).toBe(toNumber(ub.amount));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
    expect(all.reduce((s, x) => s + x.ubOre, 0)).toBe(0);
    const c = tb.check.ub;
    expect(c).toMatchObject({ ok: true, differenceOre: 0 });
    expect(c.resultOre).toBe(-accountsOf(tb.income).filter((x) => x.number !== "8999").reduce((s, x) => s + x.ubOre, 0));
    expect(c.assetsOre + c.equityAndLiabilitiesOre).toBe(c.unbookedResultOre);
    expect(c.resultOre).not.toBe(0);
    expect(tb.progress.toReconcile).toBeGreaterThan(5);
    expect(tb.progress.reconciled).toBe(0);
  });

  it("pages through 1930 by keyset with a running balance that ends at UB, forwards and backwards", async () => {
    const tb = await a.caller.reconciliation.trialBalance({ projectId: a.project.id });
    const cash = accountsOf(tb.balance).find((x) => x.number === "1930")!;
    expect(cash.rowCount).toBeGreaterThan(60);
    const pages: Awaited<ReturnType<typeof a.caller.reconciliation.analysis>>[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await a.caller.reconciliation.analysis({ projectId: a.project.id, account: "1930", limit: 25, after });
      pages.push(p);
      if (!p.page.next) break;
      after = p.page.next;
    }
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.length).toBe(cash.rowCount);
    expect(pages[0].ibOre).toBe(cash.ibOre);
    expect(pages[0].page.prev).toBeNull();
    let balance = cash.ibOre;
    for (const r of rows) {
      balance += r.amountOre;
      expect(r.balanceOre).toBe(balance);
      expect(r.kind).toBe(0);
    }
    expect(balance).toBe(cash.ubOre);
    const dates = rows.map((r) => r.date!);
    expect([...dates].sort()).toEqual(dates);

    // Back from page 3 gives page 2 again, balances and all; "end" gives the last page.
    const back = await a.caller.reconciliation.analysis({ projectId: a.project.id, account: "1930", limit: 25, before: pages[2].page.prev! });
    expect(back.rows).toEqual(pages[1].rows);
    expect(back.page.next).toBe(pages[1].page.next);
    const last = await a.caller.reconciliation.analysis({ projectId: a.project.id, account: "1930", limit: 25, before: "end" });
    expect(last.rows).toEqual(pages.at(-1)!.rows.length === 25 ? pages.at(-1)!.rows : rows.slice(-25));
    expect(last.rows.at(-1)!.balanceOre).toBe(cash.ubOre);
    expect(last.page.next).toBeNull();
  });

  it("shows corrections (#BTRANS/#RTRANS) only on demand, and they never move the balance", async () => {
    const [withCorrections] = resultRows<{ account: string }>(
      await db.execute(sql`select account from ledger_rows where import_id = ${importId} and kind = 2 group by account order by count(*) desc limit 1`),
    );
    expect(withCorrections).toBeDefined();
    const account = withCorrections.account;
    const plain = await a.caller.reconciliation.analysis({ projectId: a.project.id, account, limit: 500 });
    const full = await a.caller.reconciliation.analysis({ projectId: a.project.id, account, limit: 500, corrections: true });
    expect(plain.rows.every((r) => r.kind === 0)).toBe(true);
    const corrections = full.rows.filter((r) => r.kind !== 0);
    expect(corrections.length).toBeGreaterThan(0);
    expect(corrections.every((r) => r.balanceOre === null)).toBe(true);
    expect(full.rows.filter((r) => r.kind === 0)).toEqual(plain.rows);
    // The voucher opens with all its rows; its effective rows balance.
    const v = await a.caller.reconciliation.voucher({ projectId: a.project.id, voucherId: corrections[0].voucherId });
    expect(v.rows.some((r) => r.kind === 2)).toBe(true);
    expect(v.rows.filter((r) => r.kind === 0).reduce((s, r) => s + r.amountOre, 0)).toBe(0);
  });

  it("refuses a made-up cursor, an unknown account and an unknown voucher", async () => {
    await expect(a.caller.reconciliation.analysis({ projectId: a.project.id, account: "1930", after: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "invalidCursor" });
    await expect(a.caller.reconciliation.analysis({ projectId: a.project.id, account: "1999" })).rejects.toMatchObject({ code: "NOT_FOUND", messageKey: "accountNotFound" });
    await expect(a.caller.reconciliation.voucher({ projectId: a.project.id, voucherId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("another firm's project is not found, whatever it asks", async () => {
    const b = await firmWithData(db, "tb-b", "2120000142");
    for (const call of [
      () => b.caller.reconciliation.trialBalance({ projectId: a.project.id }),
      () => b.caller.reconciliation.analysis({ projectId: a.project.id, account: "1930" }),
      () => b.caller.reconciliation.voucher({ projectId: a.project.id, voucherId: 1 }),
      () => b.caller.reconciliation.chart({ projectId: a.project.id }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("keeps the user's work over a re-import and flags signed-off accounts whose balance moved", async () => {
    const f = await firmWithData(db, "tb-reimport", DEMO_ORG_NR);
    await importSie(db, ref(f), demoSieBytes({ vouchers: 300 }));
    const projectId = f.project.id;
    const tb = await f.caller.reconciliation.trialBalance({ projectId });
    const bs = accountsOf(tb.balance);
    const cash = bs.find((x) => x.number === "1930")!;
    const capital = bs.find((x) => x.number === "2081")!;
    // 1930 specified exactly and signed off; 2081 (share capital, unchanged by a re-import) too.
    await f.caller.schedule.saveRows({ projectId, account: "1930", rows: [{ text: "Kontoutdrag 31/12", amountOre: cash.adjustedOre }] });
    await f.caller.schedule.signOff({ projectId, account: "1930" });
    await f.caller.schedule.saveRows({ projectId, account: "2081", rows: [{ text: "Aktiekapital enligt registreringsbevis", amountOre: capital.adjustedOre }] });
    await f.caller.schedule.signOff({ projectId, account: "2081" });

    // The same company a little bigger: Fortnox has more vouchers now, and 1930 moved.
    const next = await importSie(db, ref(f), demoSieBytes({ vouchers: 340 }));
    expect(next.diff!.first).toBe(false);
    const after = accountsOf((await f.caller.reconciliation.trialBalance({ projectId })).balance);
    const cashAfter = after.find((x) => x.number === "1930")!;
    expect(cashAfter.ubOre).not.toBe(cash.ubOre);
    expect(next.diff!.signedOffChanged).toEqual([{ account: "1930", signedOffOre: cash.ubOre, afterOre: cashAfter.ubOre }]);
    // The work is still there, keyed by project and account; the schedule shows it moved.
    const s = await f.caller.schedule.get({ projectId, account: "1930" });
    expect(s.rows).toEqual([{ seq: 1, text: "Kontoutdrag 31/12", amountOre: cash.adjustedOre }]);
    expect(s.status).toBe("reconciled");
    expect(s.changedSinceSignOff).toBe(true);
    expect(s.differenceOre).toBe(cash.adjustedOre - cashAfter.adjustedOre);
    expect(cashAfter.schedule).toMatchObject({ status: "reconciled", changedSinceSignOff: true });
    expect(after.find((x) => x.number === "2081")!.schedule).toMatchObject({ status: "reconciled", changedSinceSignOff: false });
  });
});
