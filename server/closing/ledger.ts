import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { imports, ledgerAccounts, ledgerAccountTotals, projectAccounts } from "@/db/schema";
import { DomainError } from "@/server/errors";

// Read access to the project's current import for the closing views: the import itself, the chart of accounts
// (imported plus the accounts the user added) and per-account totals.

export type CurrentImport = typeof imports.$inferSelect;

export async function currentImportOf(db: DbOrTx, projectId: string): Promise<CurrentImport | null> {
  const [row] = await db.select().from(imports).where(and(eq(imports.projectId, projectId), eq(imports.isCurrent, true)));
  return row ?? null;
}

/** The closing views need imported data; before the first import they say so (translated) instead of failing. */
export async function requireCurrentImport(db: DbOrTx, projectId: string): Promise<CurrentImport> {
  const imp = await currentImportOf(db, projectId);
  if (!imp) throw new DomainError("PRECONDITION_FAILED", "closingNoImport");
  return imp;
}

export interface ChartAccount {
  number: string;
  name: string | null;
  /** Added by the user in this closing (not in the imported chart). */
  isNew: boolean;
  active: boolean;
}

/** The imported chart plus the project's own new accounts, by number. */
export async function chartOf(db: DbOrTx, projectId: string, importId: string | null): Promise<Map<string, ChartAccount>> {
  const out = new Map<string, ChartAccount>();
  if (importId) {
    const rows = await db
      .select({ number: ledgerAccounts.number, name: ledgerAccounts.name, active: ledgerAccounts.active })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.importId, importId))
      .orderBy(asc(ledgerAccounts.number));
    for (const r of rows) out.set(r.number, { number: r.number, name: r.name, isNew: false, active: r.active });
  }
  const own = await db.select().from(projectAccounts).where(eq(projectAccounts.projectId, projectId));
  for (const a of own) if (!out.has(a.number)) out.set(a.number, { number: a.number, name: a.name, isNew: true, active: true });
  return out;
}

export interface AccountTotal {
  ibOre: number;
  changeOre: number;
  rowCount: number;
}

/**
 * Opening balance and period change per account of an import. Computed with one aggregate the first time and
 * kept (the import is immutable once published). A file without vouchers (SIE 1–3) has no rows: its change is
 * then the file's closing balance (#UB, or #RES for result accounts) less the opening one.
 */
export async function accountTotals(db: DbOrTx, importId: string): Promise<Map<string, AccountTotal>> {
  let rows = await db.select().from(ledgerAccountTotals).where(eq(ledgerAccountTotals.importId, importId));
  if (!rows.length) {
    await db.execute(sql`
      insert into ledger_account_totals (import_id, account, ib_ore, change_ore, row_count)
      select ${importId}::uuid, account, sum(ib), sum(chg), sum(n)::int from (
        select account, amount_ore as ib, 0::bigint as chg, 0::bigint as n
          from ledger_balances where import_id = ${importId} and kind = 'IB' and year_index = 0
        union all
        select account, 0, sum(amount_ore), count(*)
          from ledger_rows where import_id = ${importId} and kind = 0 group by account
        union all
        select account, 0, case when kind = 'IB' then -amount_ore else amount_ore end, 0
          from ledger_balances where import_id = ${importId} and kind in ('IB', 'UB', 'RES') and year_index = 0
          and not exists (select 1 from ledger_rows where import_id = ${importId})
      ) u group by account
      on conflict do nothing`);
    rows = await db.select().from(ledgerAccountTotals).where(eq(ledgerAccountTotals.importId, importId));
  }
  return new Map(rows.map((r) => [r.account, { ibOre: r.ibOre, changeOre: r.changeOre, rowCount: r.rowCount }]));
}
