import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import type { SectionNode, TrialBalanceAccount } from "./trial-balance";

// Schedules (bilagor) through the router: specification rows, comment, status, sign-off with who and when,
// account groups, and what may not be done.

type F = Awaited<ReturnType<typeof firmWithData>>;
const accountsOf = (sections: SectionNode[]): TrialBalanceAccount[] => sections.flatMap((s) => [...s.groups.flatMap((g) => g.accounts), ...accountsOf(s.children)]);

describe.each(dbTargets())("schedules on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let a: F;
  let projectId: string;
  let book: Map<string, TrialBalanceAccount>;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
    a = await firmWithData(db, "sch", DEMO_ORG_NR);
    projectId = a.project.id;
    await importSie(db, { firmId: a.firm.id, projectId, userId: a.user.id }, demoSieBytes({ vouchers: 200 }));
    const tb = await a.caller.reconciliation.trialBalance({ projectId });
    book = new Map(accountsOf(tb.balance).map((x) => [x.number, x]));
  });
  afterAll(() => handle?.close());

  it("an untouched account has an empty schedule: not started, the whole balance unexplained, nothing stored", async () => {
    const s = await a.caller.schedule.get({ projectId, account: "1930" });
    const ub = book.get("1930")!.ubOre;
    expect(s).toMatchObject({ scheduleId: null, status: "not_started", rows: [], specifiedOre: 0, bookOre: ub, adjustedOre: ub, differenceOre: -ub, signedOff: null, ledgerSide: null, ledgerAvailable: null });
    expect(s.accounts.map((x) => x.number)).toEqual(["1930"]);
    // A SIE import has no sub-ledgers: 1510 has no automatic schedule, and asking for one says why.
    expect((await a.caller.schedule.get({ projectId, account: "1510" })).ledgerSide).toBeNull();
    await expect(a.caller.schedule.setLedger({ projectId, account: "1510", use: true })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "scheduleNoLedger" });
  });

  it("specifies, comments and signs off; the trial balance shows specified amount, difference and status", async () => {
    const ub = book.get("1930")!.ubOre;
    await a.caller.schedule.saveRows({ projectId, account: "1930", rows: [{ text: "Kontoutdrag Swedbank 31/12", amountOre: ub - 10_000 }, { text: "Ej bokförd insättning", amountOre: 5_000 }] });
    let s = await a.caller.schedule.get({ projectId, account: "1930" });
    expect(s).toMatchObject({ status: "in_progress", specifiedOre: ub - 5_000, rowsSumOre: ub - 5_000, differenceOre: -5_000 });
    expect(s.scheduleId).toBeTruthy();
    let row = accountsOf((await a.caller.reconciliation.trialBalance({ projectId })).balance).find((x) => x.number === "1930")!;
    expect(row.schedule).toMatchObject({ status: "in_progress", specifiedOre: ub - 5_000, differenceOre: -5_000, lead: true });

    // A difference must be explained before sign-off.
    await expect(a.caller.schedule.signOff({ projectId, account: "1930" })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "scheduleDifferenceUnexplained" });
    const err = await a.caller.schedule.signOff({ projectId, account: "1930" }).catch((e: Error) => e);
    expect((err as Error).message).toContain("−50,00 kr");
    await a.caller.schedule.setComment({ projectId, account: "1930", comment: "Differensen är en bankavgift som bokas i januari." });
    const before = Date.now();
    await a.caller.schedule.signOff({ projectId, account: "1930" });
    s = await a.caller.schedule.get({ projectId, account: "1930" });
    expect(s.status).toBe("reconciled");
    expect(s.signedOff!.byName).toBe(a.user.name);
    expect(s.signedOff!.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(s.accounts[0]).toMatchObject({ signedOffOre: ub, signedOffAdjustedOre: ub, changed: false });
    row = accountsOf((await a.caller.reconciliation.trialBalance({ projectId })).balance).find((x) => x.number === "1930")!;
    expect(row.schedule).toMatchObject({ status: "reconciled", changedSinceSignOff: false });

    // Signed off means read-only until reopened.
    for (const call of [
      () => a.caller.schedule.saveRows({ projectId, account: "1930", rows: [] }),
      () => a.caller.schedule.setComment({ projectId, account: "1930", comment: "x" }),
      () => a.caller.schedule.addAccount({ projectId, account: "1930", add: "1940" }),
      () => a.caller.schedule.signOff({ projectId, account: "1930" }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "CONFLICT", messageKey: "scheduleSignedOff" });
    }

    // An adjustment on a signed-off account flags it.
    const adj = await a.caller.adjustment.create({ projectId, voucher: { date: "2025-12-31", text: "Bankavgift", rows: [{ account: "6570", amountOre: 5_000 }, { account: "1930", amountOre: -5_000 }] } });
    s = await a.caller.schedule.get({ projectId, account: "1930" });
    expect(s).toMatchObject({ changedSinceSignOff: true, differenceOre: 0, changedAccounts: ["1930"] });
    const tb = await a.caller.reconciliation.trialBalance({ projectId });
    expect(tb.progress.changedSinceSignOff).toBe(1);

    await a.caller.schedule.reopen({ projectId, account: "1930" });
    s = await a.caller.schedule.get({ projectId, account: "1930" });
    expect(s).toMatchObject({ status: "in_progress", signedOff: null, changedSinceSignOff: false });
    await expect(a.caller.schedule.reopen({ projectId, account: "1930" })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "scheduleNotSignedOff" });
    // Now it agrees, and signs off without a word.
    await a.caller.schedule.setComment({ projectId, account: "1930", comment: "" });
    await a.caller.schedule.signOff({ projectId, account: "1930" });
    expect((await a.caller.reconciliation.trialBalance({ projectId })).progress).toMatchObject({ reconciled: 1, changedSinceSignOff: 0 });
    await a.caller.schedule.reopen({ projectId, account: "1930" });
    await a.caller.adjustment.delete({ projectId, adjustmentId: adj.id });
  });

  it("groups accounts in one schedule and refuses an account that is in another", async () => {
    await a.caller.schedule.addAccount({ projectId, account: "1930", add: "1940" });
    const s = await a.caller.schedule.get({ projectId, account: "1940" });
    expect(s.accounts.map((x) => x.number)).toEqual(["1930", "1940"]);
    expect(s.bookOre).toBe(book.get("1930")!.ubOre + (book.get("1940")?.ubOre ?? 0));
    const rows = accountsOf((await a.caller.reconciliation.trialBalance({ projectId })).balance);
    expect(rows.find((x) => x.number === "1930")!.schedule).toMatchObject({ lead: true, accounts: ["1930", "1940"] });
    expect(rows.find((x) => x.number === "1940")!.schedule).toMatchObject({ lead: false, accounts: ["1930", "1940"] });

    await a.caller.schedule.saveRows({ projectId, account: "1910", rows: [{ text: "Kassaräkning", amountOre: 0 }] });
    await expect(a.caller.schedule.addAccount({ projectId, account: "1910", add: "1940" })).rejects.toMatchObject({ code: "CONFLICT", messageKey: "scheduleAccountTaken" });
    await expect(a.caller.schedule.addAccount({ projectId, account: "1930", add: "3001" })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "scheduleNotBalanceSheet" });
    await expect(a.caller.schedule.addAccount({ projectId, account: "1930", add: "1999" })).rejects.toMatchObject({ code: "NOT_FOUND", messageKey: "accountNotFound" });
    await a.caller.schedule.removeAccount({ projectId, account: "1930", remove: "1940" });
    await expect(a.caller.schedule.removeAccount({ projectId, account: "1930", remove: "1930" })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "scheduleLastAccount" });
    expect((await a.caller.schedule.get({ projectId, account: "1940" })).scheduleId).toBeNull();
  });

  it("refuses bad specification rows and accounts that are not balance-sheet accounts", async () => {
    await expect(a.caller.schedule.saveRows({ projectId, account: "1930", rows: [{ text: " ", amountOre: 100 }] })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "scheduleRowTextRequired" });
    await expect(a.caller.schedule.saveRows({ projectId, account: "1930", rows: [{ text: "x", amountOre: 1.5 }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(a.caller.schedule.get({ projectId, account: "3001" })).rejects.toMatchObject({ code: "BAD_REQUEST", messageKey: "scheduleNotBalanceSheet" });
    await expect(a.caller.schedule.saveRows({ projectId, account: "6570", rows: [] })).rejects.toMatchObject({ messageKey: "scheduleNotBalanceSheet" });
    await expect(a.caller.schedule.get({ projectId, account: "1999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(a.caller.schedule.setComment({ projectId, account: "1930", comment: "x".repeat(5001) })).rejects.toMatchObject({ messageKey: "commentTooLong" });
  });

  it("another firm cannot read or sign off the schedule", async () => {
    const b = await firmWithData(db, "sch-b", "2120000142");
    await expect(b.caller.schedule.get({ projectId, account: "1930" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.caller.schedule.signOff({ projectId, account: "1930" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await a.caller.schedule.get({ projectId, account: "1930" })).status).toBe("in_progress");
  });
});
