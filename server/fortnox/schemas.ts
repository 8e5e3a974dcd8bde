// Zod schemas for the Fortnox resources we read (docs/fortnox-api.md §3). They accept what live answers
// contain — keys in any casing, numbers as strings, 0/1 for booleans, 0 or "" for "no project" — and
// normalise into camelCase domain types with integer öre. Unknown fields are dropped.

import { z } from "zod";
import { kronorToOre, parseDecimalNumber } from "./money";

// ---------------------------------------------------------------------------------------------
// Building blocks

/** z.object whose input keys are matched case-insensitively (an exact-case key wins over others). */
export function ciObject<T extends z.ZodRawShape>(shape: T) {
  const canon = new Map(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  return z.preprocess((v) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    const entries = Object.entries(v as Record<string, unknown>);
    for (const [k, val] of entries) {
      const c = canon.get(k.toLowerCase());
      if (c && c !== k && !(c in out)) out[c] = val;
    }
    for (const [k, val] of entries) if (canon.get(k.toLowerCase()) === k) out[k] = val;
    return out;
  }, z.object(shape));
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

/** Kronor (number or text) → öre; absent, null or "" → 0. */
const ore = scalar.transform((v, ctx) => {
  if (v === undefined || v === null || v === "") return 0;
  if (typeof v === "boolean") {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
  try {
    return kronorToOre(v);
  } catch {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
});

/** Like `ore` but absence stays visible as undefined (e.g. BalanceCarriedForward only on single GET). */
const oreOptional = scalar.transform((v, ctx) => {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
  try {
    return kronorToOre(v);
  } catch {
    ctx.addIssue({ code: "custom", message: "amount expected" });
    return z.NEVER;
  }
});

/** Non-money decimal (CurrencyRate, Quantity); absent → fallback. */
const decimal = (fallback: number | null) =>
  scalar.transform((v, ctx): number | null => {
    if (v === undefined || v === null || v === "") return fallback;
    if (typeof v === "boolean") {
      ctx.addIssue({ code: "custom", message: "number expected" });
      return z.NEVER;
    }
    try {
      return parseDecimalNumber(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "number expected" });
      return z.NEVER;
    }
  });

/** Rates default to 1: a SEK document has no rate worth sending. Always a positive number. */
const rate = scalar.transform((v, ctx): number => {
  if (v === undefined || v === null || v === "" || v === 0 || v === "0") return 1;
  try {
    const n = parseDecimalNumber(v as string | number);
    if (n > 0) return n;
  } catch {
    // fall through
  }
  ctx.addIssue({ code: "custom", message: "rate expected" });
  return z.NEVER;
});

/** Integer from number or digit text; absent → null. */
const intOrNull = scalar.transform((v, ctx): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "string" ? Number(v.trim()) : v;
  if (typeof n === "number" && Number.isSafeInteger(n)) return n;
  ctx.addIssue({ code: "custom", message: "integer expected" });
  return z.NEVER;
});

const int = intOrNull.refine((v) => v !== null, "integer required").transform((v) => v as number);

/** Booleans as true/false, 0/1 or their text; absent → fallback. */
const flag = (fallback = false) =>
  scalar.transform((v, ctx): boolean => {
    if (v === undefined || v === null || v === "") return fallback;
    if (typeof v === "boolean") return v;
    const s = String(v).trim().toLowerCase();
    if (s === "1" || s === "true") return true;
    if (s === "0" || s === "false") return false;
    ctx.addIssue({ code: "custom", message: "boolean expected" });
    return z.NEVER;
  });

/** Text; numbers become their text (Fortnox sends customer numbers either way); absent → "". */
const text = scalar.transform((v) => (v === undefined || v === null ? "" : String(v).trim()));

/** Text where "" / absent mean "none". */
const textOrNull = scalar.transform((v) => {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === "" ? null : s;
});

/** Project / cost centre: old answers send 0 for "none", others "". */
const dimension = scalar.transform((v) => {
  if (v === undefined || v === null || v === 0 || v === false) return null;
  const s = String(v).trim();
  return s === "" ? null : s;
});

const DATE = /^(\d{4}-\d{2}-\d{2})/;
const dateOrNull = scalar.transform((v, ctx): string | null => {
  if (v === undefined || v === null || v === "") return null;
  const m = DATE.exec(String(v));
  if (m) return m[1];
  ctx.addIssue({ code: "custom", message: "date YYYY-MM-DD expected" });
  return z.NEVER;
});
const date = dateOrNull.refine((v) => v !== null, "date required").transform((v) => v as string);

/** `{ Key: schema }` wrapper of a single resource, key matched case-insensitively. */
export function envelope<S extends z.ZodType>(key: string, schema: S) {
  return ciObject({ [key]: schema } as Record<string, S>).transform((o) => (o as Record<string, z.output<S>>)[key]);
}

// ---------------------------------------------------------------------------------------------
// Resources

export const MeSchema = ciObject({
  Id: text,
  Name: text,
  Email: text,
  SysAdmin: flag(),
  Locale: text,
}).transform((m) => ({ id: m.Id, name: m.Name, email: m.Email, sysAdmin: m.SysAdmin, locale: m.Locale }));
export type Me = z.output<typeof MeSchema>;

/** `GET /3/me`: the OpenAPI file wraps it in `MeInformation`, the .NET SDK reads `Me`; either is accepted. */
export const MeEnvelopeSchema = ciObject({ MeInformation: MeSchema.optional(), Me: MeSchema.optional() })
  .refine((o) => o.MeInformation !== undefined || o.Me !== undefined, "MeInformation or Me expected")
  .transform((o) => (o.MeInformation ?? o.Me)!);

export const CompanyInformationSchema = ciObject({
  CompanyName: text,
  OrganizationNumber: text,
  DatabaseNumber: intOrNull,
  Address: text,
  City: text,
  ZipCode: text,
  CountryCode: text,
  VisitAddress: text,
  VisitCity: text,
  VisitZipCode: text,
  VisitCountryCode: text,
}).transform((c) => ({
  companyName: c.CompanyName,
  organizationNumber: c.OrganizationNumber,
  /** Equals the `tenantId` claim of the access token. */
  databaseNumber: c.DatabaseNumber,
  address: c.Address,
  city: c.City,
  zipCode: c.ZipCode,
  countryCode: c.CountryCode,
  visitAddress: c.VisitAddress,
  visitCity: c.VisitCity,
  visitZipCode: c.VisitZipCode,
  visitCountryCode: c.VisitCountryCode,
}));
export type CompanyInformation = z.output<typeof CompanyInformationSchema>;

export const FinancialYearSchema = ciObject({
  Id: int,
  FromDate: date,
  ToDate: date,
  AccountChartType: text,
  AccountingMethod: text,
}).transform((y) => ({
  id: y.Id,
  fromDate: y.FromDate,
  toDate: y.ToDate,
  accountChartType: y.AccountChartType,
  /** "ACCRUAL" (faktureringsmetoden) or "CASH" (kontantmetoden). */
  accountingMethod: y.AccountingMethod.toUpperCase(),
}));
export type FinancialYear = z.output<typeof FinancialYearSchema>;

export const AccountSchema = ciObject({
  Number: int,
  Description: text,
  Active: flag(true),
  BalanceBroughtForward: ore,
  BalanceCarriedForward: oreOptional,
  SRU: intOrNull,
  VATCode: textOrNull,
  CostCenter: dimension,
  Project: dimension,
  Year: intOrNull,
  CostCenterSettings: scalar,
  ProjectSettings: scalar,
}).transform((a) => ({
  number: a.Number,
  description: a.Description,
  active: a.Active,
  /** IB in öre, debit positive. */
  balanceBroughtForwardOre: a.BalanceBroughtForward,
  /** UB in öre; only `GET /accounts/{n}` sends it, so undefined from lists. */
  balanceCarriedForwardOre: a.BalanceCarriedForward,
  sru: a.SRU === 0 ? null : a.SRU,
  vatCode: a.VATCode,
  costCenter: a.CostCenter,
  project: a.Project,
  year: a.Year,
  /** Whether a voucher row on the account needs, may or must not have a cost centre / project. */
  costCenterSettings: dimensionSetting(a.CostCenterSettings),
  projectSettings: dimensionSetting(a.ProjectSettings),
}));
export type Account = z.output<typeof AccountSchema>;

export type DimensionSetting = "ALLOWED" | "MANDATORY" | "NOTALLOWED";
/** Absent or unknown → ALLOWED: Fortnox still refuses on POST what we could not read. */
function dimensionSetting(v: unknown): DimensionSetting {
  const s = typeof v === "string" ? v.trim().toUpperCase() : "";
  return s === "MANDATORY" || s === "NOTALLOWED" ? s : "ALLOWED";
}

const voucherHead = {
  VoucherSeries: text,
  VoucherNumber: int,
  Year: intOrNull,
  TransactionDate: date,
  Description: text,
  Comments: text,
  ReferenceNumber: textOrNull,
  ReferenceType: textOrNull,
  ApprovalState: intOrNull,
  "@url": textOrNull,
};
type VoucherHeadIn = { [K in keyof typeof voucherHead]: z.output<(typeof voucherHead)[K]> };
const headOut = (v: VoucherHeadIn) => ({
  series: v.VoucherSeries,
  number: v.VoucherNumber,
  /** Financial year Id; series + number + year identify a voucher. */
  year: v.Year,
  transactionDate: v.TransactionDate,
  description: v.Description,
  comments: v.Comments,
  referenceNumber: v.ReferenceNumber,
  referenceType: v.ReferenceType,
  approvalState: v.ApprovalState,
  url: v["@url"],
});

export const VoucherSummarySchema = ciObject(voucherHead).transform(headOut);
export type VoucherSummary = z.output<typeof VoucherSummarySchema>;

export const VoucherRowSchema = ciObject({
  Account: int,
  Debit: ore,
  Credit: ore,
  Description: text,
  TransactionInformation: text,
  CostCenter: dimension,
  Project: dimension,
  Quantity: decimal(null),
  Removed: flag(),
}).transform((r) => ({
  account: r.Account,
  debitOre: r.Debit,
  creditOre: r.Credit,
  /** Debit positive, credit negative. */
  amountOre: r.Debit - r.Credit,
  description: r.Description,
  transactionInformation: r.TransactionInformation,
  costCenter: r.CostCenter,
  project: r.Project,
  quantity: r.Quantity,
  /** A struck row: shown in Fortnox but not part of the balance. */
  removed: r.Removed,
}));
export type VoucherRow = z.output<typeof VoucherRowSchema>;

export const VoucherSchema = ciObject({ ...voucherHead, VoucherRows: z.array(VoucherRowSchema).optional() }).transform(
  (v) => ({ ...headOut(v), rows: v.VoucherRows ?? [] }),
);
export type Voucher = z.output<typeof VoucherSchema>;

export const VoucherSeriesSchema = ciObject({
  Code: text,
  Description: text,
  Manual: flag(),
  Year: intOrNull,
  Approver: z.unknown().optional(),
  NextVoucherNumber: intOrNull,
}).transform((s) => ({
  code: s.Code,
  description: s.Description,
  /** Only manual series accept vouchers through the API. */
  manual: s.Manual,
  year: s.Year,
  /** Only on a single series. */
  nextVoucherNumber: s.NextVoucherNumber,
}));
export type VoucherSeries = z.output<typeof VoucherSeriesSchema>;

export const LockedPeriodSchema = ciObject({ EndDate: dateOrNull }).transform((l) => ({
  /** Last locked date, or null when nothing is locked. */
  endDate: l.EndDate,
}));
export type LockedPeriod = z.output<typeof LockedPeriodSchema>;

/** The answer of /settings/lockedperiod: with nothing locked the wrapper may be empty, null or absent (undocumented). */
export const LockedPeriodAnswerSchema = ciObject({ LockedPeriod: LockedPeriodSchema.nullish() }).transform(
  (o): LockedPeriod => o.LockedPeriod ?? { endDate: null },
);

// Invoice amounts are in the invoice's currency: `…Minor` = hundredths of it (öre for SEK, cents for EUR).
const invoiceMoney = {
  Total: ore,
  Balance: ore,
  Currency: text,
  CurrencyRate: rate,
  CurrencyUnit: rate,
  Booked: flag(),
  Credit: flag(),
};

/** Credit notes come with negative totals; if one says Credit but is positive, make it negative. */
const creditSign = (credit: boolean, v: number) => (credit && v > 0 ? -v : v);

export const InvoiceSchema = ciObject({
  ...invoiceMoney,
  DocumentNumber: text,
  CustomerNumber: text,
  CustomerName: text,
  InvoiceDate: date,
  DueDate: dateOrNull,
  FinalPayDate: dateOrNull,
  Cancelled: flag(),
  OCR: text,
  VoucherSeries: textOrNull,
  VoucherNumber: intOrNull,
  VoucherYear: intOrNull,
}).transform((i) => ({
  documentNumber: i.DocumentNumber,
  customerNumber: i.CustomerNumber,
  customerName: i.CustomerName,
  invoiceDate: i.InvoiceDate,
  dueDate: i.DueDate,
  finalPayDate: i.FinalPayDate,
  totalMinor: creditSign(i.Credit, i.Total),
  /** Open today (not at the closing date: see server/import/ledger-at-date.ts). */
  balanceMinor: creditSign(i.Credit, i.Balance),
  currency: (i.Currency || "SEK").toUpperCase(),
  currencyRate: i.CurrencyRate,
  currencyUnit: i.CurrencyUnit,
  booked: i.Booked,
  cancelled: i.Cancelled,
  credit: i.Credit || i.Total < 0,
  ocr: i.OCR,
  voucherSeries: i.VoucherSeries,
  voucherNumber: i.VoucherNumber,
  voucherYear: i.VoucherYear,
}));
export type Invoice = z.output<typeof InvoiceSchema>;

const paymentFields = {
  Number: intOrNull,
  InvoiceNumber: text,
  /** SEK. */
  Amount: ore,
  /** In the payment's currency; absent or 0 for SEK. */
  AmountCurrency: oreOptional,
  Currency: text,
  CurrencyRate: rate,
  CurrencyUnit: rate,
  PaymentDate: date,
  Booked: flag(),
};
type PaymentIn = { [K in keyof typeof paymentFields]: z.output<(typeof paymentFields)[K]> };
const paymentOut = (p: PaymentIn) => ({
  number: p.Number,
  /** Customer payments: the invoice's DocumentNumber; supplier payments: its GivenNumber. Always text. */
  invoiceNumber: p.InvoiceNumber,
  amountOre: p.Amount,
  amountCurrencyMinor: p.AmountCurrency ?? null,
  currency: (p.Currency || "SEK").toUpperCase(),
  currencyRate: p.CurrencyRate,
  currencyUnit: p.CurrencyUnit,
  paymentDate: p.PaymentDate,
  booked: p.Booked,
});

export const InvoicePaymentSchema = ciObject(paymentFields).transform(paymentOut);
export type InvoicePayment = z.output<typeof InvoicePaymentSchema>;

export const SupplierInvoiceSchema = ciObject({
  ...invoiceMoney,
  GivenNumber: text,
  SupplierNumber: text,
  SupplierName: text,
  InvoiceNumber: text,
  InvoiceDate: date,
  DueDate: dateOrNull,
  FinalPayDate: dateOrNull,
  Cancel: flag(),
  Cancelled: flag(),
  OCR: text,
  VoucherSeries: textOrNull,
  VoucherNumber: intOrNull,
  VoucherYear: intOrNull,
}).transform((i) => ({
  givenNumber: i.GivenNumber,
  supplierNumber: i.SupplierNumber,
  supplierName: i.SupplierName,
  /** The supplier's own invoice number. */
  invoiceNumber: i.InvoiceNumber,
  invoiceDate: i.InvoiceDate,
  dueDate: i.DueDate,
  finalPayDate: i.FinalPayDate,
  /** Positive = we owe (display sign); the ledger flips it to credit. */
  totalMinor: creditSign(i.Credit, i.Total),
  balanceMinor: creditSign(i.Credit, i.Balance),
  currency: (i.Currency || "SEK").toUpperCase(),
  currencyRate: i.CurrencyRate,
  currencyUnit: i.CurrencyUnit,
  booked: i.Booked,
  /** Lists say `Cancel`, the single resource `Cancelled`. */
  cancelled: i.Cancel || i.Cancelled,
  credit: i.Credit || i.Total < 0,
  ocr: i.OCR,
  voucherSeries: i.VoucherSeries,
  voucherNumber: i.VoucherNumber,
  voucherYear: i.VoucherYear,
}));
export type SupplierInvoice = z.output<typeof SupplierInvoiceSchema>;

export const SupplierInvoicePaymentSchema = ciObject(paymentFields).transform(paymentOut);
export type SupplierInvoicePayment = z.output<typeof SupplierInvoicePaymentSchema>;

export const FileSchema = ciObject({
  Id: text,
  ArchiveFileId: textOrNull,
  Name: text,
  Path: textOrNull,
  Size: intOrNull,
}).transform((f) => ({ id: f.Id, archiveFileId: f.ArchiveFileId, name: f.Name, path: f.Path, size: f.Size }));
export type FortnoxFile = z.output<typeof FileSchema>;

export const VoucherFileConnectionSchema = ciObject({
  FileId: text,
  VoucherNumber: int,
  VoucherSeries: text,
  VoucherYear: intOrNull,
  VoucherDescription: text,
}).transform((c) => ({
  fileId: c.FileId,
  voucherNumber: c.VoucherNumber,
  voucherSeries: c.VoucherSeries,
  voucherYear: c.VoucherYear,
  voucherDescription: c.VoucherDescription,
}));
export type VoucherFileConnection = z.output<typeof VoucherFileConnectionSchema>;
