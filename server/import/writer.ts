import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ROW_KIND, rowsPartition, vouchersPartition } from "@/db/schema";
import type { SieObjectRef, SieRow, SieVoucher } from "@/server/sie";
import type { LedgerSide, OpenItem } from "./ledger-at-date";

// Writes one import's ledger into the staging rows of a new import id, in bulk: column arrays sent through
// unnest (one statement per few thousand rows, same SQL on PGlite and PostgreSQL). Nothing written here is
// visible to the project until publish flips the import to current.

const BATCH_ROWS = 8_000;

const objectsJson = (objects: readonly SieObjectRef[]) => (objects.length ? JSON.stringify(objects.map((o) => [o.dim, o.object])) : null);
const orNull = (s: string | null | undefined) => (s ? s : null);

export interface AccountInput {
  number: string;
  name: string | null;
  type: string | null;
  sru: string | null;
  active?: boolean;
}

export interface BalanceInput {
  kind: "IB" | "UB" | "RES";
  yearIndex: number;
  account: string;
  amountOre: number;
  quantity: number | null;
}

export interface ObjectBalanceInput {
  kind: "OIB" | "OUB" | "PSALDO" | "PBUDGET";
  yearIndex: number;
  period: string | null;
  account: string;
  objects: readonly SieObjectRef[];
  amountOre: number;
  quantity: number | null;
}

/** Digest of what makes a voucher "the same" on re-import: date, text and every row with its corrections. */
export function voucherDigest(v: SieVoucher): string {
  const h = createHash("sha1");
  h.update(`${v.date ?? ""}\u0001${v.text}`);
  for (const r of v.rows) h.update(`\u0002${r.account}\u0001${r.amount}\u0001${r.date ?? ""}\u0001${r.text}\u0001${objectsJson(r.objects) ?? ""}`);
  for (const c of v.corrections) h.update(`\u0003${c.kind}\u0001${c.account}\u0001${c.amount}\u0001${c.date ?? ""}`);
  return h.digest("base64url").slice(0, 16);
}

class Columns<T extends Record<string, unknown[]>> {
  constructor(public cols: T) {}
  get length() {
    return (Object.values(this.cols)[0] as unknown[]).length;
  }
  take(): T {
    const out = this.cols;
    this.cols = Object.fromEntries(Object.keys(out).map((k) => [k, []])) as unknown as T;
    return out;
  }
}

/**
 * A PostgreSQL array literal sent as one text parameter: both drivers take it as is (postgres.js cannot infer
 * the element type of a JS array in a prepared statement), and it is cheap to build.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = "NULL";
    else if (typeof v === "number") parts[i] = String(v);
    else if (typeof v === "boolean") parts[i] = v ? "t" : "f";
    else parts[i] = `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
  return `{${parts.join(",")}}`;
}

const arr = (values: unknown[], type: string): SQL => sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;

export class ImportWriter {
  private vouchers = new Columns({ id: [] as number[], series: [] as string[], number: [] as string[], date: [] as (string | null)[], text: [] as string[], regDate: [] as (string | null)[], sign: [] as (string | null)[], digest: [] as string[] });
  private rows = new Columns({ voucherId: [] as number[], seq: [] as number[], kind: [] as number[], account: [] as string[], amount: [] as number[], date: [] as (string | null)[], text: [] as (string | null)[], quantity: [] as (number | null)[], objects: [] as (string | null)[], sign: [] as (string | null)[] });
  private inFlight: Promise<void> = Promise.resolve();
  private nextVoucherId = 1;
  voucherCount = 0;
  rowCount = 0;

  private readonly partition: ReturnType<typeof sql.identifier>;
  private readonly voucherPartition: ReturnType<typeof sql.identifier>;
  private attached = false;

  private constructor(
    private readonly db: Db,
    readonly importId: string,
  ) {
    this.partition = sql.identifier(rowsPartition(importId));
    this.voucherPartition = sql.identifier(vouchersPartition(importId));
  }

  /**
   * A writer with tables of its own for this import's vouchers and rows: no keys or indexes while loading, and a
   * CHECK on import_id so that attaching them later needs no scan.
   */
  static async create(db: Db, importId: string): Promise<ImportWriter> {
    const w = new ImportWriter(db, importId);
    const check = sql.raw(`check (import_id = '${importId.replace(/[^0-9a-f-]/g, "")}'::uuid)`);
    for (const [table, parent] of [[w.partition, "ledger_rows"], [w.voucherPartition, "ledger_vouchers"]] as const) {
      await db.execute(sql`drop table if exists ${table}`);
      await db.execute(sql`create table ${table} (like ${sql.identifier(parent)} including defaults, ${check})`);
    }
    return w;
  }

  /**
   * Writes what is left, then makes the tables partitions of ledger_vouchers and ledger_rows (attaching builds their
   * keys and indexes in one pass each). Still unpublished: nothing reads an import that is not current.
   */
  async attach(): Promise<void> {
    await this.flush();
    if (this.attached) return;
    const value = sql.raw(`'${this.importId.replace(/[^0-9a-f-]/g, "")}'::uuid`);
    // Two tables, two connections on PostgreSQL: their indexes are built side by side. Then fresh statistics, or the
    // planner guesses a handful of rows per account and sorts a 50,000-row account instead of walking the analysis
    // index (PGlite never analyzes on its own).
    await Promise.all([
      this.db.execute(sql`alter table ledger_vouchers attach partition ${this.voucherPartition} for values in (${value})`),
      this.db.execute(sql`alter table ledger_rows attach partition ${this.partition} for values in (${value})`),
    ]);
    await Promise.all([this.db.execute(sql`analyze ${this.voucherPartition}`), this.db.execute(sql`analyze ${this.partition}`)]);
    this.attached = true;
  }

  /**
   * Adds a voucher. Batches are written while the source goes on producing the next one (one write in flight),
   * so parsing and PostgreSQL's inserts use both cores.
   */
  async addVoucher(v: SieVoucher): Promise<void> {
    const id = this.nextVoucherId++;
    const V = this.vouchers.cols;
    V.id.push(id);
    V.series.push(v.series);
    V.number.push(v.number);
    V.date.push(v.date);
    V.text.push(v.text);
    V.regDate.push(v.regDate);
    V.sign.push(orNull(v.sign));
    V.digest.push(voucherDigest(v));
    // Effective rows and the audit trail, in file order.
    const all: { r: SieRow; kind: number }[] = v.rows.map((r) => ({ r, kind: ROW_KIND.trans }));
    for (const c of v.corrections) all.push({ r: c, kind: c.kind === "added" ? ROW_KIND.added : ROW_KIND.removed });
    if (v.corrections.length) all.sort((a, b) => a.r.line - b.r.line);
    const R = this.rows.cols;
    for (let i = 0; i < all.length; i++) {
      const { r, kind } = all[i];
      R.voucherId.push(id);
      R.seq.push(i);
      R.kind.push(kind);
      R.account.push(r.account);
      R.amount.push(r.amount);
      R.date.push(r.date ?? v.date);
      R.text.push(orNull(r.text));
      R.quantity.push(r.quantity);
      R.objects.push(objectsJson(r.objects));
      R.sign.push(orNull(r.sign));
    }
    this.voucherCount++;
    this.rowCount += all.length;
    if (this.rows.length >= BATCH_ROWS) await this.flushVouchers();
  }

  private async flushVouchers(): Promise<void> {
    await this.inFlight;
    if (!this.vouchers.length) return;
    const V = this.vouchers.take();
    const R = this.rows.take();
    // Vouchers and rows go to different tables: on PostgreSQL each statement gets a connection of its own and runs
    // beside the other (PGlite, one connection, simply runs them in turn).
    const write = async () => {
      await Promise.all([
        this.db.execute(sql`
          insert into ${this.voucherPartition} (import_id, id, series, number, date, text, reg_date, sign, digest)
          select ${this.importId}::uuid, * from unnest(${arr(V.id, "int4")}, ${arr(V.series, "text")}, ${arr(V.number, "text")},
            ${arr(V.date, "date")}, ${arr(V.text, "text")}, ${arr(V.regDate, "date")}, ${arr(V.sign, "text")}, ${arr(V.digest, "text")})`),
        R.voucherId.length
          ? this.db.execute(sql`
              insert into ${this.partition} (import_id, voucher_id, seq, kind, account, amount_ore, date, text, quantity, objects, sign)
              select ${this.importId}::uuid, * from unnest(${arr(R.voucherId, "int4")}, ${arr(R.seq, "int2")}, ${arr(R.kind, "int2")},
                ${arr(R.account, "text")}, ${arr(R.amount, "int8")}, ${arr(R.date, "date")}, ${arr(R.text, "text")},
                ${arr(R.quantity, "float8")}, ${arr(R.objects, "jsonb")}, ${arr(R.sign, "text")})`)
          : null,
      ]);
    };
    this.inFlight = write();
    // Surface a failed write at the next await rather than as an unhandled rejection.
    this.inFlight.catch(() => {});
  }

  /** Writes what is buffered and waits for every write to finish. */
  async flush(): Promise<void> {
    await this.flushVouchers();
    await this.inFlight;
  }

  async writeYears(years: { index: number; start: string | null; end: string | null }[]) {
    if (!years.length) return;
    await this.db.execute(sql`
      insert into ledger_years (import_id, year_index, start, "end")
      select ${this.importId}::uuid, * from unnest(${arr(years.map((y) => y.index), "int2")}, ${arr(years.map((y) => y.start), "date")}, ${arr(years.map((y) => y.end), "date")})`);
  }

  async writeAccounts(accounts: AccountInput[]) {
    for (let i = 0; i < accounts.length; i += BATCH_ROWS) {
      const a = accounts.slice(i, i + BATCH_ROWS);
      await this.db.execute(sql`
        insert into ledger_accounts (import_id, number, name, type, sru, active)
        select ${this.importId}::uuid, * from unnest(${arr(a.map((x) => x.number), "text")}, ${arr(a.map((x) => x.name), "text")},
          ${arr(a.map((x) => x.type), "text")}, ${arr(a.map((x) => x.sru), "text")}, ${arr(a.map((x) => x.active ?? true), "bool")})
        on conflict do nothing`);
    }
  }

  async writeBalances(balances: BalanceInput[]) {
    for (let i = 0; i < balances.length; i += BATCH_ROWS) {
      const b = balances.slice(i, i + BATCH_ROWS);
      await this.db.execute(sql`
        insert into ledger_balances (import_id, kind, year_index, account, amount_ore, quantity)
        select ${this.importId}::uuid, * from unnest(${arr(b.map((x) => x.kind), "text")}, ${arr(b.map((x) => x.yearIndex), "int2")},
          ${arr(b.map((x) => x.account), "text")}, ${arr(b.map((x) => x.amountOre), "int8")}, ${arr(b.map((x) => x.quantity), "float8")})`);
    }
  }

  async writeObjectBalances(balances: ObjectBalanceInput[]) {
    for (let i = 0; i < balances.length; i += BATCH_ROWS) {
      const b = balances.slice(i, i + BATCH_ROWS);
      await this.db.execute(sql`
        insert into ledger_object_balances (import_id, kind, year_index, period, account, objects, amount_ore, quantity)
        select ${this.importId}::uuid, * from unnest(${arr(b.map((x) => x.kind), "text")}, ${arr(b.map((x) => x.yearIndex), "int2")},
          ${arr(b.map((x) => x.period), "text")}, ${arr(b.map((x) => x.account), "text")}, ${arr(b.map((x) => objectsJson(x.objects)), "jsonb")},
          ${arr(b.map((x) => x.amountOre), "int8")}, ${arr(b.map((x) => x.quantity), "float8")})`);
    }
  }

  async writeDimensions(dims: { dim: string; object: string | null; name: string; parent: string | null }[]) {
    for (let i = 0; i < dims.length; i += BATCH_ROWS) {
      const d = dims.slice(i, i + BATCH_ROWS);
      await this.db.execute(sql`
        insert into ledger_dimensions (import_id, dim, object, name, parent)
        select ${this.importId}::uuid, * from unnest(${arr(d.map((x) => x.dim), "text")}, ${arr(d.map((x) => x.object), "text")},
          ${arr(d.map((x) => x.name), "text")}, ${arr(d.map((x) => x.parent), "text")})`);
    }
  }
}

/** An open item of the customer or supplier ledger at the closing date, as stored. */
export type OpenItemInput = OpenItem & { side: LedgerSide };

export async function writeOpenItems(db: Db, importId: string, items: OpenItemInput[]) {
  for (let i = 0; i < items.length; i += BATCH_ROWS) {
    const o = items.slice(i, i + BATCH_ROWS);
    const col = <K extends keyof OpenItemInput>(k: K) => o.map((x) => x[k]);
    await db.execute(sql`
      insert into ledger_open_items (import_id, side, counterparty_number, counterparty_name, invoice_number, external_invoice_number,
        invoice_date, due_date, currency, currency_rate, currency_unit, total_ore, open_ore, open_currency)
      select ${importId}::uuid, u.side::ledger_side, u.cn, u.cname, u.inv, u.ext, u.idate, u.ddate, u.cur, u.rate, u.unit, u.total, u.open, u.opencur
      from unnest(${arr(col("side"), "text")}, ${arr(col("counterpartyNumber"), "text")},
        ${arr(col("counterpartyName"), "text")}, ${arr(col("invoiceNumber"), "text")}, ${arr(col("externalInvoiceNumber"), "text")},
        ${arr(col("invoiceDate"), "date")}, ${arr(col("dueDate"), "date")}, ${arr(col("currency"), "text")},
        ${arr(col("currencyRate"), "float8")}, ${arr(col("currencyUnit"), "int4")}, ${arr(col("totalOre"), "int8")},
        ${arr(col("openOre"), "int8")}, ${arr(col("openCurrency"), "int8")})
        as u(side, cn, cname, inv, ext, idate, ddate, cur, rate, unit, total, open, opencur)`);
  }
}
