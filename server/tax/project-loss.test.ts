import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import { INK2S } from "./data/forms";
import { projectTax } from "./project-tax";

// 4.14a: last year's 4.16 comes from the client's previous closing project when it has books; the typed amount
// only when it has none.

describe.each(dbTargets())("last year's loss on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let a: Awaited<ReturnType<typeof firmWithData>>;
  let previousId: string;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
    a = await firmWithData(db, "loss", DEMO_ORG_NR);
    await importSie(db, { firmId: a.firm.id, projectId: a.project.id, userId: a.user.id }, demoSieBytes({ year: 2025, vouchers: 100 }));
    previousId = (await a.caller.project.create({ clientId: a.client.id, startDate: "2024-01-01", endDate: "2024-12-31", dataSource: "sie" })).id;
  });
  afterAll(() => handle?.close());

  const lossField = async () => (await projectTax(db, a.firm.id, a.project.id))!.computation.ink2s.find((f) => f.code === INK2S.previousLoss)!;

  it("uses the typed loss while last year's project has no books", async () => {
    await a.caller.tax.saveChoices({ projectId: a.project.id, choices: { previousLossOre: 12_345_00 } });
    const t = (await projectTax(db, a.firm.id, a.project.id))!;
    expect(t.previousLoss).toEqual({ source: "typed", amountOre: 12_345_00 });
    expect((await lossField()).amountOre).toBe(12_345_00);
  });

  it("takes last year's 4.16 once that project has books, over the typed amount", async () => {
    await importSie(db, { firmId: a.firm.id, projectId: previousId, userId: a.user.id }, demoSieBytes({ year: 2024, vouchers: 100 }));
    // Whatever last year's 4.16 is, it replaces the typed amount.
    const last = (await projectTax(db, a.firm.id, previousId))!.computation;
    const lastDeficit = last.ink2s.find((f) => f.code === INK2S.deficit)!.amountOre;
    expect(lastDeficit).toBe(Math.max(-last.planning.taxableOre, 0));
    expect((await projectTax(db, a.firm.id, a.project.id))!.previousLoss).toMatchObject({ source: "project", amountOre: lastDeficit, projectId: previousId });

    // A deduction on last year's INK2S (4.13−) that brings it to a loss of exactly 50 000 kr; this year deducts it.
    const deduction = last.planning.taxableOre + 50_000_00;
    expect(deduction).toBeGreaterThan(0);
    await a.caller.tax.saveChoices({ projectId: previousId, choices: { ink2sEdits: { "7762": { amountOre: deduction, comment: "Test" } } } });
    const deficit = (await projectTax(db, a.firm.id, previousId))!.computation.ink2s.find((f) => f.code === INK2S.deficit)!;
    expect(deficit.amountOre).toBe(50_000_00);
    const t = (await projectTax(db, a.firm.id, a.project.id))!;
    expect(t.previousLoss).toMatchObject({ source: "project", amountOre: 50_000_00 });
    expect((await lossField()).amountOre).toBe(50_000_00);
  });
});
