import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { scheduleAccounts, scheduleRows, schedules } from "@/db/schema";
import { accountFigures, ledgerItems, ledgerSideOfAccount, ledgerSums, unavailableLedgers, ZERO, type Amounts, type LedgerRefusal, type LedgerSide } from "./figures";
import { chartOf, requireCurrentImport } from "./ledger";
import { requireScheduleAccount, scheduleFigures, scheduleStates, virtualLedgerSchedule, type ScheduleFigures, type ScheduleState, type ScheduleStatus } from "./account-schedules";

// What the schedule page shows of one account (account-schedules.ts holds the schedules and their changes).

export interface ScheduleView extends ScheduleFigures {
  account: string;
  scheduleId: string | null;
  status: ScheduleStatus;
  comment: string;
  ledgerSide: LedgerSide | null;
  /** The side whose ledger could specify this schedule (the import brought ledgers and 1510/2440 is in it). */
  ledgerAvailable: LedgerSide | null;
  /** 1510/2440 is in it but Fortnox refused that ledger at the import: why there is no automatic specification. */
  ledgerUnavailable: { side: LedgerSide; reason: LedgerRefusal } | null;
  ledgerItems: Awaited<ReturnType<typeof ledgerItems>>;
  accounts: (Amounts & { number: string; name: string | null; signedOffOre: number | null; signedOffAdjustedOre: number | null; changed: boolean })[];
  rows: { seq: number; text: string; amountOre: number }[];
  rowsSumOre: number;
  signedOff: { byName: string | null; at: Date } | null;
}

export async function getScheduleView(db: DbOrTx, projectId: string, account: string): Promise<ScheduleView> {
  const imp = await requireCurrentImport(db, projectId);
  await requireScheduleAccount(db, projectId, imp, account);
  const [states, figures, ledger, chart] = await Promise.all([
    scheduleStates(db, projectId),
    accountFigures(db, projectId, imp),
    ledgerSums(db, imp),
    chartOf(db, projectId, imp.id),
  ]);
  const stored = states.find((s) => s.accounts.some((a) => a.account === account));
  const state: ScheduleState = stored ??
    virtualLedgerSchedule(account, ledger) ?? {
      id: "", status: "not_started", comment: "", ledgerSide: null, signedOffByName: null, signedOffAt: null, rowsSumOre: 0, rowCount: 0,
      accounts: [{ account, signedOffOre: null, signedOffAdjustedOre: null }],
    };
  const f = scheduleFigures(state, figures, ledger);
  const side = imp.source === "fortnox" ? (state.accounts.map((a) => ledgerSideOfAccount(a.account)).find((x) => x) ?? null) : null;
  const refused = side ? unavailableLedgers(imp)[side] : undefined;
  const availableSide = refused ? null : side;
  const rows = stored
    ? await db.select({ seq: scheduleRows.seq, text: scheduleRows.text, amountOre: scheduleRows.amountOre }).from(scheduleRows).where(eq(scheduleRows.scheduleId, stored.id)).orderBy(asc(scheduleRows.seq))
    : [];
  return {
    ...f,
    account,
    scheduleId: stored?.id ?? null,
    status: state.status,
    comment: state.comment,
    ledgerSide: refused ? null : state.ledgerSide,
    ledgerAvailable: availableSide,
    ledgerUnavailable: side && refused ? { side, reason: refused } : null,
    ledgerItems: state.ledgerSide && !refused ? await ledgerItems(db, imp, state.ledgerSide) : [],
    accounts: state.accounts.map((a) => {
      const af = figures.get(a.account) ?? ZERO;
      return { ...af, number: a.account, name: chart.get(a.account)?.name ?? null, signedOffOre: a.signedOffOre, signedOffAdjustedOre: a.signedOffAdjustedOre, changed: f.changedAccounts.includes(a.account) };
    }),
    rows,
    rowsSumOre: state.rowsSumOre,
    signedOff: state.signedOffAt ? { byName: state.signedOffByName, at: state.signedOffAt } : null,
  };
}

/** Balance-sheet accounts signed off, with their imported balance at sign-off (for the re-import diff). */
export async function signedOffBalances(db: DbOrTx, projectId: string) {
  return db
    .select({ account: scheduleAccounts.account, signedOffOre: scheduleAccounts.signedOffOre })
    .from(scheduleAccounts)
    .innerJoin(schedules, eq(schedules.id, scheduleAccounts.scheduleId))
    .where(and(eq(scheduleAccounts.projectId, projectId), eq(schedules.status, "reconciled")));
}
