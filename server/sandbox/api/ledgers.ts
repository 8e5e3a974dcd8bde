import { Hono } from "hono";
import { CURRENCIES, type Company, type DocTable, type PaymentTable } from "../data/company";
import { isoDate } from "../data/dates";
import type { SandboxState } from "../state";
import type { Guard } from "./bookkeeping";
import { type ApiContext, type ApiEnv, ApiError, apiUrl, badParam, dateParam, kr, krString, lastModifiedParam, listResponse, sortOrder, yearParam } from "./http";

// Customer and supplier ledgers: invoices, invoicepayments, supplierinvoices, supplierinvoicepayments. Amounts of
// invoices are in the invoice's currency (minor units stored); payment Amount is SEK, AmountCurrency (single
// payments only) the currency.

const rate = (r: number) => r / 10_000;
const NOON = 12 * 3_600_000;

export function ledgerRoutes(state: SandboxState, basePath: string, guard: Guard): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const url = (c: ApiContext, path: string) => apiUrl(c, basePath, path);
  const today = () => state.clock.today();
  // The payments the API knows of: every one of the kept years (their vouchers are in the books, even when dated
  // ahead of today because the current year is generated whole), and the later ones once the clock has passed them.
  // Balance, FinalPayDate and the payment lists all use this one horizon, so they agree with each other.
  const known = (co: Company) => Math.max(today(), co.years[co.years.length - 1].toDay);

  /** Balance after the known payments, and the date it was fully paid (FinalPayDate). */
  function status(co: Company, docs: DocTable, pays: PaymentTable, i: number) {
    const { paid, last } = co.paidBy(docs, pays, i, known(co));
    const balance = docs.c.cancelled[i] ? 0 : docs.c.total[i] - paid;
    return { balance, finalPayDate: balance === 0 && last >= 0 ? isoDate(last) : null, last };
  }
  const lastModified = (co: Company, docs: DocTable, pays: PaymentTable, i: number) => {
    let d = docs.c.date[i];
    const horizon = known(co);
    for (let p = docs.c.firstPay[i]; p >= 0; p = pays.c.next[p]) if (pays.c.date[p] <= horizon) d = Math.max(d, pays.c.date[p]);
    return d * 86_400_000 + NOON;
  };
  const fmtModified = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

  /** Indexes of documents matching the common filters, sorted. */
  function selectDocs(c: ApiContext, co: Company, docs: DocTable, pays: PaymentTable, kind: "customer" | "supplier") {
    const filter = c.req.query("filter");
    const allowed = kind === "customer" ? ["cancelled", "fullypaid", "unpaid", "unpaidoverdue", "unbooked"] : ["cancelled", "fullypaid", "unpaid", "unpaidoverdue", "unbooked", "pendingpayment", "authorizepending"];
    if (filter !== undefined && !allowed.includes(filter)) throw badParam("filter");
    // Fortnox documents fromdate/todate (and the final-pay-date pair) for invoices, not for supplier invoices:
    // unless told otherwise, the supplier list ignores them.
    const dates = kind === "customer" || state.options.supplierInvoiceDateFilter === "honour";
    const from = dates ? dateParam(c, "fromdate") : null;
    const to = dates ? dateParam(c, "todate") : null;
    const fromFinal = dates ? dateParam(c, "fromfinalpaydate") : null;
    const toFinal = dates ? dateParam(c, "tofinalpaydate") : null;
    const modified = lastModifiedParam(c);
    const partyParam = c.req.query(kind === "customer" ? "customernumber" : "suppliernumber");
    const hasYear = c.req.query("financialyear") || c.req.query("financialyeardate");
    const year = hasYear ? co.years[yearParam(c, state)] : null;
    const parties = kind === "customer" ? co.customers : co.suppliers;
    const t = today();
    const out: number[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs.c.date[i];
      if (from !== null && d < from) continue;
      if (to !== null && d > to) continue;
      if (year && (d < year.fromDay || d > year.toDay)) continue;
      if (partyParam !== undefined && String(parties[docs.c.party[i]].number) !== partyParam) continue;
      const cancelled = docs.c.cancelled[i] === 1;
      if (filter || fromFinal !== null || toFinal !== null) {
        const st = status(co, docs, pays, i);
        if (filter === "cancelled" && !cancelled) continue;
        if (filter === "fullypaid" && (cancelled || st.balance !== 0)) continue;
        if ((filter === "unpaid" || filter === "pendingpayment") && (cancelled || st.balance === 0)) continue;
        if (filter === "unpaidoverdue" && (cancelled || st.balance === 0 || docs.c.due[i] >= t)) continue;
        if (filter === "unbooked" || filter === "authorizepending") continue; // everything generated is booked and authorised
        const final = st.finalPayDate ? st.last : null;
        if (fromFinal !== null && (final === null || final < fromFinal)) continue;
        if (toFinal !== null && (final === null || final > toFinal)) continue;
      }
      if (modified !== null && lastModified(co, docs, pays, i) < modified) continue;
      out.push(i);
    }
    const sortby = c.req.query("sortby");
    const dir = sortOrder(c);
    if (sortby === "invoicedate") out.sort((a, b) => dir * (docs.c.date[a] - docs.c.date[b] || a - b));
    else if (sortby === "customername" || sortby === "suppliername") out.sort((a, b) => dir * parties[docs.c.party[a]].name.localeCompare(parties[docs.c.party[b]].name, "sv"));
    else if (sortby === "duedate") out.sort((a, b) => dir * (docs.c.due[a] - docs.c.due[b] || a - b));
    else if (dir === -1) out.reverse();
    return out;
  }

  const voucherRef = (co: Company, docs: DocTable | PaymentTable, i: number, series: string) =>
    docs.c.vYear[i] >= 0
      ? { VoucherNumber: docs.c.vNumber[i], VoucherSeries: series, VoucherYear: co.years[docs.c.vYear[i]].id }
      : { VoucherNumber: null, VoucherSeries: null, VoucherYear: null };

  const invoiceJson = (c: ApiContext, co: Company, i: number, single: boolean) => {
    const d = co.invoices;
    const st = status(co, d, co.invoicePayments, i);
    const customer = co.customers[d.c.party[i]];
    const json: Record<string, unknown> = {
      "@url": url(c, `invoices/${i + 1}`), Balance: kr(st.balance), Booked: !d.c.cancelled[i], Cancelled: d.c.cancelled[i] === 1,
      CostCenter: "", Currency: CURRENCIES[d.c.currency[i]], CurrencyRate: rate(d.c.rate[i]), CurrencyUnit: 1,
      CustomerName: customer.name, CustomerNumber: String(customer.number), DocumentNumber: String(i + 1),
      DueDate: isoDate(d.c.due[i]), ExternalInvoiceReference1: "", ExternalInvoiceReference2: "", FinalPayDate: st.finalPayDate,
      InvoiceDate: isoDate(d.c.date[i]), InvoiceType: "INVOICE", NoxFinans: false, OCR: String(100_000 + i + 1),
      Project: "", Sent: true, TermsOfPayment: "30", Total: kr(d.c.total[i]), WayOfDelivery: "EMAIL",
      ...voucherRef(co, d, i, "F"),
    };
    if (single) {
      Object.assign(json, {
        Net: kr(d.c.total[i] - d.c.vat[i]), TotalVAT: kr(d.c.vat[i]), VATIncluded: false, YourOrderNumber: "",
        LastModified: fmtModified(lastModified(co, d, co.invoicePayments, i)),
      });
    }
    return json;
  };

  app.get("/invoices", (c) => {
    guard(c, "invoices");
    const co = c.get("tenant").company;
    const idx = selectDocs(c, co, co.invoices, co.invoicePayments, "customer");
    return listResponse(c, "Invoices", idx, (i) => invoiceJson(c, co, i, false));
  });
  app.get("/invoices/:n", (c) => {
    guard(c, "invoices");
    const co = c.get("tenant").company;
    const i = Number(c.req.param("n")) - 1;
    if (!(i >= 0 && i < co.invoices.length)) throw new ApiError(404, 2000434, "Kan inte hitta fakturan.");
    return c.json({ Invoice: invoiceJson(c, co, i, true) });
  });

  function selectPayments(c: ApiContext, co: Company, pays: PaymentTable, supplier: boolean) {
    // invoicenumber is documented for invoice payments only; supplier payments ignore it unless told otherwise.
    const invoiceNumber = !supplier || state.options.supplierPaymentInvoiceNumberFilter === "honour" ? c.req.query("invoicenumber") : undefined;
    const modified = lastModifiedParam(c);
    const from = dateParam(c, "fromdate");
    const to = dateParam(c, "todate");
    const horizon = known(co);
    const out: number[] = [];
    for (let p = 0; p < pays.length; p++) {
      const d = pays.c.date[p];
      if (d > horizon) continue; // not made yet: Fortnox cannot list them, and Balance does not count them
      if (invoiceNumber !== undefined && String(pays.c.doc[p] + 1) !== invoiceNumber) continue;
      if (modified !== null && d * 86_400_000 + NOON < modified) continue;
      if (from !== null && d < from) continue;
      if (to !== null && d > to) continue;
      out.push(p);
    }
    const sortby = c.req.query("sortby");
    const dir = sortOrder(c);
    if (sortby === "paymentdate") out.sort((a, b) => dir * (pays.c.date[a] - pays.c.date[b] || a - b));
    else if (dir === -1) out.reverse();
    return out;
  }

  // A list item is Fortnox's InvoicePaymentListItem / SupplierInvoicePaymentListItem (OpenAPI file): no
  // AmountCurrency and no voucher reference; only the single resource carries them.
  const paymentJson = (c: ApiContext, co: Company, p: number, supplier: boolean, single: boolean) => {
    const pays = supplier ? co.supplierPayments : co.invoicePayments;
    const docs = supplier ? co.supplierInvoices : co.invoices;
    const doc = pays.c.doc[p];
    const json: Record<string, unknown> = {
      "@url": url(c, `${supplier ? "supplierinvoicepayments" : "invoicepayments"}/${p + 1}`),
      Amount: kr(pays.c.amountSek[p]), Booked: pays.c.vYear[p] >= 0,
      Currency: CURRENCIES[docs.c.currency[doc]], CurrencyRate: rate(pays.c.rate[p]), CurrencyUnit: 1,
      // Fortnox sends the supplier payment's InvoiceNumber as a string, the customer payment's as a number, and the
      // other way round for Number: the customer payment's is a string, in the list and singly (OpenAPI file).
      InvoiceNumber: supplier ? String(doc + 1) : doc + 1,
      Number: supplier ? p + 1 : String(p + 1), PaymentDate: isoDate(pays.c.date[p]), Source: "manual",
    };
    if (single) Object.assign(json, { AmountCurrency: kr(pays.c.amountCur[p]), ...voucherRef(co, pays, p, supplier ? "U" : "I") });
    else json.WriteOffExist = false;
    return json;
  };

  app.get("/invoicepayments", (c) => {
    guard(c, "invoicepayments");
    const co = c.get("tenant").company;
    return listResponse(c, "InvoicePayments", selectPayments(c, co, co.invoicePayments, false), (p) => paymentJson(c, co, p, false, false));
  });
  app.get("/invoicepayments/:n", (c) => {
    guard(c, "invoicepayments");
    const co = c.get("tenant").company;
    const p = Number(c.req.param("n")) - 1;
    if (!(p >= 0 && p < co.invoicePayments.length) || co.invoicePayments.c.date[p] > known(co)) throw new ApiError(404, 2000434, "Kan inte hitta betalningen.");
    return c.json({ InvoicePayment: paymentJson(c, co, p, false, true) });
  });

  const supplierInvoiceJson = (c: ApiContext, co: Company, i: number, single: boolean) => {
    const d = co.supplierInvoices;
    const st = status(co, d, co.supplierPayments, i);
    const supplier = co.suppliers[d.c.party[i]];
    const ref = voucherRef(co, d, i, "L");
    const json: Record<string, unknown> = {
      "@url": url(c, `supplierinvoices/${i + 1}`), AuthorizerName: null, Balance: krString(st.balance), Booked: !d.c.cancelled[i],
      CostCenter: null, Credit: false, Currency: CURRENCIES[d.c.currency[i]], CurrencyRate: String(rate(d.c.rate[i])), CurrencyUnit: 1,
      DueDate: isoDate(d.c.due[i]), FinalPayDate: st.finalPayDate, GivenNumber: String(i + 1), InvoiceDate: isoDate(d.c.date[i]),
      InvoiceNumber: String(d.c.extNumber[i]), Project: null, SupplierName: supplier.name, SupplierNumber: String(supplier.number),
      Total: krString(d.c.total[i]),
      Vouchers: ref.VoucherNumber === null ? [] : [{ Number: ref.VoucherNumber, ReferenceType: "SUPPLIERINVOICE", Series: ref.VoucherSeries, Year: ref.VoucherYear }],
    };
    // The list calls it Cancel, the single resource Cancelled; OCR and the voucher's own fields are only on the single
    // resource (fortnox_SupplierInvoiceListItem vs fortnox_SupplierInvoice).
    if (single) {
      Object.assign(json, { ...ref, OCR: String(d.c.extNumber[i]), Cancelled: d.c.cancelled[i] === 1, VAT: krString(d.c.vat[i]) });
      json.VATType = d.c.currency[i] === 1 ? "EUINTERNAL" : "NORMAL";
    } else json.Cancel = d.c.cancelled[i] === 1;
    return json;
  };

  app.get("/supplierinvoices", (c) => {
    guard(c, "supplierinvoices");
    const co = c.get("tenant").company;
    const idx = selectDocs(c, co, co.supplierInvoices, co.supplierPayments, "supplier");
    return listResponse(c, "SupplierInvoices", idx, (i) => supplierInvoiceJson(c, co, i, false));
  });
  app.get("/supplierinvoices/:n", (c) => {
    guard(c, "supplierinvoices");
    const co = c.get("tenant").company;
    const i = Number(c.req.param("n")) - 1;
    if (!(i >= 0 && i < co.supplierInvoices.length)) throw new ApiError(404, 2000434, "Kan inte hitta leverantörsfakturan.");
    return c.json({ SupplierInvoice: supplierInvoiceJson(c, co, i, true) });
  });

  app.get("/supplierinvoicepayments", (c) => {
    guard(c, "supplierinvoicepayments");
    const co = c.get("tenant").company;
    return listResponse(c, "SupplierInvoicePayments", selectPayments(c, co, co.supplierPayments, true), (p) => paymentJson(c, co, p, true, false));
  });
  app.get("/supplierinvoicepayments/:n", (c) => {
    guard(c, "supplierinvoicepayments");
    const co = c.get("tenant").company;
    const p = Number(c.req.param("n")) - 1;
    if (!(p >= 0 && p < co.supplierPayments.length) || co.supplierPayments.c.date[p] > known(co)) throw new ApiError(404, 2000434, "Kan inte hitta betalningen.");
    return c.json({ SupplierInvoicePayment: paymentJson(c, co, p, true, true) });
  });

  return app;
}
