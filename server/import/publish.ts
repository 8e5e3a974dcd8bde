import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resultRows, toNumber } from "@/db/client";
import { imports, projects, rowsPartition, vouchersPartition, type ImportCheck, type ImportDiff } from "@/db/schema";

// Publishing makes an import the project's current one in one short transaction; the previous import's rows are
// removed afterwards. Until then readers keep seeing the previous year as it was.

const LEDGER_TABLES = [
  "ledger_balances", "ledger_object_balances", "ledger_dimensions", "ledger_accounts", "ledger_years", "ledger_open_items",
  "ledger_account_totals",
] as const;
const LIST = 200;

/** Deletes an import's ledger rows (not the import row, which stays as history). */
export async function deleteImportData(db: Db, importId: string) {
  // Vouchers and rows are tables of their own (attached or not yet): dropping them is instant, whatever their size.
  await db.execute(sql`drop table if exists ${sql.identifier(rowsPartition(importId))}, ${sql.identifier(vouchersPartition(importId))}`);
  for (const t of LEDGER_TABLES) await db.execute(sql`delete from ${sql.identifier(t)} where import_id = ${importId}`);
}

/** A failed import leaves its history row with the reason, and no data. */
export async function failImport(db: Db, importId: string, errorKey: string) {
  await db.update(imports).set({ status: "failed", errorKey }).where(eq(imports.id, importId));
  await deleteImportData(db, importId);
}

/** Imports of a job that never published (the process died mid-way): discarded before the job runs again. */
export async function discardUnpublished(db: Db, jobId: string) {
  const stale = await db.select({ id: imports.id }).from(imports).where(and(eq(imports.jobId, jobId), eq(imports.status, "running")));
  for (const s of stale) await failImport(db, s.id, "jobInterrupted");
}

/** Closing balance per account as the trial balance shows it: IB + Σ effective rows of year 0. */
const closing = (importId: string) => sql`
  select account, sum(amount) as amount from (
    select account, amount_ore as amount from ledger_balances where import_id = ${importId} and kind = 'IB' and year_index = 0
    union all
    select account, sum(amount_ore) from ledger_rows where import_id = ${importId} and kind = 0 group by account
  ) u group by account`;

/**
 * Balance-sheet accounts of signed-off schedules whose imported closing balance differs from the one they were
 * signed off at (server/closing/account-schedules.ts keeps it per account): the user must look at them again.
 */
async function signedOffChanged(db: Db, projectId: string, importId: string): Promise<ImportDiff["signedOffChanged"]> {
  const rows = resultRows<{ account: string; signed: unknown; after: unknown }>(
    await db.execute(sql`
      with a as (${closing(importId)})
      select sa.account, sa.signed_off_ore as signed, coalesce(a.amount, 0) as after
      from schedule_accounts sa join schedules s on s.id = sa.schedule_id
      left join a on a.account = sa.account
      where sa.project_id = ${projectId} and s.status = 'reconciled' and sa.signed_off_ore is not null
        and sa.signed_off_ore <> coalesce(a.amount, 0)
      order by sa.account limit ${LIST}`),
  );
  return rows.map((r) => ({ account: r.account, signedOffOre: toNumber(r.signed), afterOre: toNumber(r.after) }));
}

async function computeDiff(db: Db, projectId: string, previousId: string | null, importId: string): Promise<ImportDiff> {
  if (!previousId) {
    return { first: true, newVouchers: 0, changedVouchers: 0, removedVouchers: 0, vouchers: [], movedAccounts: [], signedOffChanged: await signedOffChanged(db, projectId, importId) };
  }
  // Flag new and changed vouchers on the new import, so every view can show them.
  await db.execute(sql`
    update ledger_vouchers n set change = 2 from ledger_vouchers o
    where n.import_id = ${importId} and o.import_id = ${previousId} and o.series = n.series and o.number = n.number and o.digest <> n.digest`);
  await db.execute(sql`
    update ledger_vouchers n set change = 1 where n.import_id = ${importId} and not exists (
      select 1 from ledger_vouchers o where o.import_id = ${previousId} and o.series = n.series and o.number = n.number)`);
  const [counts] = resultRows<{ created: unknown; changed: unknown; removed: unknown }>(
    await db.execute(sql`
      select
        (select count(*) from ledger_vouchers where import_id = ${importId} and change = 1) as created,
        (select count(*) from ledger_vouchers where import_id = ${importId} and change = 2) as changed,
        (select count(*) from ledger_vouchers o where o.import_id = ${previousId} and not exists (
          select 1 from ledger_vouchers n where n.import_id = ${importId} and n.series = o.series and n.number = o.number)) as removed`),
  );
  const list = resultRows<{ series: string; number: string; date: string | null; text: string; change: string }>(
    await db.execute(sql`
      (select series, number, date::text as date, text, case change when 1 then 'new' else 'changed' end as change
        from ledger_vouchers where import_id = ${importId} and change is not null order by series, id limit ${LIST})
      union all
      (select o.series, o.number, o.date::text, o.text, 'removed' from ledger_vouchers o where o.import_id = ${previousId}
        and not exists (select 1 from ledger_vouchers n where n.import_id = ${importId} and n.series = o.series and n.number = o.number)
        order by o.series, o.id limit ${LIST})`),
  );
  const moved = resultRows<{ account: string; name: string | null; before: unknown; after: unknown }>(
    await db.execute(sql`
      with b as (${closing(previousId)}), a as (${closing(importId)})
      select coalesce(a.account, b.account) as account, acc.name, coalesce(b.amount, 0) as before, coalesce(a.amount, 0) as after
      from a full join b on b.account = a.account
      left join ledger_accounts acc on acc.import_id = ${importId} and acc.number = coalesce(a.account, b.account)
      where coalesce(a.amount, 0) <> coalesce(b.amount, 0)
      order by 1 limit ${LIST}`),
  );
  return {
    first: false,
    newVouchers: toNumber(counts.created),
    changedVouchers: toNumber(counts.changed),
    removedVouchers: toNumber(counts.removed),
    vouchers: list.map((v) => ({ series: v.series, number: v.number, date: v.date, text: v.text, change: v.change as "new" | "changed" | "removed" })),
    movedAccounts: moved.map((m) => ({ account: m.account, name: m.name, beforeOre: toNumber(m.before), afterOre: toNumber(m.after) })),
    signedOffChanged: await signedOffChanged(db, projectId, importId),
  };
}

export interface PublishInput {
  projectId: string;
  importId: string;
  meta: Record<string, unknown>;
  counts: Record<string, number>;
  checks: ImportCheck[];
  warnings: { code: string; line: number; message: string }[];
}

/** Makes the import current; returns the diff against the import it replaced. */
export async function publishImport(db: Db, input: PublishInput): Promise<{ diff: ImportDiff; previousId: string | null }> {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    // One publish per project at a time, whatever the job queue believes.
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, input.projectId)).for("update");
    const [prev] = await tx
      .select({ id: imports.id })
      .from(imports)
      .where(and(eq(imports.projectId, input.projectId), eq(imports.isCurrent, true)));
    const previousId = prev?.id ?? null;
    const diff = await computeDiff(tx, input.projectId, previousId, input.importId);
    if (previousId) await tx.update(imports).set({ isCurrent: false, status: "replaced" }).where(eq(imports.id, previousId));
    await tx
      .update(imports)
      .set({
        isCurrent: true, status: "published", publishedAt: new Date(), meta: input.meta, counts: input.counts, checks: input.checks,
        diff, warnings: input.warnings,
      })
      .where(eq(imports.id, input.importId));
    return { diff, previousId };
  });
}
