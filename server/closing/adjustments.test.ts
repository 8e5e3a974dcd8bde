import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import { adjustmentExportSource, lockForExport, markExported, releaseExportLock } from "./adjustments-for-export";
import type { SectionNode, TrialBalanceAccount } from "./trial-balance";

// Adjustment vouchers through the router: Fortnox's voucher rules, the trial balance following at once, the
// export lock and read-only exported vouchers, and the closing entry.

type F = Awaited<ReturnType<typeof firmWithData>>;
const accountsOf = (sections: SectionNode[]): TrialBalanceAccount[] => sections.flatMap((s) => [...s.groups.flatMap((g) => g.accounts), ...accountsOf(s.children)]);

describe.each(dbTargets())("adjustments on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let a: F;
  let projectId: string;
  let importId: string;

  const voucher = (over: Record<string, unknown> = {}) => ({
    date: "2025-12-31",
    text: "Bankavgift december",
    rows: [{ account: "6570", amountOre: 12_345 }, { account: "1930", amountOre: -12_345 }],
    ...over,
  });
  const balances = async () => {
    const tb = await a.caller.reconciliation.trialBalance({ projectId });
    return { tb, by: new Map([...accountsOf(tb.balance), ...accountsOf(tb.income), ...accountsOf(tb.other)].map((x) => [x.number, x])) };
  };
  const count = async () => toNumber(resultRows<{ n: unknown }>(await db.execute(sql`select count(*) as n from adjustments where project_id = ${projectId}`))[0].n);

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
    a = await firmWithData(db, "adj", DEMO_ORG_NR);
    projectId = a.project.id;
    importId = (await importSie(db, { firmId: a.firm.id, projectId, userId: a.user.id }, demoSieBytes({ vouchers: 200 }))).id;
  });
  afterAll(() => handle?.close());

  it("creates a balanced voucher and the trial balance's adjustment columns follow at once", async () => {
    const before = (await balances()).by;
    const created = await a.caller.adjustment.create({ projectId, voucher: voucher() });
    expect(created.number).toBe(1);
    const { tb, by } = await balances();
    expect(by.get("1930")).toMatchObject({ ubOre: before.get("1930")!.ubOre, adjustmentOre: -12_345, adjustedOre: before.get("1930")!.ubOre - 12_345 });
    expect(by.get("6570")!.adjustedOre).toBe(before.get("6570")!.ubOre + 12_345);
    expect(tb.check.adjusted.ok).toBe(true);
    expect(tb.check.adjusted.resultOre).toBe(tb.check.ub.resultOre - 12_345);
    const listed = await a.caller.adjustment.list({ projectId });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ number: 1, status: "notExported", debitOre: 12_345, inLedger: false, createdByName: a.user.name });
    expect(listed[0].rows.map((r) => [r.account, r.amountOre, r.accountName])).toEqual([["6570", 12_345, "Bankkostnader"], ["1930", -12_345, "Företagskonto/checkkonto/affärskonto"]]);

    // Editing it moves the columns again; the number stays.
    await a.caller.adjustment.update({ projectId, adjustmentId: created.id, voucher: voucher({ rows: [{ account: "6570", amountOre: 500 }, { account: "1930", amountOre: -500, text: "Avgift" }] }) });
    expect((await balances()).by.get("1930")!.adjustmentOre).toBe(-500);
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: created.id })).rows[1].text).toBe("Avgift");
    await a.caller.adjustment.delete({ projectId, adjustmentId: created.id });
    expect((await balances()).by.get("1930")!.adjustmentOre).toBe(0);
    // Numbers are never reused.
    const again = await a.caller.adjustment.create({ projectId, voucher: voucher() });
    expect(again.number).toBe(2);
    await a.caller.adjustment.delete({ projectId, adjustmentId: again.id });
  });

  it("refuses bad vouchers with a clear message and stores nothing", async () => {
    const n = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ rows: [{ account: "6570", amountOre: 100 }, { account: "1930", amountOre: -99 }] }, "adjustmentUnbalanced"],
      [{ date: "2024-12-31" }, "adjustmentDateOutsideYear"],
      [{ date: "2026-01-01" }, "adjustmentDateOutsideYear"],
      [{ date: "2025-02-30" }, "adjustmentDateOutsideYear"],
      [{ text: "   " }, "adjustmentTextRequired"],
      [{ text: "x".repeat(201) }, "adjustmentTextTooLong"],
      [{ rows: [{ account: "1930", amountOre: 0 }] }, "adjustmentTooFewRows"],
      [{ rows: [{ account: "6570", amountOre: 0 }, { account: "1930", amountOre: 0 }] }, "adjustmentRowZero"],
      [{ rows: [{ account: "65x0", amountOre: 100 }, { account: "1930", amountOre: -100 }] }, "accountNumberInvalid"],
      [{ rows: [{ account: "9100", amountOre: 100 }, { account: "1930", amountOre: -100 }] }, "accountNumberInvalid"],
      [{ rows: [{ account: "6571", amountOre: 100 }, { account: "1930", amountOre: -100 }] }, "accountNotInChart"],
      [{ rows: [{ account: "6571", amountOre: 100 }, { account: "1930", amountOre: -100 }], newAccounts: [{ number: "6571", name: " " }] }, "accountNameRequired"],
      [{ rows: [{ account: "6570", amountOre: 10_000_000_000_001 }, { account: "1930", amountOre: -10_000_000_000_001 }] }, "amountTooLarge"],
    ];
    for (const [over, key] of cases) {
      const err = await a.caller.adjustment.create({ projectId, voucher: voucher(over) }).then(() => null, (e: unknown) => e);
      expect(err, key).toMatchObject({ code: "BAD_REQUEST", messageKey: key });
    }
    // The message names the difference as the user reads amounts.
    const unbalanced = await a.caller.adjustment.create({ projectId, voucher: voucher({ rows: [{ account: "6570", amountOre: 100_000 }, { account: "1930", amountOre: -99_950 }] }) }).catch((e: Error) => e);
    expect((unbalanced as Error).message).toContain("0,50 kr");
    // Amounts are whole öre: zod refuses fractions before the domain sees them.
    await expect(a.caller.adjustment.create({ projectId, voucher: voucher({ rows: [{ account: "6570", amountOre: 10.5 }, { account: "1930", amountOre: -10.5 }] }) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await count()).toBe(n);
  });

  it("adds a confirmed new account with its name, and the trial balance shows it", async () => {
    const created = await a.caller.adjustment.create({
      projectId,
      voucher: voucher({ rows: [{ account: "6571", amountOre: 2_000 }, { account: "1930", amountOre: -2_000 }], newAccounts: [{ number: "6571", name: "Bankavgifter utland" }] }),
    });
    const { by } = await balances();
    expect(by.get("6571")).toMatchObject({ name: "Bankavgifter utland", isNew: true, ubOre: 0, adjustedOre: 2_000 });
    const chart = await a.caller.reconciliation.chart({ projectId });
    expect(chart.find((c) => c.number === "6571")).toMatchObject({ isNew: true });
    // Once known, it needs no confirmation again.
    const second = await a.caller.adjustment.create({ projectId, voucher: voucher({ rows: [{ account: "6571", amountOre: 1 }, { account: "1930", amountOre: -1 }] }) });
    await a.caller.adjustment.delete({ projectId, adjustmentId: second.id });
    await a.caller.adjustment.delete({ projectId, adjustmentId: created.id });
  });

  it("is read-only while the exporter holds it and once exported; a correction is a new voucher", async () => {
    const adj = await a.caller.adjustment.create({ projectId, voucher: voucher({ text: "Periodisering hyra", rows: [{ account: "6570", amountOre: 12_345, text: "Avgift" }, { account: "1930", amountOre: -12_345 }] }) });
    const source = adjustmentExportSource(db, projectId);
    const [sent] = await source.loadVouchers([adj.id, "00000000-0000-4000-8000-000000000000"]);
    expect(sent).toMatchObject({ id: adj.id, date: "2025-12-31", text: "Periodisering hyra", attachments: [] });
    expect(sent.rows).toEqual([{ account: "6570", amountOre: 12_345, text: "Avgift" }, { account: "1930", amountOre: -12_345 }]);
    await lockForExport(db, projectId, adj.id, "job-1");
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: adj.id })).status).toBe("exporting");
    await expect(a.caller.adjustment.update({ projectId, adjustmentId: adj.id, voucher: voucher() })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "adjustmentLocked" });
    await expect(a.caller.adjustment.delete({ projectId, adjustmentId: adj.id })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "adjustmentLocked" });
    await expect(lockForExport(db, projectId, adj.id, "job-2")).rejects.toMatchObject({ key: "adjustmentLocked" });
    // The same holder may take it again (a resumed job), and release it after a certain failure.
    await lockForExport(db, projectId, adj.id, "job-1");
    await releaseExportLock(db, projectId, adj.id, "job-2");
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: adj.id })).status).toBe("exporting");
    await releaseExportLock(db, projectId, adj.id, "job-1");
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: adj.id })).status).toBe("notExported");

    await lockForExport(db, projectId, adj.id, "job-3");
    await source.markExported(adj.id, { series: "Ö", number: 7, financialYearId: 2, fileIds: {} });
    // Said twice after a crash: the first reference stays.
    await source.markExported(adj.id, { series: "Ö", number: 8, financialYearId: 2, fileIds: {} });
    const exported = await a.caller.adjustment.get({ projectId, adjustmentId: adj.id });
    expect(exported).toMatchObject({ status: "exported", fortnoxRef: { series: "Ö", number: 7, financialYearId: 2 }, inLedger: false });
    expect(exported.exportedAt).toBeInstanceOf(Date);
    await expect(a.caller.adjustment.update({ projectId, adjustmentId: adj.id, voucher: voucher() })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "adjustmentExported" });
    await expect(a.caller.adjustment.delete({ projectId, adjustmentId: adj.id })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "adjustmentExported" });
    await expect(lockForExport(db, projectId, adj.id, "job-3")).rejects.toMatchObject({ key: "adjustmentExported" });
    // Not yet in the imported books: it still counts as an adjustment.
    expect((await balances()).by.get("1930")!.adjustmentOre).toBe(-12_345);

    // Once the import holds its voucher (same series and number), the books carry it and it is no longer added.
    const [v] = resultRows<{ series: string; number: string }>(await db.execute(sql`select series, number from ledger_vouchers where import_id = ${importId} order by id limit 1`));
    await db.execute(sql`update adjustments set fortnox_ref = ${JSON.stringify({ series: v.series, number: Number(v.number) })}::jsonb where id = ${adj.id}`);
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: adj.id })).inLedger).toBe(true);
    expect((await balances()).by.get("1930")!.adjustmentOre).toBe(0);
  });

  it("books the year's result on 8999 against 2099 from the adjusted result, and keeps it up to date", async () => {
    // The demo year is already closed in the books (8999 against 2099); depreciation moves the result again.
    const dep = await a.caller.adjustment.create({ projectId, voucher: voucher({ text: "Avskrivning inventarier", kind: "depreciation", rows: [{ account: "7832", amountOre: 4_000_000 }, { account: "1229", amountOre: -4_000_000 }] }) });
    const start = await balances();
    const result = start.tb.check.adjusted.unbookedResultOre;
    expect(result).toBe(start.tb.check.adjusted.resultOre - start.tb.check.adjusted.bookedResultOre);
    expect(result).toBeLessThanOrEqual(-4_000_000);
    expect(start.tb.check.adjusted.ok).toBe(true);
    const entry = await a.caller.adjustment.closingEntry({ projectId });
    expect(entry!.resultOre).toBe(result);
    let { tb, by } = await balances();
    expect(by.get("8999")!.adjustmentOre).toBe(result);
    expect(by.get("2099")!.adjustmentOre).toBe(-result);
    expect(tb.check.adjusted).toMatchObject({ ok: true, unbookedResultOre: 0, bookedResultOre: start.tb.check.adjusted.bookedResultOre + result });
    // The balance sheet now nets to zero, and the income statement's last line is zero.
    expect(tb.check.adjusted.assetsOre + tb.check.adjusted.equityAndLiabilitiesOre).toBe(0);
    expect(tb.income.at(-1)!.resultAfter!.amounts.adjustedOre).toBe(0);
    const listed = await a.caller.adjustment.get({ projectId, adjustmentId: entry!.id });
    expect(listed).toMatchObject({ kind: "closingEntry", date: "2025-12-31", text: "Årets resultat" });
    expect((await a.caller.adjustment.get({ projectId, adjustmentId: dep.id })).kind).toBe("depreciation");

    // A later adjustment changes the result: regenerating updates the same entry.
    const extra = await a.caller.adjustment.create({ projectId, voucher: voucher({ rows: [{ account: "6570", amountOre: 1_000 }, { account: "1930", amountOre: -1_000 }] }) });
    expect((await balances()).tb.check.adjusted.unbookedResultOre).toBe(-1_000);
    const again = await a.caller.adjustment.closingEntry({ projectId });
    expect(again!.id).toBe(entry!.id);
    expect(again!.resultOre).toBe(result - 1_000);
    ({ tb, by } = await balances());
    expect(tb.check.adjusted.unbookedResultOre).toBe(0);
    await expect(a.caller.adjustment.closingEntry({ projectId })).resolves.toMatchObject({ id: entry!.id });

    // Once exported, a further change gets its own entry for what is left.
    await lockForExport(db, projectId, entry!.id, "job-ce");
    await markExported(db, projectId, entry!.id, { series: "Ö", number: 99 });
    await a.caller.adjustment.update({ projectId, adjustmentId: extra.id, voucher: voucher({ rows: [{ account: "6570", amountOre: 3_000 }, { account: "1930", amountOre: -3_000 }] }) });
    const rest = await a.caller.adjustment.closingEntry({ projectId });
    expect(rest!.id).not.toBe(entry!.id);
    expect(rest!.resultOre).toBe(-2_000);
    expect((await balances()).tb.check.adjusted.unbookedResultOre).toBe(0);
    // Nothing left to book now.
    await a.caller.adjustment.delete({ projectId, adjustmentId: rest!.id });
    await a.caller.adjustment.update({ projectId, adjustmentId: extra.id, voucher: voucher({ rows: [{ account: "6570", amountOre: 1_000 }, { account: "1930", amountOre: -1_000 }] }) });
    await expect(a.caller.adjustment.closingEntry({ projectId })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "closingEntryNothing" });
  });

  it("the overview's steps follow: reconciliation to do with its count, adjustments done once the result is booked", async () => {
    const o = await a.caller.project.overview({ projectId });
    const step = (k: string) => o.steps.find((s) => s.key === k)!;
    expect(step("reconcile")).toMatchObject({ state: "todo", params: { reconciled: 0 } });
    expect(step("reconcile").params!.total).toBeGreaterThan(5);
    expect(step("adjust")).toMatchObject({ state: "done" });
  });

  it("another firm's ids are not found and change nothing", async () => {
    const b = await firmWithData(db, "adj-b", "2120000142");
    const [one] = await a.caller.adjustment.list({ projectId });
    await expect(b.caller.adjustment.get({ projectId, adjustmentId: one.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.caller.adjustment.create({ projectId, voucher: voucher() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.caller.adjustment.update({ projectId: b.project.id, adjustmentId: one.id, voucher: voucher() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(lockForExport(db, b.project.id, one.id, "job-b")).rejects.toMatchObject({ key: "adjustmentNotFound" });
  });
});
