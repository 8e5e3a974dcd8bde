// Bookkeeping resources: me, company information, financial years, accounts, vouchers, voucher series, the
// locked period.

import { z } from "zod";
import { ciObject, scalar, ore, oreOptional, decimal, intOrNull, int, flag, text, textOrNull, dimension, dateOrNull, date } from "./fields";

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

// `null` where a list is expected means an empty list (docs/fortnox-api.md §3, "null for an empty list").
export const VoucherSchema = ciObject({ ...voucherHead, VoucherRows: z.array(VoucherRowSchema).nullish() }).transform(
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
