import { and, eq, sql } from "drizzle-orm";
import { resultRows, toNumber, type DbOrTx } from "@/db/client";
import { ledgerOpenItems } from "@/db/schema";
import { accountTotals, type CurrentImport } from "./ledger";

// The figures every closing view shares, per account: imported opening balance, period change, closing balance,
// pending adjustments and the closing balance after them. Two aggregates, whatever the number of accounts.

export interface Amounts {
  ibOre: number;
  changeOre: number;
  ubOre: number;
  adjustmentOre: number;
  adjustedOre: number;
}

export const ZERO: Amounts = { ibOre: 0, changeOre: 0, ubOre: 0, adjustmentOre: 0, adjustedOre: 0 };

export function addAmounts(a: Amounts, b: Amounts): Amounts {
  return {
    ibOre: a.ibOre + b.ibOre, changeOre: a.changeOre + b.changeOre, ubOre: a.ubOre + b.ubOre,
    adjustmentOre: a.adjustmentOre + b.adjustmentOre, adjustedOre: a.adjustedOre + b.adjustedOre,
  };
}

export async function accountFigures(db: DbOrTx, projectId: string, imp: CurrentImport): Promise<Map<string, Amounts & { rowCount: number }>> {
  const [totals, pending] = await Promise.all([accountTotals(db, imp.id), pendingAdjustmentTotals(db, projectId, imp.id)]);
  const out = new Map<string, Amounts & { rowCount: number }>();
  for (const [account, t] of totals) {
    const ub = t.ibOre + t.changeOre;
    out.set(account, { ibOre: t.ibOre, changeOre: t.changeOre, ubOre: ub, adjustmentOre: 0, adjustedOre: ub, rowCount: t.rowCount });
  }
  for (const [account, adj] of pending) {
    const f = out.get(account) ?? { ...ZERO, rowCount: 0 };
    out.set(account, { ...f, adjustmentOre: adj, adjustedOre: f.ubOre + adj });
  }
  return out;
}

export type LedgerSide = "customer" | "supplier";
export const LEDGER_ACCOUNT: Record<LedgerSide, string> = { customer: "1510", supplier: "2440" };

/** The ledger side whose open items specify this account, when the import brought ledgers (Fortnox). */
export function ledgerSideOfAccount(account: string): LedgerSide | null {
  return account === LEDGER_ACCOUNT.customer ? "customer" : account === LEDGER_ACCOUNT.supplier ? "supplier" : null;
}

export type LedgerRefusal = "licence" | "scope";

/** The ledgers Fortnox refused at the import (the company lacks the module, the connection the permission). */
export function unavailableLedgers(imp: CurrentImport): Partial<Record<LedgerSide, LedgerRefusal>> {
  const u = (imp.meta as { ledgersUnavailable?: Partial<Record<LedgerSide, LedgerRefusal>> }).ledgersUnavailable;
  return imp.source === "fortnox" && u && typeof u === "object" ? u : {};
}

/** Sum and count of the open items per side at the closing date; null for imports without ledgers (SIE) and for a
 * side Fortnox refused (no automatic specification, rather than a specification of zero). */
export async function ledgerSums(db: DbOrTx, imp: CurrentImport): Promise<Record<LedgerSide, { sumOre: number; count: number } | null>> {
  const out: Record<LedgerSide, { sumOre: number; count: number } | null> = { customer: null, supplier: null };
  if (imp.source !== "fortnox") return out;
  const rows = resultRows<{ side: LedgerSide; sum: unknown; n: unknown }>(
    await db.execute(sql`select side, sum(open_ore) as sum, count(*) as n from ledger_open_items where import_id = ${imp.id} group by side`),
  );
  // A Fortnox import has both ledgers, possibly empty, unless Fortnox refused one.
  const refused = unavailableLedgers(imp);
  if (!refused.customer) out.customer = { sumOre: 0, count: 0 };
  if (!refused.supplier) out.supplier = { sumOre: 0, count: 0 };
  for (const r of rows) if (!refused[r.side]) out[r.side] = { sumOre: toNumber(r.sum), count: toNumber(r.n) };
  return out;
}

export async function ledgerItems(db: DbOrTx, imp: CurrentImport, side: LedgerSide) {
  if (imp.source !== "fortnox") return [];
  return db
    .select()
    .from(ledgerOpenItems)
    .where(and(eq(ledgerOpenItems.importId, imp.id), eq(ledgerOpenItems.side, side)))
    .orderBy(ledgerOpenItems.counterpartyName, ledgerOpenItems.invoiceDate, ledgerOpenItems.invoiceNumber);
}

/**
 * Per account, the sum of the adjustments the books do not hold yet: every adjustment except exported ones that
 * the current import already contains (they are in the ledger's balance now).
 */
export async function pendingAdjustmentTotals(db: DbOrTx, projectId: string, importId: string | null, exceptId?: string): Promise<Map<string, number>> {
  const rows = resultRows<{ account: string; amount: unknown }>(
    await db.execute(sql`
      select r.account, sum(r.amount_ore) as amount from adjustment_rows r join adjustments a on a.id = r.adjustment_id
      where a.project_id = ${projectId} ${exceptId ? sql`and a.id <> ${exceptId}` : sql``}
        and not (a.fortnox_ref is not null and exists (
          select 1 from ledger_vouchers v where v.import_id = ${importId} and v.series = a.fortnox_ref->>'series' and v.number = a.fortnox_ref->>'number'))
      group by r.account`),
  );
  return new Map(rows.map((r) => [r.account, toNumber(r.amount)]));
}
