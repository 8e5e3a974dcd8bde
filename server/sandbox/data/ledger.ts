import { Columns } from "./columns";

// One financial year's vouchers and rows, columnar. Rows of voucher v are rowStart[v] .. rowStart[v]+rowCount[v]-1.
// Amounts are öre, debit positive. Row flags: REMOVED = struck after registration (SIE #BTRANS, REST Removed),
// ADDED = added after registration (SIE #RTRANS + its #TRANS twin).
export const ROW_REMOVED = 1;
export const ROW_ADDED = 2;

export const enum Kind {
  Posted = 0,
  CustomerInvoice = 1,
  CustomerPayment = 2,
  SupplierInvoice = 3,
  SupplierPayment = 4,
  Salary = 5,
  Vat = 6,
  TaxReturn = 7,
  TaxAccountDeposit = 8,
  Depreciation = 9,
  BankFee = 10,
  YearResult = 11,
  Disposition = 12,
  CardPurchase = 13,
  Interest = 14,
}

export const ACCOUNT_SLOTS = 10000; // BAS accounts are four digits

export interface PostedText {
  description: string;
  comments: string | null;
}

export class YearLedger {
  readonly v = new Columns({
    series: Uint8Array,
    number: Int32Array,
    date: Int32Array,
    kind: Uint8Array,
    ref: Int32Array,
    rowStart: Int32Array,
    rowCount: Uint16Array,
  });
  readonly r = new Columns(
    {
      account: Uint16Array,
      amount: Float64Array,
      costCenter: Uint8Array,
      project: Uint8Array,
      flags: Uint8Array,
      text: Int32Array,
    },
    4096,
  );
  /** Interned row texts (TransactionInformation); index 0 is "". */
  readonly texts: string[] = [""];
  private readonly textIndex = new Map<string, number>([["", 0]]);
  /** Description and Comments of vouchers posted through the API (generated ones derive theirs from kind+ref). */
  readonly posted = new Map<number, PostedText>();
  /** Effective movement per account over the year, and per month (month*ACCOUNT_SLOTS + account). */
  readonly movement = new Float64Array(ACCOUNT_SLOTS);
  readonly periodMovement = new Float64Array(12 * ACCOUNT_SLOTS);
  /** Voucher indexes per series, ascending by number. */
  readonly bySeries: number[][];
  readonly nextNumber: Int32Array;

  constructor(
    readonly id: number,
    readonly fromDay: number,
    readonly toDay: number,
    readonly fromYear: number,
    readonly fromMonth: number,
    seriesCount: number,
  ) {
    this.bySeries = Array.from({ length: seriesCount }, () => []);
    this.nextNumber = new Int32Array(seriesCount).fill(1);
  }

  get voucherCount(): number {
    return this.v.length;
  }

  intern(text: string): number {
    let i = this.textIndex.get(text);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(text);
      this.textIndex.set(text, i);
    }
    return i;
  }

  addRow(account: number, amount: number, costCenter = 0, project = 0, flags = 0, text = 0): void {
    const i = this.r.push();
    const c = this.r.c;
    c.account[i] = account;
    c.amount[i] = amount;
    c.costCenter[i] = costCenter;
    c.project[i] = project;
    c.flags[i] = flags;
    c.text[i] = text;
  }

  /**
   * Closes a voucher over the rows added since `rowStart` and gives it the next number of its series.
   * Returns the voucher index.
   */
  commit(series: number, date: number, kind: number, ref: number, rowStart: number, monthIndex: number): number {
    const v = this.v.push();
    const c = this.v.c;
    c.series[v] = series;
    c.number[v] = this.nextNumber[series]++;
    c.date[v] = date;
    c.kind[v] = kind;
    c.ref[v] = ref;
    c.rowStart[v] = rowStart;
    c.rowCount[v] = this.r.length - rowStart;
    const rc = this.r.c;
    for (let i = rowStart; i < this.r.length; i++) {
      if (rc.flags[i] & ROW_REMOVED) continue;
      const acc = rc.account[i];
      this.movement[acc] += rc.amount[i];
      this.periodMovement[monthIndex * ACCOUNT_SLOTS + acc] += rc.amount[i];
    }
    this.bySeries[series].push(v);
    return v;
  }

  findVoucher(series: number, number: number): number {
    const list = this.bySeries[series];
    if (!list) return -1;
    // Numbers are dense from 1 in each series, so the index is number-1; fall back to a scan if not.
    const guess = list[number - 1];
    if (guess !== undefined && this.v.c.number[guess] === number) return guess;
    return list.find((v) => this.v.c.number[v] === number) ?? -1;
  }

  /** Month index (0-11) of a day within this year. */
  monthIndexOf(day: number): number {
    const d = new Date(day * 86_400_000);
    return (d.getUTCFullYear() - this.fromYear) * 12 + d.getUTCMonth() + 1 - this.fromMonth;
  }
}
