import type { Company } from "./company";
import { isoDate } from "./dates";
import { Kind, type YearLedger } from "./ledger";

// Texts of generated vouchers are derived from (kind, ref) on demand instead of stored per voucher.
const MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];
const CARD = ["Clas Ohlson", "Representation lunch", "Tidskrifter", "Programvara", "Parkering", "Kontorsmaterial"];

function period(ym: number): string {
  return `${MONTHS[(ym % 100) - 1]} ${Math.floor(ym / 100)}`;
}

export function voucherDescription(co: Company, y: YearLedger, v: number): string {
  const kind = y.v.c.kind[v];
  const ref = y.v.c.ref[v];
  switch (kind) {
    case Kind.CustomerInvoice:
      return `Kundfaktura ${ref} - ${co.customers[co.invoices.c.party[ref - 1]].name}`;
    case Kind.CustomerPayment:
      return `Inbetalning kundfaktura ${co.invoicePayments.c.doc[ref - 1] + 1}`;
    case Kind.SupplierInvoice:
      return `Leverantörsfaktura ${ref} - ${co.suppliers[co.supplierInvoices.c.party[ref - 1]].name}`;
    case Kind.SupplierPayment:
      return `Utbetalning leverantörsfaktura ${co.supplierPayments.c.doc[ref - 1] + 1}`;
    case Kind.Salary:
      return `Lön ${period(ref)}`;
    case Kind.Vat:
      return `Momsredovisning ${period(ref - 1 - (ref % 100 === 1 ? 88 : 0))}`;
    case Kind.TaxReturn:
      return `Skattedeklaration ${period(ref)}`;
    case Kind.TaxAccountDeposit:
      return "Insättning skattekonto";
    case Kind.Depreciation:
      return `Avskrivning inventarier ${period(ref)}`;
    case Kind.BankFee:
      return `Bankavgifter ${period(ref)}`;
    case Kind.YearResult:
      return "Årets resultat";
    case Kind.Disposition:
      return "Vinstdisposition enligt årsstämmans beslut";
    case Kind.CardPurchase:
      return `Kortköp ${CARD[ref] ?? ""}`.trim();
    case Kind.Interest:
      return ref ? "Ränteintäkt bankkonto" : "Räntekostnad lån";
    default:
      return y.posted.get(v)?.description ?? "";
  }
}

export function voucherComments(y: YearLedger, v: number): string | null {
  return y.posted.get(v)?.comments ?? null;
}

/** Fortnox ReferenceType/ReferenceNumber of a voucher. */
export function voucherReference(y: YearLedger, v: number): { type: string; number: string } {
  const ref = String(y.v.c.ref[v]);
  switch (y.v.c.kind[v]) {
    case Kind.CustomerInvoice:
      return { type: "INVOICE", number: ref };
    case Kind.CustomerPayment:
      return { type: "INVOICEPAYMENT", number: ref };
    case Kind.SupplierInvoice:
      return { type: "SUPPLIERINVOICE", number: ref };
    case Kind.SupplierPayment:
      return { type: "SUPPLIERPAYMENT", number: ref };
    default:
      return { type: "MANUAL", number: "" };
  }
}

export function voucherDate(y: YearLedger, v: number): string {
  return isoDate(y.v.c.date[v]);
}
