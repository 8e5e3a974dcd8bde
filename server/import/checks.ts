import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resultRows, toNumber } from "@/db/client";
import type { ImportCheck } from "@/db/schema";
import { normalizeOrgNr } from "@/lib/org-nr";

// The checks run after every import, on what was actually stored (not on what the parser believed), so a check
// passing means the data in the database is right. Each returns a status the user sees, with the first
// offending items.

const ITEMS = 50;

/** Balance accounts: BAS classes 1–2 or #KTYP T/S. */
const BALANCE_ACCOUNT = sql`(coalesce(a.type, '') in ('T', 'S') or (coalesce(a.type, '') = '' and left(x.account, 1) in ('1', '2')))`;

export async function checkVouchersBalance(db: Db, importId: string): Promise<ImportCheck> {
  const rows = resultRows<{ series: string; number: string; date: string | null; diff: unknown }>(
    await db.execute(sql`
      with d as (
        select voucher_id, sum(amount_ore) as diff from ledger_rows
        where import_id = ${importId} and kind = 0 group by voucher_id having sum(amount_ore) <> 0
      )
      select v.series, v.number, v.date::text as date, d.diff from d
      join ledger_vouchers v on v.import_id = ${importId} and v.id = d.voucher_id
      order by v.series, v.id`),
  );
  if (!rows.length) return { key: "vouchersBalance", status: "ok" };
  return {
    key: "vouchersBalance",
    status: "warning",
    params: { count: rows.length },
    itemCount: rows.length,
    items: rows.slice(0, ITEMS).map((r) => ({ series: r.series, number: r.number, date: r.date, differenceOre: toNumber(r.diff) })),
  };
}

/**
 * IB + the year's change = UB for balance accounts and the change = RES for result accounts, in year 0. The change
 * comes from what the source holds (params.basis):
 * - transactions: the vouchers' rows (SIE 4, Fortnox);
 * - periods: the objectless #PSALDO of the months of year 0 (SIE 2 and 3 hold no vouchers by design; BL also writes the
 *   year before's months with year index 0, which do not count, as in server/sie/checks.ts). Programs disagree on the
 *   objectless row of a SIE 3 file (the account's total, or only what was booked without objects, the object rows
 *   completing it): a reading that adds up counts as agreement (the same rule as server/sie/checks.ts);
 * - none (skipped): SIE 1 holds year-end balances only (reason "sie1"), or a file holds neither vouchers nor period
 *   balances (reason "noPeriods"): flagging every account that moved would only be noise.
 */
export async function checkBalancesAgree(db: Db, importId: string, source: { sieType?: string | null } = {}): Promise<ImportCheck> {
  const [has] = resultRows<{ ub: boolean; res: boolean; vouchers: boolean; periods: boolean }>(
    await db.execute(sql`
      select exists(select 1 from ledger_balances where import_id = ${importId} and kind = 'UB' and year_index = 0) as ub,
             exists(select 1 from ledger_balances where import_id = ${importId} and kind = 'RES' and year_index = 0) as res,
             exists(select 1 from ledger_vouchers where import_id = ${importId}) as vouchers,
             exists(select 1 from ledger_object_balances where import_id = ${importId} and kind = 'PSALDO' and year_index = 0) as periods`),
  );
  if (!has.ub && !has.res) return { key: "balancesAgree", status: "skipped" };
  const sie1 = "sieType" in source && (source.sieType == null || source.sieType.trim() === "1");
  if (!has.vouchers && sie1) return { key: "balancesAgree", status: "skipped", params: { reason: "sie1" } };
  if (!has.vouchers && "sieType" in source && !has.periods) return { key: "balancesAgree", status: "skipped", params: { reason: "noPeriods" } };
  const basis = !has.vouchers && has.periods ? "periods" : "transactions";
  const moved =
    basis === "periods"
      ? sql`select account,
          sum(amount_ore) filter (where objects is null) as plain, count(*) filter (where objects is null) as plain_rows, sum(amount_ore) as total
          from ledger_object_balances o where import_id = ${importId} and kind = 'PSALDO' and year_index = 0
            and not exists (select 1 from ledger_years y where y.import_id = ${importId} and y.year_index = 0
              and (o.period < to_char(y.start, 'YYYYMM') or o.period > to_char(y."end", 'YYYYMM')))
          group by account`
      : sql`select account, sum(amount_ore) as plain, count(*) as plain_rows, sum(amount_ore) as total
          from ledger_rows where import_id = ${importId} and kind = 0 group by account`;
  const rows = resultRows<{ account: string; expected: unknown; actual: unknown }>(
    await db.execute(sql`
      with t as (${moved}), b as (
        select account,
          sum(amount_ore) filter (where kind = 'IB') as ib,
          sum(amount_ore) filter (where kind = 'UB') as ub,
          sum(amount_ore) filter (where kind = 'RES') as res
        from ledger_balances where import_id = ${importId} and year_index = 0 group by account
      ), x as (
        select coalesce(t.account, b.account) as account, t.plain, coalesce(t.plain_rows, 0) as plain_rows, coalesce(t.total, 0) as total,
          coalesce(b.ib, 0) as ib, b.ub, b.res
        from t full join b on b.account = t.account
      ), y as (
        select x.*, ${BALANCE_ACCOUNT} as balance,
          case when ${BALANCE_ACCOUNT} then coalesce(x.ub, 0) - x.ib else coalesce(x.res, 0) end as target
        from x left join ledger_accounts a on a.import_id = ${importId} and a.number = x.account
      ), z as (
        select account, balance, ib, ub, res,
          case when plain_rows > 0 and plain = target then plain when total = target or plain_rows = 0 then total else plain end as change
        from y
      )
      select account,
        case when balance then coalesce(ub, 0) else coalesce(res, 0) end as expected,
        case when balance then ib + change else change end as actual
      from z
      where case when balance then ${has.ub} and ib + change <> coalesce(ub, 0) else ${has.res} and change <> coalesce(res, 0) end
      order by account`),
  );
  if (!rows.length) return { key: "balancesAgree", status: "ok", params: { basis } };
  return {
    key: "balancesAgree",
    status: "warning",
    params: { basis, count: rows.length },
    itemCount: rows.length,
    items: rows.slice(0, ITEMS).map((r) => ({
      account: r.account, expectedOre: toNumber(r.expected), actualOre: toNumber(r.actual), differenceOre: toNumber(r.actual) - toNumber(r.expected),
    })),
  };
}

/**
 * This year's IB against last year's UB: the previous closing project's current import when there is one
 * (what the accountant closed), otherwise the previous year carried in the same file.
 */
export async function checkOpeningBalances(db: Db, importId: string, previousImportId: string | null): Promise<ImportCheck> {
  const prev = previousImportId
    ? sql`select account, amount_ore from ledger_balances where import_id = ${previousImportId} and kind = 'UB' and year_index = 0`
    : sql`select account, amount_ore from ledger_balances where import_id = ${importId} and kind = 'UB' and year_index = -1`;
  const [any] = resultRows<{ n: unknown }>(await db.execute(sql`select count(*) as n from (${prev}) p`));
  if (toNumber(any.n) === 0) return { key: "openingBalances", status: "skipped", params: { against: previousImportId ? "project" : "file" } };
  const rows = resultRows<{ account: string; ib: unknown; ub: unknown }>(
    await db.execute(sql`
      with p as (${prev}),
      c as (select account, amount_ore from ledger_balances where import_id = ${importId} and kind = 'IB' and year_index = 0)
      select coalesce(c.account, p.account) as account, coalesce(c.amount_ore, 0) as ib, coalesce(p.amount_ore, 0) as ub
      from c full join p on p.account = c.account
      where coalesce(c.amount_ore, 0) <> coalesce(p.amount_ore, 0) and left(coalesce(c.account, p.account), 1) in ('1', '2')
      order by 1`),
  );
  const against = previousImportId ? "project" : "file";
  if (!rows.length) return { key: "openingBalances", status: "ok", params: { against } };
  return {
    key: "openingBalances",
    status: "warning",
    params: { against, count: rows.length },
    itemCount: rows.length,
    items: rows.slice(0, ITEMS).map((r) => ({ account: r.account, ibOre: toNumber(r.ib), previousUbOre: toNumber(r.ub), differenceOre: toNumber(r.ib) - toNumber(r.ub) })),
  };
}

/**
 * The customer ledger against 1510 and the supplier ledger against 2440, at the closing date. A side Fortnox
 * refused (the company lacks the module, or the connection the permission) says so instead of comparing nothing.
 */
export async function checkLedgers(db: Db, importId: string, unavailable: Partial<Record<"customer" | "supplier", "licence" | "scope">> = {}): Promise<ImportCheck[]> {
  const rows = resultRows<{ side: string; account: string; open: unknown; ub: unknown; items: unknown }>(
    await db.execute(sql`
      with s(side, account) as (values ('customer', '1510'), ('supplier', '2440'))
      select s.side, s.account,
        (select coalesce(sum(open_ore), 0) from ledger_open_items o where o.import_id = ${importId} and o.side::text = s.side) as open,
        (select count(*) from ledger_open_items o where o.import_id = ${importId} and o.side::text = s.side) as items,
        (select coalesce(sum(amount_ore), 0) from ledger_balances b where b.import_id = ${importId} and b.kind = 'UB' and b.year_index = 0 and b.account = s.account) as ub
      from s`),
  );
  return rows.map((r): ImportCheck => {
    const side = r.side as "customer" | "supplier";
    const refused = unavailable[side];
    if (refused) {
      return { key: `${side}LedgerUnavailable`, status: "warning", params: { account: r.account, reason: refused } } satisfies ImportCheck;
    }
    const open = toNumber(r.open);
    const ub = toNumber(r.ub);
    return {
      key: r.side === "customer" ? "customerLedger" : "supplierLedger",
      status: open === ub ? "ok" : "warning",
      params: { account: r.account, ledgerOre: open, balanceOre: ub, differenceOre: open - ub, items: toNumber(r.items) },
    } satisfies ImportCheck;
  });
}

export function checkOrgNrMatches(source: string | null | undefined, clientOrgNr: string): ImportCheck {
  if (!source) return { key: "orgNr", status: "skipped" };
  const n = normalizeOrgNr(source);
  // Fortnox and SIE files write it with or without the hyphen, sometimes with a 16/century prefix.
  const same = n === clientOrgNr || (n.length === 12 && n.slice(2) === clientOrgNr);
  return { key: "orgNr", status: same ? "ok" : "warning", params: { source: source, client: clientOrgNr } };
}
