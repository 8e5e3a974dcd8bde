import { and, asc, eq, sql } from "drizzle-orm";
import { resultRows, toNumber, type Db, type DbOrTx } from "@/db/client";
import { projects, scheduleAccounts, scheduleRows, schedules, users } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/server/errors";
import { isBalanceSheetAccount } from "./bas";
import { accountFigures, ledgerSideOfAccount, ledgerSums, unavailableLedgers, ZERO, type Amounts, type LedgerSide } from "./figures";
import { formatOre } from "@/lib/money";
import { chartOf, requireCurrentImport, type CurrentImport } from "./ledger";
import type { ProjectActor } from "@/server/scope";

// Schedules (bilagor): what a balance-sheet account's closing balance consists of. One schedule covers one
// account or a group of them; it is addressed by any of its accounts, and created on the first change. Accounts
// 1510 and 2440 are specified by the customer and supplier ledgers' open items when the import brought them.

export type ScheduleStatus = "not_started" | "in_progress" | "reconciled";
export const MAX_SCHEDULE_ROWS = 1000;
export const MAX_COMMENT = 5000;
export const MAX_ROW_TEXT = 200;

export interface ScheduleState {
  id: string;
  status: ScheduleStatus;
  comment: string;
  ledgerSide: LedgerSide | null;
  signedOffByName: string | null;
  signedOffAt: Date | null;
  rowsSumOre: number;
  rowCount: number;
  accounts: { account: string; signedOffOre: number | null; signedOffAdjustedOre: number | null }[];
}

/** Every schedule of the project with its accounts and the sum of its rows: two queries. */
export async function scheduleStates(db: DbOrTx, projectId: string): Promise<ScheduleState[]> {
  const rows = resultRows<{
    id: string; status: ScheduleStatus; comment: string; ledger_side: LedgerSide | null; signed_off_by_name: string | null;
    signed_off_at: string | Date | null; rows_sum: unknown; row_count: unknown;
  }>(
    await db.execute(sql`
      select s.id, s.status, s.comment, s.ledger_side, s.signed_off_by_name, s.signed_off_at,
        coalesce(r.sum, 0) as rows_sum, coalesce(r.n, 0) as row_count
      from schedules s left join (
        select schedule_id, sum(amount_ore) as sum, count(*) as n from schedule_rows group by schedule_id
      ) r on r.schedule_id = s.id
      where s.project_id = ${projectId}`),
  );
  const accounts = await db.select().from(scheduleAccounts).where(eq(scheduleAccounts.projectId, projectId)).orderBy(asc(scheduleAccounts.account));
  return rows.map((s) => ({
    id: s.id, status: s.status, comment: s.comment, ledgerSide: s.ledger_side, signedOffByName: s.signed_off_by_name,
    signedOffAt: s.signed_off_at ? new Date(s.signed_off_at) : null, rowsSumOre: toNumber(s.rows_sum), rowCount: toNumber(s.row_count),
    accounts: accounts.filter((a) => a.scheduleId === s.id).map((a) => ({ account: a.account, signedOffOre: a.signedOffOre, signedOffAdjustedOre: a.signedOffAdjustedOre })),
  }));
}

export interface ScheduleFigures {
  bookOre: number;
  adjustmentOre: number;
  adjustedOre: number;
  ledgerOre: number;
  specifiedOre: number;
  /** Specified minus the closing balance after adjustments: what is not explained. */
  differenceOre: number;
  /** Signed off, and a balance moved since (a re-import or a new adjustment). */
  changedSinceSignOff: boolean;
  changedAccounts: string[];
}

export function scheduleFigures(
  s: Pick<ScheduleState, "status" | "ledgerSide" | "rowsSumOre" | "accounts">,
  figures: Map<string, Amounts>,
  ledger: Record<LedgerSide, { sumOre: number } | null>,
): ScheduleFigures {
  let bookOre = 0, adjustmentOre = 0, adjustedOre = 0;
  const changedAccounts: string[] = [];
  for (const a of s.accounts) {
    const f = figures.get(a.account) ?? ZERO;
    bookOre += f.ubOre;
    adjustmentOre += f.adjustmentOre;
    adjustedOre += f.adjustedOre;
    if (s.status === "reconciled" && (a.signedOffOre !== f.ubOre || a.signedOffAdjustedOre !== f.adjustedOre)) changedAccounts.push(a.account);
  }
  const ledgerOre = s.ledgerSide ? (ledger[s.ledgerSide]?.sumOre ?? 0) : 0;
  const specifiedOre = s.rowsSumOre + ledgerOre;
  return { bookOre, adjustmentOre, adjustedOre, ledgerOre, specifiedOre, differenceOre: specifiedOre - adjustedOre, changedSinceSignOff: changedAccounts.length > 0, changedAccounts };
}

/**
 * The automatic schedules of 1510 and 2440: before the user touches them they exist only as this view of the
 * import's ledgers, so every import brings them up to date without writing anything.
 */
export function virtualLedgerSchedule(account: string, ledger: Record<LedgerSide, { sumOre: number } | null>): ScheduleState | null {
  const side = ledgerSideOfAccount(account);
  if (!side || !ledger[side]) return null;
  return {
    id: "", status: "not_started", comment: "", ledgerSide: side, signedOffByName: null, signedOffAt: null, rowsSumOre: 0, rowCount: 0,
    accounts: [{ account, signedOffOre: null, signedOffAdjustedOre: null }],
  };
}

async function scheduleIdOf(db: DbOrTx, projectId: string, account: string): Promise<string | null> {
  const [row] = await db
    .select({ id: scheduleAccounts.scheduleId })
    .from(scheduleAccounts)
    .where(and(eq(scheduleAccounts.projectId, projectId), eq(scheduleAccounts.account, account)));
  return row?.id ?? null;
}

/** The accounts that share a schedule with this one (the account alone when it has none). */
export async function scheduleScopeAccounts(db: DbOrTx, projectId: string, account: string): Promise<string[]> {
  const id = await scheduleIdOf(db, projectId, account);
  if (!id) return [account];
  const rows = await db.select({ account: scheduleAccounts.account }).from(scheduleAccounts).where(eq(scheduleAccounts.scheduleId, id)).orderBy(asc(scheduleAccounts.account));
  return rows.map((r) => r.account);
}

/** An account may carry a schedule when it is a balance-sheet account of the chart (or has a balance). */
export async function requireScheduleAccount(db: DbOrTx, projectId: string, imp: CurrentImport, account: string) {
  if (!isBalanceSheetAccount(account)) throw badRequest("scheduleNotBalanceSheet", { account });
  const chart = await chartOf(db, projectId, imp.id);
  if (chart.has(account)) return;
  const figures = await accountFigures(db, projectId, imp);
  if (!figures.has(account)) throw notFound("accountNotFound");
}

/** The schedule of the account, created (for the account alone) if it has none. Call inside a transaction. */
export async function ensureSchedule(tx: DbOrTx, scope: ProjectActor, account: string, imp: CurrentImport): Promise<string> {
  const found = await scheduleIdOf(tx, scope.projectId, account);
  if (found) return found;
  await requireScheduleAccount(tx, scope.projectId, imp, account);
  // Creation is serialised per project, so two first changes at once make one schedule, not two.
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, scope.projectId)).for("update");
  const again = await scheduleIdOf(tx, scope.projectId, account);
  if (again) return again;
  const side = ledgerSideOfAccount(account);
  const [s] = await tx
    .insert(schedules)
    .values({ firmId: scope.firmId, projectId: scope.projectId, ledgerSide: side && imp.source === "fortnox" && !unavailableLedgers(imp)[side] ? side : null })
    .returning({ id: schedules.id });
  await tx.insert(scheduleAccounts).values({ projectId: scope.projectId, account, scheduleId: s.id });
  return s.id;
}

type Tx = Db;
type ScheduleRowType = typeof schedules.$inferSelect;

/**
 * Runs a change of the account's schedule in one transaction, with the schedule row locked: refused once signed
 * off (unless `signedOffToo`), and a schedule not started becomes in progress.
 */
export async function changeSchedule<T>(
  db: Db,
  scope: ProjectActor,
  account: string,
  fn: (tx: Tx, s: ScheduleRowType, imp: CurrentImport) => Promise<T>,
  opts: { signedOffToo?: boolean; keepStatus?: boolean } = {},
): Promise<T> {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const imp = await requireCurrentImport(tx, scope.projectId);
    const id = await ensureSchedule(tx, scope, account, imp);
    const [s] = await tx.select().from(schedules).where(eq(schedules.id, id)).for("update");
    if (s.status === "reconciled" && !opts.signedOffToo) throw conflict("scheduleSignedOff");
    const out = await fn(tx, s, imp);
    const status = !opts.keepStatus && s.status === "not_started" ? "in_progress" : undefined;
    await tx.update(schedules).set({ updatedAt: new Date(), ...(status ? { status } : {}) }).where(eq(schedules.id, id));
    return out;
  });
}

export async function saveScheduleRows(db: Db, scope: ProjectActor, account: string, rows: { text: string; amountOre: number }[]) {
  if (rows.length > MAX_SCHEDULE_ROWS) throw badRequest("scheduleTooManyRows", { max: MAX_SCHEDULE_ROWS });
  const clean = rows.map((r, i) => {
    const text = r.text.trim();
    if (!text) throw badRequest("scheduleRowTextRequired", { row: i + 1 });
    if (text.length > MAX_ROW_TEXT) throw badRequest("scheduleRowTextTooLong", { row: i + 1, max: MAX_ROW_TEXT });
    if (!Number.isSafeInteger(r.amountOre) || Math.abs(r.amountOre) > 10_000_000_000_000) throw badRequest("amountTooLarge", { row: i + 1 });
    return { text, amountOre: r.amountOre };
  });
  return changeSchedule(db, scope, account, async (tx, s) => {
    await tx.delete(scheduleRows).where(eq(scheduleRows.scheduleId, s.id));
    if (clean.length) await tx.insert(scheduleRows).values(clean.map((r, i) => ({ scheduleId: s.id, seq: i + 1, ...r })));
  });
}

export async function setScheduleComment(db: Db, scope: ProjectActor, account: string, comment: string) {
  if (comment.length > MAX_COMMENT) throw badRequest("commentTooLong", { max: MAX_COMMENT });
  return changeSchedule(db, scope, account, async (tx, s) => {
    await tx.update(schedules).set({ comment: comment.trim() }).where(eq(schedules.id, s.id));
  });
}

/** Whether the ledger's open items count as specification (on by default for 1510/2440 from Fortnox). */
export async function setScheduleLedger(db: Db, scope: ProjectActor, account: string, use: boolean) {
  return changeSchedule(db, scope, account, async (tx, s, imp) => {
    let side: LedgerSide | null = null;
    if (use) {
      const accounts = await scheduleScopeAccounts(tx, scope.projectId, account);
      side = accounts.map(ledgerSideOfAccount).find((x) => x) ?? null;
      if (!side || imp.source !== "fortnox" || unavailableLedgers(imp)[side]) throw badRequest("scheduleNoLedger");
    }
    await tx.update(schedules).set({ ledgerSide: side }).where(eq(schedules.id, s.id));
  });
}

/**
 * Signs the schedule off as reconciled: who, when, and each account's balances at that moment (a re-import or
 * an adjustment that moves one flags it). A difference left must be explained in the comment first.
 */
export async function signOffSchedule(db: Db, scope: ProjectActor, account: string) {
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, scope.userId));
  return changeSchedule(
    db,
    scope,
    account,
    async (tx, s, imp) => {
      const [state] = (await scheduleStates(tx, scope.projectId)).filter((x) => x.id === s.id);
      const [figures, ledger] = await Promise.all([accountFigures(tx, scope.projectId, imp), ledgerSums(tx, imp)]);
      const f = scheduleFigures({ ...state, status: "in_progress" }, figures, ledger);
      if (f.differenceOre !== 0 && !s.comment.trim()) throw badRequest("scheduleDifferenceUnexplained", { difference: formatOre(f.differenceOre) });
      const now = new Date();
      await tx.update(schedules).set({ status: "reconciled", signedOffBy: scope.userId, signedOffByName: user?.name ?? null, signedOffAt: now }).where(eq(schedules.id, s.id));
      for (const a of state.accounts) {
        const af = figures.get(a.account) ?? ZERO;
        await tx
          .update(scheduleAccounts)
          .set({ signedOffOre: af.ubOre, signedOffAdjustedOre: af.adjustedOre })
          .where(and(eq(scheduleAccounts.projectId, scope.projectId), eq(scheduleAccounts.account, a.account)));
      }
      return { signedOffAt: now, differenceOre: f.differenceOre };
    },
    { keepStatus: true },
  );
}

/** Opens a signed-off schedule for changes again; the sign-off is gone and must be given anew. */
export async function reopenSchedule(db: Db, scope: ProjectActor, account: string) {
  return changeSchedule(
    db,
    scope,
    account,
    async (tx, s) => {
      if (s.status !== "reconciled") throw conflict("scheduleNotSignedOff");
      await tx.update(schedules).set({ status: "in_progress", signedOffBy: null, signedOffByName: null, signedOffAt: null }).where(eq(schedules.id, s.id));
      await tx.update(scheduleAccounts).set({ signedOffOre: null, signedOffAdjustedOre: null }).where(eq(scheduleAccounts.scheduleId, s.id));
    },
    { signedOffToo: true, keepStatus: true },
  );
}

/** Adds another balance-sheet account to the schedule (an account group), if it is in no other schedule. */
export async function addScheduleAccount(db: Db, scope: ProjectActor, account: string, add: string) {
  return changeSchedule(db, scope, account, async (tx, s, imp) => {
    await requireScheduleAccount(tx, scope.projectId, imp, add);
    const other = await scheduleIdOf(tx, scope.projectId, add);
    if (other === s.id) return;
    if (other) throw conflict("scheduleAccountTaken", { account: add });
    await tx.insert(scheduleAccounts).values({ projectId: scope.projectId, account: add, scheduleId: s.id });
  });
}

export async function removeScheduleAccount(db: Db, scope: ProjectActor, account: string, remove: string) {
  return changeSchedule(db, scope, account, async (tx, s) => {
    const [others] = resultRows<{ n: unknown }>(
      await tx.execute(sql`select count(*) as n from schedule_accounts where schedule_id = ${s.id} and account <> ${remove}`),
    );
    if (toNumber(others.n) === 0) throw badRequest("scheduleLastAccount");
    const deleted = await tx
      .delete(scheduleAccounts)
      .where(and(eq(scheduleAccounts.scheduleId, s.id), eq(scheduleAccounts.account, remove)))
      .returning({ account: scheduleAccounts.account });
    if (!deleted.length) throw notFound("accountNotFound");
  });
}
