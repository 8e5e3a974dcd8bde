import { eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resultRows, toNumber } from "@/db/client";
import { exportAttachments, exportItems } from "@/db/schema";

// Leases: which worker may act on a held row, until when (in the database's clock).

export const leaseUntil = (ms: number): SQL => sql`now() + (${ms} * interval '1 millisecond')`;

/** The row is free to take: nobody holds it, its holder's lease ran out, or we hold it ourselves. */
export function leaseFree(table: typeof exportItems | typeof exportAttachments, owner: string): SQL {
  return or(isNull(table.leaseUntil), lt(table.leaseUntil, sql`now()`), eq(table.leaseOwner, owner))!;
}

/** Milliseconds until the row's lease runs out by the database's clock (≤ 0: free). */
export async function leaseRemainingMs(db: Db, table: "export_items" | "export_attachments", id: string): Promise<number> {
  const rows = resultRows<{ ms: unknown }>(
    await db.execute(sql`select coalesce(extract(epoch from (lease_until - now())) * 1000, 0) as ms from ${sql.identifier(table)} where id = ${id}`),
  );
  return rows.length ? toNumber(rows[0].ms) : 0;
}

/**
 * At the end of a run nothing of ours is in flight any more: let the next run take over what we hold at once
 * (e.g. an item left in `sending` because the lookup failed) instead of waiting out the lease.
 */
export async function dropLeases(db: Db, owner: string): Promise<void> {
  const past = sql`now() - interval '1 millisecond'`;
  await db.update(exportItems).set({ leaseUntil: past }).where(eq(exportItems.leaseOwner, owner));
  await db.update(exportAttachments).set({ leaseUntil: past }).where(eq(exportAttachments.leaseOwner, owner));
}
