import type { FinancialYear, InvoicePayment, SupplierInvoicePayment } from "@/server/fortnox/schemas";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { FortnoxApiError } from "@/server/fortnox/errors";
import { DEFAULT_LIMIT, DEFAULT_WINDOW_MS } from "@/server/fortnox/limiter";
import type { SieVoucher } from "@/server/sie";
import { EMPTY_OBJECTS } from "@/server/sie";
import { badRequest } from "@/server/errors";
import { customerLedgerAtDate, supplierLedgerAtDate, type LedgerAtDate } from "./ledger-at-date";
import type { ImportWriter, OpenItemInput } from "./writer";

// What only the Fortnox source does: find the financial year, fall back to REST when SIE is not available to
// the tenant, and rebuild the customer and supplier ledgers as of the closing date.

/** The Fortnox financial year with exactly the project's dates; none or a different split is the user's to fix. */
export function matchFinancialYear(years: FinancialYear[], start: string, end: string): FinancialYear {
  const exact = years.filter((y) => y.fromDate === start && y.toDate === end);
  if (exact.length === 1) return exact[0];
  const overlapping = years.filter((y) => y.fromDate <= end && y.toDate >= start);
  if (!overlapping.length) throw badRequest("fortnoxYearMissing", { start, end });
  throw badRequest("fortnoxYearMismatch", { start, end, years: overlapping.map((y) => `${y.fromDate} – ${y.toDate}`).join(", ") });
}

/** /3/sie answers with a scope or licence error, or not at all, for tenants without the SIE module. */
export function sieUnavailable(err: unknown): boolean {
  return (
    err instanceof FortnoxApiError &&
    (err.kind === "missing_scope" || err.kind === "no_licence_for_scope" || err.kind === "not_found" || err.status === 404)
  );
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export interface LedgerFetchProgress {
  done: number;
  total: number;
}

/**
 * The ledgers at the closing date D. Fortnox can only say what is open today (docs/fortnox-api.md §3), so:
 * - the candidates are the invoices dated on or before D that are unpaid today or were fully paid after D;
 * - what was open at D = what is open today + what was paid after D. Payments dated after D were registered after
 *   D (or shortly before, when prepared ahead), so one window of payments modified since D − 14 days covers them:
 *   a few pages, however old the open invoices are.
 * - A foreign-currency invoice paid partly before D needs its own payments (each was booked to 1510/2440 rounded
 *   on its own): fetched per invoice; there are few.
 */
export async function fetchLedgersAtDate(api: FortnoxApi, closingDate: string, onProgress: (p: LedgerFetchProgress) => void = () => {}) {
  const after = addDays(closingDate, 1);
  let done = 0;
  let total = 6;
  const tick = () => onProgress({ done: ++done, total });
  const dedupe = <T>(list: T[], key: (t: T) => string) => [...new Map(list.map((x) => [key(x), x])).values()];
  const since = `${addDays(closingDate, -14)} 00:00`;

  const [openCustomer, laterPaidCustomer, openSupplier, laterPaidSupplier, customerPayments, supplierPayments] = await Promise.all([
    api.listInvoices({ filter: "unpaid", todate: closingDate }).finally(tick),
    api.listInvoices({ todate: closingDate, fromfinalpaydate: after }).finally(tick),
    api.listSupplierInvoices({ filter: "unpaid", todate: closingDate }).finally(tick),
    api.listSupplierInvoices({ todate: closingDate, fromfinalpaydate: after }).finally(tick),
    api.listInvoicePayments({ lastmodified: since }).finally(tick),
    api.listSupplierInvoicePayments({ lastmodified: since }).finally(tick),
  ]);
  const invoices = dedupe([...openCustomer, ...laterPaidCustomer], (i) => i.documentNumber.trim());
  const supplierInvoices = dedupe([...openSupplier, ...laterPaidSupplier], (i) => i.givenNumber.trim());

  type Pay = InvoicePayment | SupplierInvoicePayment;
  type Doc = { key: string; currency: string; totalMinor: number; balanceMinor: number; invoiceDate: string };
  const paymentsAtDate = async (docs: Doc[], later: Pay[], fetchAll: (invoiceNumber: string) => Promise<Pay[]>): Promise<Pay[]> => {
    const laterByInvoice = new Map<string, Pay[]>();
    for (const p of later) {
      if (p.paymentDate <= closingDate) continue;
      const k = p.invoiceNumber.trim();
      laterByInvoice.set(k, [...(laterByInvoice.get(k) ?? []), p]);
    }
    const out: Pay[] = [];
    for (const d of docs) {
      if (d.balanceMinor === d.totalMinor) continue; // never paid: open at D in full
      const later = laterByInvoice.get(d.key) ?? [];
      if (d.currency !== "SEK") {
        // Paid in full after D (the usual case): nothing was paid by D, so it was open in full. Anything else was
        // paid partly before D: fetch its payments, each of which was booked on its own.
        const laterCurrency = later.map((p) => (p.currency === d.currency ? p.amountCurrencyMinor : null));
        const known = laterCurrency.every((x) => x !== null);
        if (known && d.totalMinor - d.balanceMinor - laterCurrency.reduce((s, x) => s + (x ?? 0), 0) === 0) continue;
        total++;
        out.push(...(await fetchAll(d.key).finally(tick)));
        continue;
      }
      // In SEK every amount is exact öre: the part paid by D is what is paid now less what came after D.
      const paidLater = later.reduce((s, p) => s + p.amountOre, 0);
      const paidByDate = d.totalMinor - d.balanceMinor - paidLater;
      if (paidByDate !== 0) {
        out.push({
          number: null, invoiceNumber: d.key, amountOre: paidByDate, amountCurrencyMinor: paidByDate, currency: "SEK",
          currencyRate: 1, currencyUnit: 1, paymentDate: closingDate, booked: true,
        });
      }
    }
    return out;
  };
  const customer = customerLedgerAtDate(
    invoices,
    (await paymentsAtDate(
      invoices.map((i) => ({ key: i.documentNumber.trim(), currency: i.currency, totalMinor: i.totalMinor, balanceMinor: i.balanceMinor, invoiceDate: i.invoiceDate })),
      customerPayments,
      (n) => api.listInvoicePayments({ invoicenumber: n }),
    )) as InvoicePayment[],
    closingDate,
  );
  const supplier = supplierLedgerAtDate(
    supplierInvoices,
    // The invoicenumber filter of supplierinvoicepayments is UNCONFIRMED in Fortnox's documentation.
    (await paymentsAtDate(
      supplierInvoices.map((i) => ({ key: i.givenNumber.trim(), currency: i.currency, totalMinor: i.totalMinor, balanceMinor: i.balanceMinor, invoiceDate: i.invoiceDate })),
      supplierPayments,
      (n) => api.listSupplierInvoicePayments({ invoicenumber: n }),
    )) as SupplierInvoicePayment[],
    closingDate,
  );
  return { customer, supplier };
}

export function openItemsOf(ledger: LedgerAtDate): OpenItemInput[] {
  return ledger.items.map((i) => ({ side: ledger.side, ...i }));
}

/** Seconds the REST fallback needs at Fortnox's rate limit: one request per voucher. */
export function restFallbackSeconds(requests: number): number {
  return Math.ceil((requests * DEFAULT_WINDOW_MS) / DEFAULT_LIMIT / 1000);
}

export interface RestFallbackResult {
  accounts: { number: string; name: string; active: boolean; sru: string | null; ibOre: number }[];
  vouchers: number;
}

/**
 * Without SIE: accounts (with IB) and vouchers over REST, one request per voucher for its rows. Honest but slow
 * (about 5 vouchers a second at the rate limit); the progress bar says how long.
 */
export async function readRestInto(
  api: FortnoxApi,
  year: FinancialYear,
  writer: ImportWriter,
  onProgress: (p: { done: number; total: number; etaSeconds: number }) => void,
): Promise<RestFallbackResult> {
  const accounts = await api.listAccounts(year.id);
  const heads = await api.listVouchers(year.id);
  heads.sort((a, b) => a.series.localeCompare(b.series) || a.number - b.number);
  let done = 0;
  for (const head of heads) {
    const v = await api.getVoucher(head.series, head.number, year.id);
    let line = 0;
    const voucher: SieVoucher = {
      series: v.series, number: String(v.number), date: v.transactionDate, text: v.description, regDate: null, sign: "", line: 0,
      rows: [], corrections: [],
    };
    for (const r of v.rows) {
      const objects = [
        ...(r.costCenter ? [{ dim: "1", object: r.costCenter }] : []),
        ...(r.project ? [{ dim: "6", object: r.project }] : []),
      ];
      const row = {
        account: String(r.account), objects: objects.length ? objects : EMPTY_OBJECTS, amount: r.amountOre, date: v.transactionDate,
        text: r.transactionInformation || r.description, quantity: r.quantity, sign: "", line: ++line,
      };
      // A struck row is audit trail only, like SIE's #BTRANS.
      if (r.removed) voucher.corrections.push({ ...row, kind: "removed" });
      else voucher.rows.push(row);
    }
    await writer.addVoucher(voucher);
    done++;
    if (done % 10 === 0 || done === heads.length) {
      onProgress({ done, total: heads.length, etaSeconds: restFallbackSeconds(heads.length - done) });
    }
  }
  await writer.flush();
  return {
    accounts: accounts.map((a) => ({
      number: String(a.number), name: a.description, active: a.active, sru: a.sru === null ? null : String(a.sru), ibOre: a.balanceBroughtForwardOre,
    })),
    vouchers: heads.length,
  };
}
