import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { startFortnoxImport } from "@/server/import/project-imports";
import { importJobHandler } from "@/server/import/job";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import type { SandboxServer } from "@/server/sandbox/server";
import { start } from "@/server/sandbox/testing/helpers";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import type { SectionNode, TrialBalanceAccount } from "./trial-balance";

// The automatic schedules of 1510 and 2440: a Fortnox import brings the customer and supplier ledgers at the
// closing date, and they specify the two accounts without the user typing a row.

const TENANT = 1_234_567;
const accountsOf = (sections: SectionNode[]): TrialBalanceAccount[] => sections.flatMap((s) => [...s.groups.flatMap((g) => g.accounts), ...accountsOf(s.children)]);

describe.each(dbTargets())("ledger schedules from a Fortnox import on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: 2026, vouchers: { [TENANT]: 300 }, tenants: [{ tenantId: TENANT, lockedThrough: null }] });
    const { api } = await sandboxApi(sandbox.url, TENANT);
    registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });

  test("1510 and 2440 are specified by the open items, agree with the books, and the user can add to them", async () => {
    const f = await firmWithData(db, "ledger", "5566778899");
    await startFortnoxImport(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, "fortnox");
    expect(await workOnce(db, ["import"])).toBe(true);
    const projectId = f.project.id;

    const tb = await f.caller.reconciliation.trialBalance({ projectId });
    const bs = new Map(accountsOf(tb.balance).map((x) => [x.number, x]));
    for (const [account, side] of [["1510", "customer"], ["2440", "supplier"]] as const) {
      const row = bs.get(account)!;
      const ledger = (await f.caller.import.ledgerSchedule({ projectId, side }))!;
      expect(ledger.items.length, account).toBeGreaterThan(0);
      // Untouched, the schedule exists only as the ledger's view: nothing stored, the sum specified.
      expect(row.schedule, account).toMatchObject({ id: null, status: "not_started", ledgerSide: side, specifiedOre: ledger.sumOre, differenceOre: 0 });
      const s = await f.caller.schedule.get({ projectId, account });
      expect(s).toMatchObject({ scheduleId: null, ledgerSide: side, ledgerAvailable: side, ledgerOre: ledger.sumOre, specifiedOre: row.ubOre, differenceOre: 0 });
      expect(s.ledgerItems).toHaveLength(ledger.items.length);
    }

    // A doubtful receivable written down: a manual row next to the ledger's items.
    await f.caller.schedule.saveRows({ projectId, account: "1510", rows: [{ text: "Nedskrivning osäker fordran", amountOre: -100_000 }] });
    let s = await f.caller.schedule.get({ projectId, account: "1510" });
    expect(s).toMatchObject({ status: "in_progress", ledgerSide: "customer", rowsSumOre: -100_000, differenceOre: -100_000 });
    await f.caller.adjustment.create({
      projectId,
      voucher: { date: "2025-12-31", text: "Nedskrivning kundfordran", rows: [{ account: "6352", amountOre: 100_000 }, { account: "1510", amountOre: -100_000 }], newAccounts: [{ number: "6352", name: "Befarade kundförluster" }] },
    });
    s = await f.caller.schedule.get({ projectId, account: "1510" });
    expect(s.differenceOre).toBe(0);
    await f.caller.schedule.signOff({ projectId, account: "1510" });

    // Turning the ledger off leaves only the user's rows.
    await f.caller.schedule.reopen({ projectId, account: "1510" });
    await f.caller.schedule.setLedger({ projectId, account: "1510", use: false });
    s = await f.caller.schedule.get({ projectId, account: "1510" });
    expect(s).toMatchObject({ ledgerSide: null, ledgerOre: 0, specifiedOre: -100_000, ledgerItems: [] });
    await f.caller.schedule.setLedger({ projectId, account: "1510", use: true });
    expect((await f.caller.schedule.get({ projectId, account: "1510" })).differenceOre).toBe(0);
  });
});
