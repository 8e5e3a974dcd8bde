import { FortnoxApiError } from "@/server/fortnox/errors";
import { multiplyByRate } from "@/server/fortnox/money";
import type { FortnoxApi } from "@/server/fortnox/resources";
import type { InvoicePayment, SupplierInvoicePayment } from "@/server/fortnox/schemas";
import { customerLedgerAtDate, supplierLedgerAtDate, type LedgerAtDate, type LedgerSide } from "./ledger-at-date";

// The customer and supplier ledgers at the closing date D, fetched from Fortnox. Fortnox only says what is open
// today (https://www.fortnox.se/developer: filter=unpaid), so:
// - the candidates are the documents dated on or before D that are unpaid today or were fully paid after D;
// - what was open at D = what is open today + what was paid after D. Payments dated after D were registered after
//   D (or shortly before, when prepared ahead), so one window of payments modified since D − 14 days covers them.
// - Payment lists carry no AmountCurrency (InvoicePaymentListItem / SupplierInvoicePaymentListItem in Fortnox's
//   OpenAPI file); only GET /invoicepayments/{n} and /supplierinvoicepayments/{n} do. A foreign-currency document
//   needs it for each payment that moves its open amount at D: those dated after D, and, when it was partly paid by
//   D, its earlier ones (each booked to 1510/2440 rounded on its own). Nothing is fetched for a fully paid document
//   settled on or before D: it is not a candidate.
// - A module the company lacks (2001101) or a scope the connection lacks (2000663) leaves that side unavailable; the
//   import goes on without it.

export type LedgerRefusal = "licence" | "scope";

export interface LedgerFetchProgress {
  done: number;
  total: number;
}

export interface LedgersAtDate {
  customer: LedgerAtDate | null;
  supplier: LedgerAtDate | null;
  /** Why a side is missing: the company lacks the module, or the connection the permission. */
  unavailable: Partial<Record<LedgerSide, LedgerRefusal>>;
  /** Single payments read for their AmountCurrency. */
  singlePayments: number;
  /** Payment lists of one document (foreign, partly paid by D), per side. */
  documentPaymentLists: Record<LedgerSide, number>;
}

/** A ledger fetch Fortnox refused for the module or the permission, rather than failed. */
export function ledgerRefusal(err: unknown): LedgerRefusal | null {
  if (!(err instanceof FortnoxApiError)) return null;
  if (err.kind === "no_licence_for_scope") return "licence";
  if (err.kind === "missing_scope") return "scope";
  return null;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

type Pay = InvoicePayment | SupplierInvoicePayment;
interface Doc {
  key: string;
  currency: string;
  totalMinor: number;
  balanceMinor: number;
  currencyRate: number;
  currencyUnit: number;
}

/** What one side needs beyond its lists: a document's payments and single payments (with AmountCurrency). */
interface PaymentSource {
  /** The payments of one document; Fortnox may ignore the filter, so the answer is filtered here too. */
  paymentsOf(invoiceNumber: string): Promise<Pay[]>;
  single(number: number): Promise<Pay>;
}

/** The payments that reduce each candidate by D, with AmountCurrency where the document is in another currency. */
async function paymentsAtDate(src: PaymentSource, docs: Doc[], later: Pay[], closingDate: string): Promise<Pay[]> {
  const laterByDoc = new Map<string, Pay[]>();
  for (const p of later) {
    if (p.paymentDate <= closingDate) continue;
    const k = p.invoiceNumber.trim();
    laterByDoc.set(k, [...(laterByDoc.get(k) ?? []), p]);
  }
  // When Fortnox ignores invoicenumber, the first such answer is every payment: kept for the other documents.
  let everything: Pay[] | null = null;
  const paymentsOf = async (key: string) => {
    if (everything) return everything.filter((p) => p.invoiceNumber.trim() === key);
    const answer = await src.paymentsOf(key);
    if (answer.some((p) => p.invoiceNumber.trim() !== key)) everything = answer;
    return answer.filter((p) => p.invoiceNumber.trim() === key);
  };
  const withCurrency = (p: Pay) => (p.number === null ? p : src.single(p.number));
  // A payment's effect in the document's currency (the SEK amount taken back at the document's rate if Fortnox
  // left AmountCurrency out), as ledger-at-date.ts counts it.
  const minorOf = (d: Doc, p: Pay) =>
    p.amountCurrencyMinor !== null && p.amountCurrencyMinor !== 0 ? p.amountCurrencyMinor : multiplyByRate(p.amountOre, d.currencyUnit, d.currencyRate);

  const out: Pay[] = [];
  for (const d of docs) {
    if (d.balanceMinor === d.totalMinor) continue; // never paid: open at D in full
    const laterPaid = laterByDoc.get(d.key) ?? [];
    if (d.currency === "SEK") {
      // Every amount is exact öre: the part paid by D is what is paid now less what came after D.
      const paidByDate = d.totalMinor - d.balanceMinor - laterPaid.reduce((s, p) => s + p.amountOre, 0);
      if (paidByDate !== 0) {
        out.push({
          number: null, invoiceNumber: d.key, amountOre: paidByDate, amountCurrencyMinor: paidByDate, currency: "SEK",
          currencyRate: 1, currencyUnit: 1, paymentDate: closingDate, booked: true,
        });
      }
      continue;
    }
    const laterSingles = [];
    for (const p of laterPaid) laterSingles.push(await withCurrency(p));
    const paidByDate = d.totalMinor - d.balanceMinor - laterSingles.reduce((s, p) => s + minorOf(d, p), 0);
    // Paid in full after D (the usual case): it was open in full at D, nothing more to read.
    if (paidByDate === 0) continue;
    for (const p of await paymentsOf(d.key)) if (p.paymentDate <= closingDate) out.push(await withCurrency(p));
  }
  return out;
}

/**
 * The ledgers at the closing date, each side on its own: a side Fortnox refuses (module or permission) comes back
 * as null with the reason, and the other side is still read. Any other failure fails the fetch.
 */
export async function fetchLedgersAtDate(
  api: FortnoxApi,
  closingDate: string,
  onProgress: (p: LedgerFetchProgress) => void = () => {},
): Promise<LedgersAtDate> {
  const after = addDays(closingDate, 1);
  const since = `${addDays(closingDate, -14)} 00:00`;
  let done = 0;
  let total = 6;
  let singles = 0;
  const documentPaymentLists: Record<LedgerSide, number> = { customer: 0, supplier: 0 };
  const tick = () => onProgress({ done: ++done, total });
  /** A request found necessary on the way: the progress bar's total grows with it. */
  const extra = <T>(request: Promise<T>) => {
    total++;
    return request.finally(tick);
  };
  const dedupe = <T>(list: T[], key: (t: T) => string) => [...new Map(list.map((x) => [key(x), x])).values()];
  const onOrBefore = (d: { invoiceDate: string }) => d.invoiceDate <= closingDate;
  const paidAfter = (d: { finalPayDate: string | null }) => d.finalPayDate !== null && d.finalPayDate > closingDate;

  const customer = async (): Promise<LedgerAtDate> => {
    const [open, laterPaid, later] = await Promise.all([
      api.listInvoices({ filter: "unpaid", todate: closingDate }).finally(tick),
      api.listInvoices({ todate: closingDate, fromfinalpaydate: after }).finally(tick),
      api.listInvoicePayments({ lastmodified: since }).finally(tick),
    ]);
    const invoices = dedupe([...open, ...laterPaid.filter(paidAfter)].filter(onOrBefore), (i) => i.documentNumber.trim());
    const payments = await paymentsAtDate(
      {
        paymentsOf: (n) => {
          documentPaymentLists.customer++;
          return extra(api.listInvoicePayments({ invoicenumber: n }));
        },
        single: (n) => {
          singles++;
          return extra(api.getInvoicePayment(n));
        },
      },
      invoices.map((i) => ({ key: i.documentNumber.trim(), ...money(i) })),
      later,
      closingDate,
    );
    return customerLedgerAtDate(invoices, payments as InvoicePayment[], closingDate);
  };

  const supplier = async (): Promise<LedgerAtDate> => {
    // Fortnox documents no date filters for supplier invoices (`filter` and `lastmodified` only): dates are checked
    // here. A document fully paid after D was modified after D − 14 days, when its last payment was registered.
    const [open, paid, later] = await Promise.all([
      api.listSupplierInvoices({ filter: "unpaid" }).finally(tick),
      api.listSupplierInvoices({ filter: "fullypaid", lastmodified: since }).finally(tick),
      api.listSupplierInvoicePayments({ lastmodified: since }).finally(tick),
    ]);
    const invoices = dedupe([...open, ...paid.filter(paidAfter)].filter(onOrBefore), (i) => i.givenNumber.trim());
    const payments = await paymentsAtDate(
      {
        paymentsOf: (n) => {
          documentPaymentLists.supplier++;
          return extra(api.listSupplierInvoicePayments({ invoicenumber: n }));
        },
        single: (n) => {
          singles++;
          return extra(api.getSupplierInvoicePayment(n));
        },
      },
      invoices.map((i) => ({ key: i.givenNumber.trim(), ...money(i) })),
      later,
      closingDate,
    );
    return supplierLedgerAtDate(invoices, payments as SupplierInvoicePayment[], closingDate);
  };

  const unavailable: LedgersAtDate["unavailable"] = {};
  const settle = async (side: LedgerSide, read: () => Promise<LedgerAtDate>) => {
    try {
      return await read();
    } catch (err) {
      const refusal = ledgerRefusal(err);
      if (!refusal) throw err;
      unavailable[side] = refusal;
      return null;
    }
  };
  const [c, s] = await Promise.all([settle("customer", customer), settle("supplier", supplier)]);
  onProgress({ done: total, total });
  return { customer: c, supplier: s, unavailable, singlePayments: singles, documentPaymentLists };
}

function money(i: { currency: string; totalMinor: number; balanceMinor: number; currencyRate: number; currencyUnit: number }) {
  return { currency: i.currency, totalMinor: i.totalMinor, balanceMinor: i.balanceMinor, currencyRate: i.currencyRate, currencyUnit: i.currencyUnit };
}
