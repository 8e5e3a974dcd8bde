import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import type { SectionNode, TrialBalanceAccount } from "@/server/closing/trial-balance";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import type { SandboxServer } from "@/server/sandbox/server";
import { start } from "@/server/sandbox/testing/helpers";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { importJobHandler } from "./job";
import { importState, startFortnoxImport } from "./project-imports";
import { sandboxApi } from "./testing/sandbox-api";

// A company with bookkeeping but without the invoicing module (the demo's Berglund Snickeri AB), and a connection
// without the ledgers' permissions: the import stays whole and successful, the check says which ledger is missing
// and why, and 1510 gets no automatic specification (rather than one of zero).

const NO_INVOICING = 4_567_890;
const DEMO = 1_234_567;
const accountsOf = (sections: SectionNode[]): TrialBalanceAccount[] => sections.flatMap((s) => [...s.groups.flatMap((g) => g.accounts), ...accountsOf(s.children)]);

describe.each(dbTargets())("import without a ledger module on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;
  let api: FortnoxApi;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: 2026, vouchers: 300 });
    registerJobHandler("import", importJobHandler({ fortnoxFor: async () => api }));
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });

  async function runImport(label: string) {
    const f = await firmWithData(db, label);
    const job = await startFortnoxImport(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, "fortnox");
    expect(await workOnce(db, ["import"])).toBe(true);
    const done = (await getJob(db, job.id))!;
    expect(done.errorKey).toBeNull();
    expect(done.state).toBe("succeeded");
    const { current } = await importState(db, f.project.id);
    return { f, current: current!, checks: Object.fromEntries(current!.checks.map((c) => [c.key, c])) };
  }

  test("no invoicing module: the import succeeds, the check names the module, 1510 has no automatic specification", async () => {
    ({ api } = await sandboxApi(sandbox.url, NO_INVOICING));
    const { f, current, checks } = await runImport("berglund");
    expect(checks.customerLedgerUnavailable).toEqual({ key: "customerLedgerUnavailable", status: "warning", params: { account: "1510", reason: "licence" } });
    expect(checks.customerLedger).toBeUndefined();
    expect(checks.supplierLedger.status).toBe("ok");
    expect(checks.vouchersBalance.status).toBe("ok");
    expect(current.meta.ledgersUnavailable).toEqual({ customer: "licence" });
    expect(current.counts.vouchers).toBeGreaterThan(100);

    const projectId = f.project.id;
    expect(await f.caller.import.ledgerSchedule({ projectId, side: "customer" })).toMatchObject({ account: "1510", unavailable: "licence", items: [] });
    expect(await f.caller.import.ledgerSchedule({ projectId, side: "supplier" })).toMatchObject({ account: "2440", unavailable: null });
    const tb = await f.caller.reconciliation.trialBalance({ projectId });
    const bs = new Map(accountsOf(tb.balance).map((x) => [x.number, x]));
    expect(bs.get("1510")!.ubOre).not.toBe(0); // the books do hold receivables
    expect(bs.get("1510")!.schedule).toBeNull(); // but no specification of zero against them
    expect(bs.get("2440")!.schedule).toMatchObject({ ledgerSide: "supplier", differenceOre: 0 });
    const s = await f.caller.schedule.get({ projectId, account: "1510" });
    expect(s).toMatchObject({ ledgerSide: null, ledgerAvailable: null, ledgerUnavailable: { side: "customer", reason: "licence" }, ledgerOre: 0, ledgerItems: [] });
    await expect(f.caller.schedule.setLedger({ projectId, account: "1510", use: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The accountant specifies it by hand instead.
    await f.caller.schedule.saveRows({ projectId, account: "1510", rows: [{ text: "Kundfordringar enligt Excel", amountOre: bs.get("1510")!.ubOre }] });
    expect((await f.caller.schedule.get({ projectId, account: "1510" })).differenceOre).toBe(0);
  });

  test("a connection without the ledger permissions: unavailable for the permission, the import still whole", async () => {
    ({ api } = await sandboxApi(sandbox.url, DEMO, {}, "bookkeeping companyinformation settings"));
    const { checks, current } = await runImport("noscope");
    expect(checks.customerLedgerUnavailable.params).toEqual({ account: "1510", reason: "scope" });
    expect(checks.supplierLedgerUnavailable.params).toEqual({ account: "2440", reason: "scope" });
    expect(current.counts).toMatchObject({ customerItems: 0, supplierItems: 0 });
  });
});
