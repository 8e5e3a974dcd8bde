// Customer and supplier ledgers (kund-/leverantörsreskontra) as they stood at a closing date.
// Fortnox's filter=unpaid is the state today; no endpoint answers "open at a past date", so we rebuild it
// (docs/fortnox-api.md §3): invoices dated on or before the closing date, not cancelled, minus payments dated
// on or before it. Pure: no I/O.
//
// Sign convention (ledger terms, as in the trial balance): debit positive, credit negative.
//   Customer invoice: positive (a receivable on 1510); customer credit note: negative.
//   Supplier invoice: negative (a liability on 2440); supplier credit note: positive.
//   So `sumOre` compares directly to the account's UB: 1510 positive, 2440 negative.
//   A UI showing "owed to suppliers" displays -openOre.
//
// Currency: a foreign-currency item keeps its currency and the invoice's rate. Its SEK value is the
// booked value, amount × invoice rate / unit — what sits on 1510/2440. A payment reduces the receivable
// or liability at the invoice's rate too (the difference against the payment's own rate was booked to
// exchange gains/losses, 3960/7960, not to 1510/2440). Each of those bookings is rounded to öre on its
// own, so open SEK = the invoice's SEK minus each payment's SEK, all at the invoice rate (rounding the open
// currency amount once could be 1 öre off 1510). Revaluation of open items at the closing-date rate is a
// closing adjustment, not done here.

import { multiplyByRate } from "@/server/fortnox/money";
import type { Invoice, InvoicePayment, SupplierInvoice, SupplierInvoicePayment } from "@/server/fortnox/schemas";

export type LedgerSide = "customer" | "supplier";

export interface OpenItem {
  counterpartyNumber: string;
  counterpartyName: string;
  /** The number payments refer to: DocumentNumber (customer) or GivenNumber (supplier). */
  invoiceNumber: string;
  /** Supplier invoices: the supplier's own invoice number; customer invoices: same as invoiceNumber. */
  externalInvoiceNumber: string;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  currencyRate: number;
  currencyUnit: number;
  /** SEK öre, ledger sign. */
  totalOre: number;
  /** SEK öre still open at the closing date, ledger sign. */
  openOre: number;
  /** Open amount in hundredths of the invoice currency (öre for SEK, cents for EUR), ledger sign. */
  openCurrency: number;
}

export type UnmatchedReason = "invoice_unknown" | "invoice_after_date" | "invoice_cancelled" | "invoice_unbooked";

export interface UnmatchedPayment {
  invoiceNumber: string;
  paymentDate: string;
  amountOre: number;
  reason: UnmatchedReason;
}

export interface LedgerAtDate {
  side: LedgerSide;
  closingDate: string;
  items: OpenItem[];
  /** Σ openOre: compare with the UB of 1510 (customer) or 2440 (supplier). */
  sumOre: number;
  /**
   * Payments on or before the date that reduce no listed invoice (prepayments for invoices dated later,
   * payments on cancelled invoices, invoices outside the fetched range). Not in sumOre; shown for review.
   */
  unmatchedPayments: UnmatchedPayment[];
}

export interface LedgerOptions {
  /**
   * Count only invoices and payments that are booked (bokförda) today. Off by default, following the
   * rule in docs/fortnox-api.md §3; on when reconciling against 1510/2440 in a company that leaves drafts unbooked.
   */
  bookedOnly?: boolean;
}

/** The fields both invoice kinds share, after normalisation in server/fortnox/schemas/invoices.ts. */
interface LedgerInvoice {
  number: string;
  external: string;
  counterpartyNumber: string;
  counterpartyName: string;
  invoiceDate: string;
  dueDate: string | null;
  totalMinor: number;
  currency: string;
  currencyRate: number;
  currencyUnit: number;
  cancelled: boolean;
  booked: boolean;
}

type LedgerPayment = Pick<
  InvoicePayment,
  "invoiceNumber" | "paymentDate" | "amountOre" | "amountCurrencyMinor" | "currency" | "booked"
>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The payment's effect on the invoice: in hundredths of the invoice currency, and in öre on 1510/2440. */
function reduction(inv: LedgerInvoice, p: LedgerPayment): { minor: number; ore: number } {
  if (inv.currency === "SEK") return { minor: p.amountOre, ore: p.amountOre };
  // AmountCurrency is the payment in the invoice's currency; its booking on 1510/2440 is that at the invoice rate.
  if (p.amountCurrencyMinor !== null && p.amountCurrencyMinor !== 0 && (p.currency === inv.currency || !p.currency)) {
    return { minor: p.amountCurrencyMinor, ore: multiplyByRate(p.amountCurrencyMinor, inv.currencyRate, inv.currencyUnit) };
  }
  // Without it, the SEK amount is taken as booked at the invoice rate, and converted back for the currency amount.
  return { minor: multiplyByRate(p.amountOre, inv.currencyUnit, inv.currencyRate), ore: p.amountOre };
}

function build(
  side: LedgerSide,
  invoices: LedgerInvoice[],
  payments: LedgerPayment[],
  closingDate: string,
  opts: LedgerOptions,
): LedgerAtDate {
  if (!DATE.test(closingDate)) throw new RangeError("closingDate must be YYYY-MM-DD");
  const byNumber = new Map<string, LedgerInvoice>();
  const excluded = new Map<string, UnmatchedReason>();
  for (const inv of invoices) {
    const key = inv.number.trim();
    if (inv.cancelled) excluded.set(key, "invoice_cancelled");
    else if (inv.invoiceDate > closingDate) excluded.set(key, "invoice_after_date");
    else if (opts.bookedOnly && !inv.booked) excluded.set(key, "invoice_unbooked");
    else byNumber.set(key, inv);
  }

  const paid = new Map<string, LedgerPayment[]>();
  const unmatchedPayments: UnmatchedPayment[] = [];
  for (const p of payments) {
    if (p.paymentDate > closingDate) continue; // paid after the date: still open at the date
    if (opts.bookedOnly && !p.booked) continue;
    const key = p.invoiceNumber.trim();
    if (!byNumber.has(key)) {
      unmatchedPayments.push({
        invoiceNumber: key,
        paymentDate: p.paymentDate,
        amountOre: p.amountOre,
        reason: excluded.get(key) ?? "invoice_unknown",
      });
      continue;
    }
    const list = paid.get(key) ?? [];
    list.push(p);
    paid.set(key, list);
  }

  // Invoices are in display sign (positive = owed); the ledger flips the supplier side to credit.
  const ledgerSign = side === "customer" ? 1 : -1;
  const items: OpenItem[] = [];
  for (const [key, inv] of byNumber) {
    const ps = paid.get(key) ?? [];
    let reductions = ps.map((p) => reduction(inv, p));
    // Credit notes: Fortnox records the refund as a negative payment; if a source sends magnitudes
    // instead (all positive against a negative total), read them as magnitudes.
    if (inv.totalMinor < 0 && reductions.length > 0 && reductions.every((r) => r.minor > 0)) {
      reductions = reductions.map((r) => ({ minor: -r.minor, ore: -r.ore }));
    }
    const openMinor = inv.totalMinor - reductions.reduce((a, r) => a + r.minor, 0);
    if (openMinor === 0) continue;
    const sek = (minor: number) => (inv.currency === "SEK" ? minor : multiplyByRate(minor, inv.currencyRate, inv.currencyUnit));
    const openOre = sek(inv.totalMinor) - reductions.reduce((a, r) => a + r.ore, 0);
    items.push({
      counterpartyNumber: inv.counterpartyNumber,
      counterpartyName: inv.counterpartyName,
      invoiceNumber: key,
      externalInvoiceNumber: inv.external,
      invoiceDate: inv.invoiceDate,
      dueDate: inv.dueDate,
      currency: inv.currency,
      currencyRate: inv.currencyRate,
      currencyUnit: inv.currencyUnit,
      totalOre: ledgerSign * sek(inv.totalMinor) || 0,
      openOre: ledgerSign * openOre || 0,
      openCurrency: ledgerSign * openMinor || 0,
    });
  }
  const cmp = (a: string, b: string) => a.localeCompare(b, "sv", { numeric: true });
  items.sort(
    (a, b) =>
      cmp(a.counterpartyNumber, b.counterpartyNumber) || cmp(a.invoiceDate, b.invoiceDate) || cmp(a.invoiceNumber, b.invoiceNumber),
  );
  return {
    side,
    closingDate,
    items,
    sumOre: items.reduce((s, i) => s + i.openOre, 0),
    unmatchedPayments,
  };
}

type CustomerInvoiceIn = Pick<
  Invoice,
  | "documentNumber"
  | "customerNumber"
  | "customerName"
  | "invoiceDate"
  | "dueDate"
  | "totalMinor"
  | "currency"
  | "currencyRate"
  | "currencyUnit"
  | "cancelled"
  | "booked"
>;

type SupplierInvoiceIn = Pick<
  SupplierInvoice,
  | "givenNumber"
  | "invoiceNumber"
  | "supplierNumber"
  | "supplierName"
  | "invoiceDate"
  | "dueDate"
  | "totalMinor"
  | "currency"
  | "currencyRate"
  | "currencyUnit"
  | "cancelled"
  | "booked"
>;

/** Open customer invoices at `closingDate` (YYYY-MM-DD); sumOre compares to 1510's UB. */
export function customerLedgerAtDate(
  invoices: CustomerInvoiceIn[],
  payments: LedgerPayment[],
  closingDate: string,
  opts: LedgerOptions = {},
): LedgerAtDate {
  return build(
    "customer",
    invoices.map((i) => ({
      number: i.documentNumber,
      external: i.documentNumber,
      counterpartyNumber: i.customerNumber,
      counterpartyName: i.customerName,
      invoiceDate: i.invoiceDate,
      dueDate: i.dueDate,
      totalMinor: i.totalMinor,
      currency: i.currency,
      currencyRate: i.currencyRate,
      currencyUnit: i.currencyUnit,
      cancelled: i.cancelled,
      booked: i.booked,
    })),
    payments,
    closingDate,
    opts,
  );
}

/** Open supplier invoices at `closingDate`; amounts in ledger sign (negative), sumOre compares to 2440's UB. */
export function supplierLedgerAtDate(
  invoices: SupplierInvoiceIn[],
  payments: Pick<SupplierInvoicePayment, keyof LedgerPayment>[],
  closingDate: string,
  opts: LedgerOptions = {},
): LedgerAtDate {
  return build(
    "supplier",
    invoices.map((i) => ({
      number: i.givenNumber,
      external: i.invoiceNumber,
      counterpartyNumber: i.supplierNumber,
      counterpartyName: i.supplierName,
      invoiceDate: i.invoiceDate,
      dueDate: i.dueDate,
      totalMinor: i.totalMinor,
      currency: i.currency,
      currencyRate: i.currencyRate,
      currencyUnit: i.currencyUnit,
      cancelled: i.cancelled,
      booked: i.booked,
    })),
    payments,
    closingDate,
    opts,
  );
}
