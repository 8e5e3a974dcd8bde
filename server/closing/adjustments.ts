import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { resultRows, toNumber, type Db, type DbOrTx } from "@/db/client";
import { adjustmentRows, adjustments, attachmentLinks, projectAccounts, projects, users, type FortnoxVoucherRef } from "@/db/schema";
import { badRequest, conflict, DomainError, notFound } from "@/server/errors";
import { isBasAccount, RESULT_ACCOUNT, RESULT_EQUITY_ACCOUNT, statementOf } from "./bas";
import { parseIsoDate } from "./financial-year";
import { formatOre } from "@/lib/money";
import { pendingAdjustmentTotals } from "./figures";
import { accountTotals, chartOf, currentImportOf, requireCurrentImport, type ChartAccount } from "./ledger";
import { deleteOrphanAttachments } from "./attachments";
import type { ProjectActor } from "@/server/scope";

// Adjustment vouchers (bokslutstransaktioner): validated like Fortnox validates a manual voucher (text, date in
// the year, balanced rows on known accounts), numbered per project, read-only once exported or while the exporter
// holds its lock. A correction of an exported adjustment is a new adjustment.

export const MAX_TEXT = 200;
export const MAX_ROW_TEXT = 100;
export const MAX_ROWS = 500;
/** 100 000 000 000 kr: far above any real row, far below where öre stop being exact in a double. */
export const MAX_ROW_ORE = 10_000_000_000_000;

export interface AdjustmentRowInput {
  account: string;
  amountOre: number;
  text?: string | null;
}

export interface AdjustmentInput {
  date: string;
  text: string;
  kind?: string;
  rows: AdjustmentRowInput[];
  /** Numbers the imported chart lacks that the user confirmed, each with a name. */
  newAccounts?: { number: string; name: string }[];
}

export type AdjustmentStatus = "notExported" | "exporting" | "exported";


/** The rules, with nothing stored; returns the rows as they will be kept and the new accounts they need. */
export function validateAdjustment(
  input: AdjustmentInput,
  year: { start: string; end: string },
  chart: Map<string, ChartAccount>,
): { text: string; rows: { account: string; amountOre: number; text: string | null }[]; newAccounts: { number: string; name: string }[] } {
  const text = input.text.trim();
  if (!text) throw badRequest("adjustmentTextRequired");
  if (text.length > MAX_TEXT) throw badRequest("adjustmentTextTooLong", { max: MAX_TEXT });
  if (!parseIsoDate(input.date) || input.date < year.start || input.date > year.end) {
    throw badRequest("adjustmentDateOutsideYear", { start: year.start, end: year.end });
  }
  if (input.rows.length < 2) throw badRequest("adjustmentTooFewRows");
  if (input.rows.length > MAX_ROWS) throw badRequest("adjustmentTooManyRows", { max: MAX_ROWS });
  const confirmed = new Map((input.newAccounts ?? []).map((a) => [a.number.trim(), a.name.trim()]));
  const rows = input.rows.map((r, i) => {
    const account = r.account.trim();
    if (!isBasAccount(account)) throw badRequest("accountNumberInvalid", { account: account || "–" });
    if (!Number.isSafeInteger(r.amountOre) || r.amountOre === 0) throw badRequest("adjustmentRowZero", { row: i + 1 });
    if (Math.abs(r.amountOre) > MAX_ROW_ORE) throw badRequest("amountTooLarge", { row: i + 1 });
    const rowText = r.text?.trim() || null;
    if (rowText && rowText.length > MAX_ROW_TEXT) throw badRequest("adjustmentRowTextTooLong", { row: i + 1, max: MAX_ROW_TEXT });
    return { account, amountOre: r.amountOre, text: rowText };
  });
  const sum = rows.reduce((s, r) => s + r.amountOre, 0);
  if (sum !== 0) throw badRequest("adjustmentUnbalanced", { difference: formatOre(sum) });
  const newAccounts: { number: string; name: string }[] = [];
  for (const account of new Set(rows.map((r) => r.account))) {
    if (chart.has(account)) continue;
    const name = confirmed.get(account);
    // A number the chart lacks is probably a typo: the user must confirm it, with a name.
    if (name === undefined) throw new DomainError("BAD_REQUEST", "accountNotInChart", { account });
    if (!name) throw badRequest("accountNameRequired", { account });
    newAccounts.push({ number: account, name: name.slice(0, 100) });
  }
  return { text, rows, newAccounts };
}

async function lockProject(tx: DbOrTx, projectId: string) {
  const [p] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
  if (!p) throw notFound("projectNotFound");
  return p;
}

/** 1, 2, 3 … per project, never reused: a deleted adjustment's number stays gone, as the activity log names it. */
async function nextNumber(tx: DbOrTx, projectId: string): Promise<number> {
  const [r] = resultRows<{ n: unknown }>(
    await tx.execute(sql`
      insert into adjustment_counters (project_id, last_number) values (${projectId}, 1)
      on conflict (project_id) do update set last_number = adjustment_counters.last_number + 1
      returning last_number as n`),
  );
  return toNumber(r.n);
}

async function insertNewAccounts(tx: DbOrTx, scope: ProjectActor, list: { number: string; name: string }[]) {
  if (!list.length) return;
  await tx
    .insert(projectAccounts)
    .values(list.map((a) => ({ projectId: scope.projectId, number: a.number, name: a.name, createdBy: scope.userId })))
    .onConflictDoNothing();
}

export async function createAdjustment(db: Db, scope: ProjectActor, input: AdjustmentInput) {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const project = await lockProject(tx, scope.projectId);
    const imp = await requireCurrentImport(tx, scope.projectId);
    const chart = await chartOf(tx, scope.projectId, imp.id);
    const v = validateAdjustment(input, { start: project.startDate, end: project.endDate }, chart);
    await insertNewAccounts(tx, scope, v.newAccounts);
    const [row] = await tx
      .insert(adjustments)
      .values({
        firmId: scope.firmId, projectId: scope.projectId, number: await nextNumber(tx, scope.projectId), date: input.date, text: v.text,
        kind: input.kind ?? "manual", createdBy: scope.userId, updatedBy: scope.userId,
      })
      .returning();
    await tx.insert(adjustmentRows).values(v.rows.map((r, i) => ({ adjustmentId: row.id, seq: i + 1, ...r })));
    return row;
  });
}

/** Loads an adjustment for change, under a row lock, refusing exported ones and ones the exporter holds. */
async function lockEditable(tx: DbOrTx, projectId: string, adjustmentId: string) {
  const [a] = await tx
    .select()
    .from(adjustments)
    .where(and(eq(adjustments.id, adjustmentId), eq(adjustments.projectId, projectId)))
    .for("update");
  if (!a) throw notFound("adjustmentNotFound");
  if (a.exportedAt) throw conflict("adjustmentExported", { number: a.number });
  if (a.exportLockedAt) throw conflict("adjustmentLocked", { number: a.number });
  return a;
}

export async function updateAdjustment(db: Db, scope: ProjectActor, adjustmentId: string, input: AdjustmentInput) {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const project = await lockProject(tx, scope.projectId);
    const before = await lockEditable(tx, scope.projectId, adjustmentId);
    const imp = await requireCurrentImport(tx, scope.projectId);
    const chart = await chartOf(tx, scope.projectId, imp.id);
    const v = validateAdjustment(input, { start: project.startDate, end: project.endDate }, chart);
    await insertNewAccounts(tx, scope, v.newAccounts);
    const [row] = await tx
      .update(adjustments)
      .set({ date: input.date, text: v.text, kind: input.kind ?? before.kind, updatedBy: scope.userId, updatedAt: new Date() })
      .where(eq(adjustments.id, adjustmentId))
      .returning();
    await tx.delete(adjustmentRows).where(eq(adjustmentRows.adjustmentId, adjustmentId));
    await tx.insert(adjustmentRows).values(v.rows.map((r, i) => ({ adjustmentId, seq: i + 1, ...r })));
    return row;
  });
}

export async function deleteAdjustment(db: Db, scope: ProjectActor, adjustmentId: string) {
  const deleted = await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const a = await lockEditable(tx, scope.projectId, adjustmentId);
    await tx.delete(adjustments).where(eq(adjustments.id, adjustmentId));
    return a;
  });
  // Attachments that belonged only to this voucher go with it.
  await deleteOrphanAttachments(db, scope.projectId);
  return deleted;
}

export interface AdjustmentView {
  id: string;
  number: number;
  date: string;
  text: string;
  kind: string;
  status: AdjustmentStatus;
  /** Exported and found in the current import: the books already hold it, so it no longer counts as adjustment. */
  inLedger: boolean;
  exportedAt: Date | null;
  fortnoxRef: FortnoxVoucherRef | null;
  createdAt: Date;
  updatedAt: Date;
  createdByName: string | null;
  rows: { seq: number; account: string; accountName: string | null; amountOre: number; text: string | null }[];
  debitOre: number;
  attachmentIds: string[];
}

const statusOf = (a: { exportedAt: Date | null; exportLockedAt: Date | null }): AdjustmentStatus =>
  a.exportedAt ? "exported" : a.exportLockedAt ? "exporting" : "notExported";

/** Exported adjustments whose Fortnox voucher is in the current import (matched on series and number). */
async function inLedgerIds(db: DbOrTx, projectId: string, importId: string | null): Promise<Set<string>> {
  if (!importId) return new Set();
  const rows = resultRows<{ id: string }>(
    await db.execute(sql`
      select a.id from adjustments a where a.project_id = ${projectId} and a.fortnox_ref is not null and exists (
        select 1 from ledger_vouchers v where v.import_id = ${importId}
          and v.series = a.fortnox_ref->>'series' and v.number = a.fortnox_ref->>'number')`),
  );
  return new Set(rows.map((r) => r.id));
}

export async function listAdjustments(db: DbOrTx, projectId: string, only?: string[]): Promise<AdjustmentView[]> {
  const imp = await currentImportOf(db, projectId);
  const where = only ? and(eq(adjustments.projectId, projectId), inArray(adjustments.id, only)) : eq(adjustments.projectId, projectId);
  const heads = await db
    .select({ a: adjustments, createdByName: users.name })
    .from(adjustments)
    .leftJoin(users, eq(users.id, adjustments.createdBy))
    .where(where)
    .orderBy(asc(adjustments.number));
  if (!heads.length) return [];
  const ids = heads.map((h) => h.a.id);
  const [rows, links, chart, ledger] = await Promise.all([
    db.select().from(adjustmentRows).where(inArray(adjustmentRows.adjustmentId, ids)).orderBy(asc(adjustmentRows.adjustmentId), asc(adjustmentRows.seq)),
    db.select({ adjustmentId: attachmentLinks.adjustmentId, attachmentId: attachmentLinks.attachmentId }).from(attachmentLinks).where(inArray(attachmentLinks.adjustmentId, ids)),
    chartOf(db, projectId, imp?.id ?? null),
    inLedgerIds(db, projectId, imp?.id ?? null),
  ]);
  return heads.map(({ a, createdByName }) => {
    const own = rows.filter((r) => r.adjustmentId === a.id);
    return {
      id: a.id, number: a.number, date: a.date, text: a.text, kind: a.kind, status: statusOf(a), inLedger: ledger.has(a.id),
      exportedAt: a.exportedAt, fortnoxRef: a.fortnoxRef ?? null, createdAt: a.createdAt, updatedAt: a.updatedAt, createdByName,
      rows: own.map((r) => ({ seq: r.seq, account: r.account, accountName: chart.get(r.account)?.name ?? null, amountOre: r.amountOre, text: r.text })),
      debitOre: own.reduce((s, r) => s + (r.amountOre > 0 ? r.amountOre : 0), 0),
      attachmentIds: links.filter((l) => l.adjustmentId === a.id).map((l) => l.attachmentId),
    };
  });
}

export async function getAdjustment(db: DbOrTx, projectId: string, adjustmentId: string): Promise<AdjustmentView> {
  const [one] = await listAdjustments(db, projectId, [adjustmentId]);
  if (!one) throw notFound("adjustmentNotFound");
  return one;
}

export const CLOSING_ENTRY_TEXT = "Årets resultat";

/**
 * The year's result entry: 8999 Årets resultat against 2099, for the result after every other adjustment, dated
 * the last day of the year. Regenerating replaces the rows of an entry not yet exported; once exported, a further
 * entry books only what is left. Returns null when an outdated entry was removed because nothing is left to book.
 */
export async function generateClosingEntry(db: Db, scope: ProjectActor) {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const project = await lockProject(tx, scope.projectId);
    const imp = await requireCurrentImport(tx, scope.projectId);
    const [existing] = await tx
      .select()
      .from(adjustments)
      .where(and(eq(adjustments.projectId, scope.projectId), eq(adjustments.kind, "closingEntry"), isNull(adjustments.exportedAt)))
      .orderBy(asc(adjustments.number))
      .limit(1);
    if (existing?.exportLockedAt) throw conflict("adjustmentLocked", { number: existing.number });
    const [totals, pending] = await Promise.all([accountTotals(tx, imp.id), pendingAdjustmentTotals(tx, scope.projectId, imp.id, existing?.id)]);
    let incomeSum = 0;
    for (const [account, t] of totals) if (statementOf(account) === "income") incomeSum += t.ibOre + t.changeOre;
    for (const [account, amount] of pending) if (statementOf(account) === "income") incomeSum += amount;
    // Income-statement accounts sum to minus the profit; booking it on 8999 brings them to zero.
    const resultOre = -incomeSum;
    if (resultOre === 0) {
      if (existing) {
        await tx.delete(adjustments).where(eq(adjustments.id, existing.id));
        return null;
      }
      throw badRequest("closingEntryNothing");
    }
    const chart = await chartOf(tx, scope.projectId, imp.id);
    const names: Record<string, string> = { [RESULT_ACCOUNT]: "Årets resultat", [RESULT_EQUITY_ACCOUNT]: "Årets resultat" };
    await insertNewAccounts(tx, scope, [RESULT_ACCOUNT, RESULT_EQUITY_ACCOUNT].filter((a) => !chart.has(a)).map((a) => ({ number: a, name: names[a] })));
    const rows = [
      { account: RESULT_ACCOUNT, amountOre: resultOre, text: null },
      { account: RESULT_EQUITY_ACCOUNT, amountOre: -resultOre, text: null },
    ];
    let id: string;
    if (existing) {
      id = existing.id;
      await tx.update(adjustments).set({ date: project.endDate, updatedBy: scope.userId, updatedAt: new Date() }).where(eq(adjustments.id, id));
      await tx.delete(adjustmentRows).where(eq(adjustmentRows.adjustmentId, id));
    } else {
      const [row] = await tx
        .insert(adjustments)
        .values({
          firmId: scope.firmId, projectId: scope.projectId, number: await nextNumber(tx, scope.projectId), date: project.endDate, text: CLOSING_ENTRY_TEXT,
          kind: "closingEntry", createdBy: scope.userId, updatedBy: scope.userId,
        })
        .returning();
      id = row.id;
    }
    await tx.insert(adjustmentRows).values(rows.map((r, i) => ({ adjustmentId: id, seq: i + 1, ...r })));
    return { id, resultOre };
  });
}
