import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { markExported } from "@/server/closing/adjustments-for-export";
import { dbTargets } from "@/server/testing/db";
import { callerFor, firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import iconv from "iconv-lite";
import { handleSruDownload } from "@/server/api/sru-files";
import { bookProjectTax, saveTaxChoices } from "./project-book";
import { projectTax } from "./project-tax";

// The Skatt step against a real import: booking creates the vouchers once, recalculating (also after a re-import)
// updates the unexported ones in place and never duplicates one, and an exported one stays as it is while a
// correcting voucher books the difference.

type F = Awaited<ReturnType<typeof firmWithData>>;

describe.each(dbTargets())("project tax on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let a: F;
  let scope: { firmId: string; projectId: string; userId: string };

  const vouchers = async () => {
    const rows = resultRows<{ id: string; number: number; kind: string; text: string; exported_at: unknown; account: string; amount: unknown }>(
      await db.execute(sql`select a.id, a.number, a.kind, a.text, a.exported_at, r.account, r.amount_ore as amount from adjustments a
        join adjustment_rows r on r.adjustment_id = a.id where a.project_id = ${scope.projectId} order by a.number, r.seq`),
    );
    const by = new Map<number, { id: string; kind: string; text: string; exported: boolean; rows: [string, number][] }>();
    for (const r of rows) {
      const v = by.get(Number(r.number)) ?? { id: r.id, kind: r.kind, text: r.text, exported: r.exported_at != null, rows: [] };
      v.rows.push([r.account, toNumber(r.amount)]);
      by.set(Number(r.number), v);
    }
    return by;
  };
  const ofKind = async (kind: string) => [...(await vouchers()).entries()].filter(([, v]) => v.kind === kind);
  const compute = async () => (await projectTax(db, scope.firmId, scope.projectId))!.computation;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
    a = await firmWithData(db, "tax", DEMO_ORG_NR);
    scope = { firmId: a.firm.id, projectId: a.project.id, userId: a.user.id };
    await importSie(db, scope, demoSieBytes({ vouchers: 200 }));
  });
  afterAll(() => handle?.close());

  it("computes from the books and shows the maximum allocation", async () => {
    const c = await compute();
    expect(c.checks.balanceOk).toBe(true);
    expect(c.checks.resultOk).toBe(true);
    expect(c.planning.taxableOre).toBeGreaterThan(0);
    // 25 % of the surplus before the allocation, in whole kronor.
    expect(c.planning.maxAllocationOre).toBe(Math.floor(c.planning.basisOre / 100 / 4) * 100);
  });

  it("books allocation, tax and the year's result once; booking again changes nothing", async () => {
    const max = (await compute()).planning.maxAllocationOre;
    const allocation = Math.floor(max / 200) * 100; // about half the maximum, whole kronor
    await saveTaxChoices(db, scope, { allocationOre: allocation });
    const first = await bookProjectTax(db, scope);
    expect(first.created).toHaveLength(3 - 1); // allocation and tax; the closing entry is counted apart
    expect(first.resultOre).not.toBeNull();
    const [[, alloc]] = await ofKind("taxFundAllocation");
    expect(alloc.rows).toEqual([["8811", allocation], [expect.stringMatching(/^21[23]\d$/), -allocation]]);
    const [[taxNo, tax]] = await ofKind("incomeTaxCalculated");
    const c = await compute();
    // What the voucher books is what the computation plans on top of the books without it.
    expect(tax.rows).toEqual([["8910", c.planned.tax!.amountOre], ["2512", -c.planned.tax!.amountOre]]);
    expect(c.planning.allocationOre).toBe(allocation);
    expect(await ofKind("closingEntry")).toHaveLength(1);

    const before = await vouchers();
    const again = await bookProjectTax(db, scope);
    expect(again.created).toEqual([]);
    expect(again.updated.sort()).toEqual([...first.created].sort());
    expect(await vouchers()).toEqual(before);
    expect(taxNo).toBeGreaterThan(0);
  });

  it("after a re-import and a new choice, updates the unexported vouchers in place and never duplicates one", async () => {
    const before = await vouchers();
    await importSie(db, scope, demoSieBytes({ vouchers: 300 }));
    await saveTaxChoices(db, scope, { allocationOre: 100_000 });
    const r = await bookProjectTax(db, scope);
    expect(r.created).toEqual([]);
    const after = await vouchers();
    expect([...after.keys()]).toEqual([...before.keys()]);
    const [[, alloc]] = await ofKind("taxFundAllocation");
    expect(alloc.rows[0]).toEqual(["8811", 100_000]);
    const c = await compute();
    const [[, tax]] = await ofKind("incomeTaxCalculated");
    expect(tax.rows[0]).toEqual(["8910", c.planned.tax!.amountOre]);

    // Allocation set back to none: its voucher goes, the tax follows.
    await saveTaxChoices(db, scope, { allocationOre: 0 });
    const r2 = await bookProjectTax(db, scope);
    expect(r2.deleted).toHaveLength(1);
    expect(await ofKind("taxFundAllocation")).toEqual([]);
    expect(await ofKind("incomeTaxCalculated")).toHaveLength(1);
  });

  it("never changes an exported voucher: the difference is a correcting voucher, itself updated in place", async () => {
    const [[taxNo, tax]] = await ofKind("incomeTaxCalculated");
    await markExported(db, scope.projectId, tax.id, { series: "A", number: 900 });
    const untouched = tax.rows;
    const bookedTax = tax.rows[0][1];

    // Booking with nothing changed books nothing new.
    const same = await bookProjectTax(db, scope);
    expect(same.created).toEqual([]);
    expect(await ofKind("incomeTaxCalculated")).toHaveLength(1);

    // An allocation lowers the tax: a correction books the difference on 8910/2512.
    await saveTaxChoices(db, scope, { allocationOre: 200_000 });
    const r = await bookProjectTax(db, scope);
    expect(r.corrections).toHaveLength(1);
    const taxes = await ofKind("incomeTaxCalculated");
    expect(taxes).toHaveLength(2);
    expect(taxes[0]).toEqual([taxNo, { ...tax, exported: true, rows: untouched }]);
    const correction = taxes[1][1];
    expect(correction.text).toMatch(/^Rättelse: /);
    const c = await compute();
    expect(correction.rows).toEqual([["8910", c.planned.tax!.amountOre], ["2512", -c.planned.tax!.amountOre]]);
    // The exported voucher plus the correction is the tax on the new result.
    expect(bookedTax + correction.rows[0][1]).toBe(c.planning.taxOre);
    expect(correction.rows[0][1]).toBeLessThan(0);

    // Again: the correction is updated, not repeated.
    await saveTaxChoices(db, scope, { allocationOre: 300_000 });
    const r2 = await bookProjectTax(db, scope);
    expect(r2.created).toEqual([]);
    expect(await ofKind("incomeTaxCalculated")).toHaveLength(2);
  });

  it("a generated voucher opens and saves in the adjustment editor; the next booking regenerates it", async () => {
    const [[, open]] = (await ofKind("incomeTaxCalculated")).filter(([, v]) => !v.exported);
    const edited = { date: "2025-12-31", text: "Skatt, ändrad för hand", kind: "incomeTaxCalculated", rows: [{ account: "8910", amountOre: 100 }, { account: "2512", amountOre: -100 }] };
    await a.caller.adjustment.update({ projectId: scope.projectId, adjustmentId: open.id, voucher: edited });
    await bookProjectTax(db, scope);
    const after = (await ofKind("incomeTaxCalculated")).find(([, v]) => v.id === open.id)![1];
    expect(after.text).toMatch(/^Rättelse: Skatt på årets resultat/);
    expect(after.rows[0]).toEqual(["8910", (await compute()).planned.tax!.amountOre]);
  });

  it("refuses a choice the rules do not allow", async () => {
    await expect(saveTaxChoices(db, scope, { allocationOre: -1 })).rejects.toMatchObject({ key: "taxAllocationInvalid" });
    await expect(saveTaxChoices(db, scope, { sruOverrides: { "6993": "9999" } })).rejects.toMatchObject({ key: "taxSruCodeUnknown" });
    await expect(saveTaxChoices(db, scope, { ink2sEdits: { "7670": { amountOre: 1, comment: "" } } })).rejects.toMatchObject({ key: "taxInk2sNotEditable" });
    await saveTaxChoices(db, scope, { allocationOre: 999_999_999_00 });
    await expect(bookProjectTax(db, scope)).rejects.toMatchObject({ key: "taxBookingBlocked" });
  });

  it("through the router: refusals are translated, the computation follows unsaved choices", async () => {
    const input = { projectId: scope.projectId, account: "6993", code: "9999" };
    await expect(a.caller.tax.setSruOverride(input)).rejects.toMatchObject({ message: "SRU-koden 9999 för konto 6993 finns inte i räkenskapsschemat INK2R." });
    await expect(callerFor(db, a.user.id, "en").tax.setSruOverride(input)).rejects.toMatchObject({ message: "SRU code 9999 for account 6993 is not in the INK2R schedule." });
    await a.caller.tax.saveChoices({ projectId: scope.projectId, choices: { allocationOre: 0 } });
    const live = await a.caller.tax.get({ projectId: scope.projectId, choices: { allocationOre: 50_000 } });
    expect(live!.computation.planning.allocationOre).toBe(50_000);
    expect((await a.caller.tax.choices({ projectId: scope.projectId })).allocationOre).toBe(0);
    // No sender address yet: the SRU check says so before any file is written.
    expect(live!.sruProblems.map((p) => p.key)).toEqual(expect.arrayContaining(["postalCodeInvalid", "cityMissing"]));
    expect(live!.vouchers.map((v) => v.kind)).toEqual(expect.arrayContaining(["incomeTaxCalculated", "closingEntry"]));
  });

  it("downloads INFO.SRU and BLANKETTER.SRU once the check passes; refuses before, and refuses another firm", async () => {
    const ctx = (userId: string | null, locale: "sv" | "en" = "sv") => async () => ({ db, userId, locale });
    const url = (file: string) => new Request(`http://localhost/api/projects/${scope.projectId}/sru?file=${file}`);
    const refused = await handleSruDownload(url("BLANKETTER.SRU"), scope.projectId, ctx(a.user.id));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ messageKey: "taxSruRefused", message: "SRU-filerna kan inte skapas förrän felen i kontrollen är rättade." });
    const en = await handleSruDownload(url("BLANKETTER.SRU"), scope.projectId, ctx(a.user.id, "en"));
    expect((await en.json()).message).toBe("The SRU files cannot be created until the errors found by the check are fixed.");

    await a.caller.tax.saveChoices({ projectId: scope.projectId, choices: { allocationOre: 0, sender: { postalCode: "114 55", city: "Stockholm" } } });
    const res = await handleSruDownload(url("BLANKETTER.SRU"), scope.projectId, ctx(a.user.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="BLANKETTER.SRU"');
    const text = iconv.decode(Buffer.from(await res.arrayBuffer()), "latin1");
    expect(text.split("\r\n").filter((l) => l.startsWith("#BLANKETT "))).toEqual(["#BLANKETT INK2-2025P4", "#BLANKETT INK2R-2025P4", "#BLANKETT INK2S-2025P4"]);
    const info = iconv.decode(Buffer.from(await (await handleSruDownload(url("INFO.SRU"), scope.projectId, ctx(a.user.id))).arrayBuffer()), "latin1");
    expect(info).toContain("#POSTNR 11455\r\n#POSTORT Stockholm\r\n");
    expect(info).toContain(`#ORGNR 16${DEMO_ORG_NR}\r\n`);

    expect((await handleSruDownload(url("X.SRU"), scope.projectId, ctx(a.user.id))).status).toBe(400);
    const other = await firmWithData(db, "tax-other", "2120000142");
    expect((await handleSruDownload(url("INFO.SRU"), scope.projectId, ctx(other.user.id))).status).toBe(404);
    expect((await handleSruDownload(url("INFO.SRU"), scope.projectId, ctx(null))).status).toBe(401);
  });
});
