import { CHART, type ChartAccount, isBalanceAccount } from "./chart";
import { Columns } from "./columns";
import { ACCOUNT_SLOTS, YearLedger } from "./ledger";

// The accounting data of one demo company: chart, two financial years of vouchers, and the customer and
// supplier ledgers whose invoices and payments produced the 1510/2440 vouchers.

export interface SeriesDef {
  code: string;
  description: string;
  manual: boolean;
}

export const SERIES: readonly SeriesDef[] = [
  { code: "A", description: "Redovisning", manual: true },
  { code: "B", description: "Bokslut", manual: true },
  { code: "F", description: "Kundfakturor", manual: false },
  { code: "I", description: "Kundinbetalningar", manual: false },
  { code: "K", description: "Kortköp och kassa", manual: true },
  { code: "L", description: "Leverantörsfakturor", manual: false },
  { code: "S", description: "Löner", manual: true },
  { code: "U", description: "Leverantörsutbetalningar", manual: false },
];
export const S = { A: 0, B: 1, F: 2, I: 3, K: 4, L: 5, S: 6, U: 7 } as const;

export const CURRENCIES = ["SEK", "EUR"] as const;

/** Customer invoices and supplier invoices share one shape. Amounts in the currency's minor unit. */
export function newDocTable() {
  return new Columns({
    date: Int32Array,
    due: Int32Array,
    party: Uint16Array,
    currency: Uint8Array,
    rate: Int32Array, // SEK per unit × 10^4 at the invoice date
    total: Float64Array, // incl. VAT, minor currency units
    vat: Float64Array,
    sekTotal: Float64Array, // öre booked on 1510/2440
    cancelled: Uint8Array,
    vYear: Int8Array, // financial year index of the voucher, -1 none
    vNumber: Int32Array,
    firstPay: Int32Array, // head of the payment list, -1 none
    lastPay: Int32Array,
    extNumber: Int32Array, // supplier's own invoice number
  });
}
export type DocTable = ReturnType<typeof newDocTable>;

export function newPaymentTable() {
  return new Columns({
    doc: Int32Array,
    date: Int32Array,
    amountCur: Float64Array,
    amountSek: Float64Array,
    rate: Int32Array,
    vYear: Int8Array,
    vNumber: Int32Array,
    next: Int32Array,
  });
}
export type PaymentTable = ReturnType<typeof newPaymentTable>;

export interface Party {
  number: number;
  name: string;
}

export interface CompanyProfile {
  tenantId: number;
  name: string;
  orgNr: string;
  address: string;
  zipCode: string;
  city: string;
  user: { id: string; name: string; email: string };
}

export class Company {
  readonly chart = new Map<number, ChartAccount>(CHART.map((a) => [a.number, a]));
  readonly series = SERIES;
  readonly invoices = newDocTable();
  readonly invoicePayments = newPaymentTable();
  readonly supplierInvoices = newDocTable();
  readonly supplierPayments = newPaymentTable();
  /** Opening balances of the first year (öre per account). */
  readonly opening = new Float64Array(ACCOUNT_SLOTS);

  constructor(
    readonly profile: CompanyProfile,
    readonly years: YearLedger[],
    readonly customers: Party[],
    readonly suppliers: Party[],
    readonly costCenters: [string, string][],
    readonly projects: [string, string][],
  ) {}

  /** Adds accounts to the chart in number order, which the SIE #KONTO records and the REST list follow. */
  addAccounts(accounts: ChartAccount[]): void {
    const all = [...this.chart.values(), ...accounts].sort((a, b) => a.number - b.number);
    this.chart.clear();
    for (const a of all) this.chart.set(a.number, a);
  }

  yearIndexOfDay(day: number): number {
    return this.years.findIndex((y) => day >= y.fromDay && day <= y.toDay);
  }

  /** Opening balance: the first year's from the start sheet, later years carry the previous closing. */
  ib(yearIdx: number, account: number): number {
    if (!isBalanceAccount(account)) return 0;
    let b = this.opening[account];
    for (let i = 0; i < yearIdx; i++) b += this.years[i].movement[account];
    return b;
  }

  /** Closing balance for balance accounts, the year's result for income and cost accounts. */
  ub(yearIdx: number, account: number): number {
    return this.ib(yearIdx, account) + this.years[yearIdx].movement[account];
  }

  seriesIndex(code: string): number {
    return this.series.findIndex((s) => s.code === code);
  }

  addPayment(table: PaymentTable, docs: DocTable, doc: number, date: number, amountCur: number, amountSek: number, rate: number, vYear: number, vNumber: number): number {
    const p = table.push();
    const c = table.c;
    c.doc[p] = doc;
    c.date[p] = date;
    c.amountCur[p] = amountCur;
    c.amountSek[p] = amountSek;
    c.rate[p] = rate;
    c.vYear[p] = vYear;
    c.vNumber[p] = vNumber;
    c.next[p] = -1;
    const d = docs.c;
    if (d.firstPay[doc] < 0) d.firstPay[doc] = p;
    else c.next[d.lastPay[doc]] = p;
    d.lastPay[doc] = p;
    return p;
  }

  /** Paid so far (minor currency units) by payments dated on or before `day`. */
  paidBy(docs: DocTable, table: PaymentTable, doc: number, day: number): { paid: number; last: number } {
    let paid = 0;
    let last = -1;
    for (let p = docs.c.firstPay[doc]; p >= 0; p = table.c.next[p]) {
      if (table.c.date[p] <= day) {
        paid += table.c.amountCur[p];
        last = table.c.date[p];
      }
    }
    return { paid, last };
  }
}
