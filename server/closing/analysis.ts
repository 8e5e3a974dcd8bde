import { and, asc, eq, sql } from "drizzle-orm";
import { resultRows, toNumber, type Db } from "@/db/client";
import { ledgerRows, ledgerVouchers, ledgerYears } from "@/db/schema";
import { badRequest, notFound } from "@/server/errors";
import { statementOf } from "./bas";
import { accountFigures, ZERO } from "./figures";
import { chartOf, requireCurrentImport } from "./ledger";

// Account analysis (kontoanalys): the opening balance, every voucher row on the account in date order with a
// running balance, the closing balance, then the adjustments and the balance after them. Paged by keyset on
// (date, voucher, row), so the last page of an account with 100,000 rows costs what the first one does.

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;

type Key = [date: string, voucherId: number, seq: number];
const FIRST_DAY = "0001-01-01";
const END: Key = ["9999-12-31", 2_147_483_647, 32_767];

export function encodeCursor(k: Key): string {
  return Buffer.from(JSON.stringify(k)).toString("base64url");
}

export function decodeCursor(c: string): Key {
  if (c === "end") return END;
  try {
    const k = JSON.parse(Buffer.from(c, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(k) && k.length === 3 && typeof k[0] === "string" && /^\d{4}-\d{2}-\d{2}$/.test(k[0]) && Number.isSafeInteger(k[1]) && Number.isSafeInteger(k[2])) {
      return k as Key;
    }
  } catch {}
  throw badRequest("invalidCursor");
}

/** The middle of the import's year 0 (rows are spread over the year, so it halves the longest balance walk). */
async function midYear(db: Db, importId: string): Promise<string> {
  const [y] = await db.select().from(ledgerYears).where(and(eq(ledgerYears.importId, importId), eq(ledgerYears.yearIndex, 0)));
  if (!y?.start || !y?.end) return "9999-12-31";
  return new Date((Date.parse(`${y.start}T00:00:00Z`) + Date.parse(`${y.end}T00:00:00Z`)) / 2).toISOString().slice(0, 10);
}

export interface AnalysisRow {
  voucherId: number;
  seq: number;
  /** 0 effective, 1 added later (#RTRANS), 2 struck out (#BTRANS). */
  kind: number;
  series: string;
  number: string;
  date: string | null;
  voucherText: string;
  rowText: string | null;
  amountOre: number;
  /** Running balance after this row; null for corrections, which do not count. */
  balanceOre: number | null;
  /** Since the previous import: 1 new voucher, 2 changed voucher. */
  change: number | null;
}

export interface AnalysisOptions {
  after?: string;
  before?: string;
  limit?: number;
  corrections?: boolean;
}

export async function accountAnalysis(db: Db, projectId: string, account: string, opts: AnalysisOptions = {}) {
  const imp = await requireCurrentImport(db, projectId);
  const [figures, chart] = await Promise.all([accountFigures(db, projectId, imp), chartOf(db, projectId, imp.id)]);
  const f = figures.get(account);
  const c = chart.get(account);
  if (!f && !c) throw notFound("accountNotFound");
  const amounts = f ?? { ...ZERO, rowCount: 0 };
  const limit = Math.min(Math.max(opts.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const kinds = opts.corrections ? sql`(0, 1, 2)` : sql`(0)`;
  // Written exactly as the index ledger_rows_account has it, so the planner walks the index in order.
  const day = sql.raw(`coalesce(r.date, '${FIRST_DAY}'::date)`);
  const key = sql`(${day}, r.voucher_id, r.seq)`;
  const backwards = !!opts.before;
  const cursor = opts.before ? decodeCursor(opts.before) : opts.after ? decodeCursor(opts.after) : null;
  const bound = cursor ? sql`and ${key} ${backwards ? sql`<` : sql`>`} (${cursor[0]}::date, ${cursor[1]}::int, ${cursor[2]}::int)` : sql``;
  const dir = backwards ? sql`desc` : sql`asc`;
  const raw = resultRows<{
    voucher_id: number; seq: number; kind: number; amount_ore: unknown; date: string | null; text: string | null; series: string; number: string;
    vtext: string; change: number | null; k: string;
  }>(
    // The page is cut from ledger_rows alone (in index order) before its vouchers are joined: joining first made
    // the planner fetch every voucher of a 50,000-row account and sort afterwards.
    await db.execute(sql`
      select p.voucher_id, p.seq, p.kind, p.amount_ore, p.date::text as date, p.text, v.series, v.number, v.text as vtext, v.change, p.k::text as k
      from (
        select r.voucher_id, r.seq, r.kind, r.amount_ore, r.date, r.text, ${day} as k
        from ledger_rows r
        where r.import_id = ${imp.id} and r.account = ${account} and r.kind in ${kinds} ${bound}
        order by ${day} ${dir}, r.voucher_id ${dir}, r.seq ${dir}
        limit ${limit + 1}
      ) p join ledger_vouchers v on v.import_id = ${imp.id} and v.id = p.voucher_id
      order by p.k ${dir}, p.voucher_id ${dir}, p.seq ${dir}`),
  );
  const more = raw.length > limit;
  const page = raw.slice(0, limit);
  if (backwards) page.reverse();

  // The balance before the page's first row: the opening balance plus every effective row before it, or (in the
  // second half of the year, where that is the shorter walk) the closing balance less every row from it on.
  let balance = amounts.ibOre;
  if (page.length) {
    const first = page[0];
    const fromEnd = first.k > (await midYear(db, imp.id));
    const [s] = resultRows<{ s: unknown }>(
      await db.execute(sql`
        select coalesce(sum(r.amount_ore), 0) as s from ledger_rows r
        where r.import_id = ${imp.id} and r.account = ${account} and r.kind = 0
          and ${key} ${fromEnd ? sql`>=` : sql`<`} (${first.k}::date, ${first.voucher_id}::int, ${first.seq}::int)`),
    );
    balance = fromEnd ? amounts.ubOre - toNumber(s.s) : amounts.ibOre + toNumber(s.s);
  }
  const rows: AnalysisRow[] = page.map((r) => {
    const amountOre = toNumber(r.amount_ore);
    const kind = Number(r.kind);
    if (kind === 0) balance += amountOre;
    return {
      voucherId: Number(r.voucher_id), seq: Number(r.seq), kind, series: r.series, number: r.number, date: r.date, voucherText: r.vtext,
      rowText: r.text, amountOre, balanceOre: kind === 0 ? balance : null, change: r.change === null ? null : Number(r.change),
    };
  });
  const keyOf = (r: (typeof page)[number]): Key => [r.k, Number(r.voucher_id), Number(r.seq)];
  const hasNext = backwards ? !!cursor && cursor !== END : more;
  const hasPrev = backwards ? more : !!cursor;

  // The adjustments the books do not hold yet (an exported one found in this import is in the rows above).
  const adj = resultRows<{ id: string; number: number; date: string; text: string; exported_at: string | null; amount_ore: unknown; row_text: string | null }>(
    await db.execute(sql`
      select a.id, a.number, a.date::text as date, a.text, a.exported_at, r.amount_ore, r.text as row_text
      from adjustment_rows r join adjustments a on a.id = r.adjustment_id
      where a.project_id = ${projectId} and r.account = ${account}
        and not (a.fortnox_ref is not null and exists (
          select 1 from ledger_vouchers v where v.import_id = ${imp.id} and v.series = a.fortnox_ref->>'series' and v.number = a.fortnox_ref->>'number'))
      order by a.number, r.seq`),
  ).map((r) => ({ id: r.id, number: Number(r.number), date: r.date, text: r.text, exported: r.exported_at !== null, amountOre: toNumber(r.amount_ore), rowText: r.row_text }));

  return {
    account,
    name: c?.name ?? null,
    isNew: c?.isNew ?? false,
    statement: statementOf(account),
    ...amounts,
    adjustments: adj,
    rows,
    page: {
      next: hasNext && page.length ? encodeCursor(keyOf(page[page.length - 1])) : null,
      prev: hasPrev && page.length ? encodeCursor(keyOf(page[0])) : null,
      limit,
    },
  };
}

/** One voucher with all its rows (corrections included), to open from the analysis. */
export async function voucherDetail(db: Db, projectId: string, voucherId: number) {
  const imp = await requireCurrentImport(db, projectId);
  const [v] = await db.select().from(ledgerVouchers).where(and(eq(ledgerVouchers.importId, imp.id), eq(ledgerVouchers.id, voucherId)));
  if (!v) throw notFound("voucherNotFound");
  const [rows, chart] = await Promise.all([
    db.select().from(ledgerRows).where(and(eq(ledgerRows.importId, imp.id), eq(ledgerRows.voucherId, voucherId))).orderBy(asc(ledgerRows.seq)),
    chartOf(db, projectId, imp.id),
  ]);
  return {
    id: v.id, series: v.series, number: v.number, date: v.date, text: v.text, regDate: v.regDate, sign: v.sign, change: v.change,
    rows: rows.map((r) => ({
      seq: r.seq, kind: r.kind, account: r.account, accountName: chart.get(r.account)?.name ?? null, amountOre: r.amountOre, date: r.date,
      text: r.text, objects: r.objects, sign: r.sign,
    })),
  };
}
