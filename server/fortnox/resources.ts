// Typed Fortnox resources over the client. Every list goes through getAllPages (never page one only).

import type { FortnoxClient, Query, UploadFile } from "./http";
import { FortnoxApiError, FortnoxError } from "./errors";
import { oreToKronor } from "./money";
import {
  AccountSchema,
  CompanyInformationSchema,
  envelope,
  FileSchema,
  FinancialYearSchema,
  InvoicePaymentSchema,
  InvoiceSchema,
  LockedPeriodAnswerSchema,
  MeEnvelopeSchema,
  SupplierInvoicePaymentSchema,
  SupplierInvoiceSchema,
  VoucherFileConnectionSchema,
  VoucherSchema,
  VoucherSeriesSchema,
  VoucherSummarySchema,
  type Voucher,
  type VoucherSummary,
} from "./schemas";

export interface VoucherRowInput {
  account: number;
  /** Debit positive, credit negative; never 0. */
  amountOre: number;
  transactionInformation?: string;
  costCenter?: string;
  project?: string;
}

export interface VoucherInput {
  series: string;
  transactionDate: string;
  description: string;
  /** Put the export's idempotency marker here: single vouchers always show it, so a lost answer can be checked. */
  comments?: string;
  rows: VoucherRowInput[];
}

export type VoucherInputProblem =
  | "too_few_rows"
  | "unbalanced"
  | "bad_amount"
  | "bad_account"
  | "bad_date"
  | "bad_series"
  | "too_long";

/** Refused before sending: Fortnox's codes for these are unconfirmed, so we check ourselves. */
export class FortnoxVoucherInputError extends FortnoxError {
  override name = "FortnoxVoucherInputError";
  readonly translationKey = "fortnox.error.invalid_voucher";
  constructor(
    readonly problem: VoucherInputProblem,
    message: string,
  ) {
    super(message);
    this.params = { problem };
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Builds the POST body; throws FortnoxVoucherInputError for what Fortnox would refuse. */
export function voucherBody(v: VoucherInput) {
  const fail = (p: VoucherInputProblem, m: string): never => {
    throw new FortnoxVoucherInputError(p, m);
  };
  if (!v.series || v.series.length > 10) fail("bad_series", "series must be 1–10 characters");
  if (!DATE.test(v.transactionDate)) fail("bad_date", "transactionDate must be YYYY-MM-DD");
  if (v.description.length > 200) fail("too_long", "description longer than 200");
  if ((v.comments ?? "").length > 1000) fail("too_long", "comments longer than 1000");
  if (v.rows.length < 2) fail("too_few_rows", "a voucher needs at least two rows");
  let sum = 0;
  for (const r of v.rows) {
    if (!Number.isSafeInteger(r.amountOre) || r.amountOre === 0) fail("bad_amount", "row amounts are non-zero öre");
    if (!Number.isInteger(r.account) || r.account < 1000 || r.account > 9999) fail("bad_account", "account must be 4 digits");
    if ((r.transactionInformation ?? "").length > 100) fail("too_long", "transactionInformation longer than 100");
    sum += r.amountOre;
  }
  if (sum !== 0) fail("unbalanced", `rows do not balance (${sum} öre)`);
  return {
    Voucher: {
      VoucherSeries: v.series,
      TransactionDate: v.transactionDate,
      Description: v.description,
      ...(v.comments ? { Comments: v.comments } : {}),
      VoucherRows: v.rows.map((r) => ({
        Account: r.account,
        Debit: r.amountOre > 0 ? oreToKronor(r.amountOre) : 0,
        Credit: r.amountOre < 0 ? oreToKronor(-r.amountOre) : 0,
        ...(r.transactionInformation ? { TransactionInformation: r.transactionInformation } : {}),
        ...(r.costCenter ? { CostCenter: r.costCenter } : {}),
        ...(r.project ? { Project: r.project } : {}),
      })),
    },
  };
}

export interface LedgerQuery {
  filter?: string;
  fromdate?: string;
  todate?: string;
  fromfinalpaydate?: string;
  tofinalpaydate?: string;
  lastmodified?: string;
  financialyear?: number;
  sortby?: string;
  sortorder?: "ascending" | "descending";
  [k: string]: string | number | undefined;
}

export type SieType = 1 | 2 | 3 | 4;

const seg = (s: string | number) => encodeURIComponent(String(s));

export function createFortnoxApi(client: FortnoxClient) {
  let uploadField: "file" | "Filedata" = "file";
  return {
    /** scope: profile (asked by no feature today: the connect does not request it). */
    getMe: () => client.getJson("/me", undefined, MeEnvelopeSchema),

    /** scope: companyinformation */
    getCompanyInformation: () =>
      client.getJson("/companyinformation", undefined, envelope("CompanyInformation", CompanyInformationSchema)),

    /** `date` gives the year containing it; an empty list means none. */
    listFinancialYears: (date?: string) =>
      client.getAllPages("/financialyears", { date }, "FinancialYears", FinancialYearSchema),

    getFinancialYear: (id: number) =>
      client.getJson(`/financialyears/${seg(id)}`, undefined, envelope("FinancialYear", FinancialYearSchema)),

    /** BalanceCarriedForward is absent from this list (single GET only). */
    listAccounts: (financialYearId: number) =>
      client.getAllPages("/accounts", { financialyear: financialYearId }, "Accounts", AccountSchema),

    getAccount: (number: number, financialYearId: number) =>
      client.getJson(`/accounts/${seg(number)}`, { financialyear: financialYearId }, envelope("Account", AccountSchema)),

    /**
     * Voucher heads without rows (rows: getVoucher, one request each, or SIE 4 for a whole year).
     * The series filter is applied here rather than via the sublist path (docs/fortnox-api.md §2, "Filters").
     */
    listVouchers: async (
      financialYearId: number,
      opts: { fromdate?: string; todate?: string; series?: string } = {},
    ): Promise<VoucherSummary[]> => {
      const all = await client.getAllPages(
        "/vouchers",
        { financialyear: financialYearId, fromdate: opts.fromdate, todate: opts.todate },
        "Vouchers",
        VoucherSummarySchema,
      );
      return opts.series ? all.filter((v) => v.series === opts.series) : all;
    },

    getVoucher: (series: string, number: number, financialYearId: number): Promise<Voucher> =>
      client.getJson(
        `/vouchers/${seg(series)}/${seg(number)}`,
        { financialyear: financialYearId },
        envelope("Voucher", VoucherSchema),
      ),

    /**
     * POST, never retried: Fortnox has no idempotency key, a repeat makes a second voucher. On an error
     * with `maybeCommitted` (see isAmbiguousCommit) look the voucher up by its Comments marker first.
     */
    createVoucher: (financialYearId: number, voucher: VoucherInput): Promise<Voucher> =>
      client.postJson("/vouchers", { financialyear: financialYearId }, voucherBody(voucher), envelope("Voucher", VoucherSchema)),

    /**
     * Finds listed vouchers whose Comments contain `marker`. Proves nothing when absent: lists may carry no
     * Comments at all (UNCONFIRMED); the export's lookup reads single vouchers instead (server/export/lookup.ts).
     */
    findVouchersByMarker: async (
      financialYearId: number,
      marker: string,
      opts: { fromdate?: string; todate?: string; series?: string } = {},
    ): Promise<VoucherSummary[]> => {
      const all = await client.getAllPages(
        "/vouchers",
        { financialyear: financialYearId, fromdate: opts.fromdate, todate: opts.todate },
        "Vouchers",
        VoucherSummarySchema,
      );
      return all.filter((v) => (!opts.series || v.series === opts.series) && v.comments.includes(marker));
    },

    listVoucherSeries: (financialYearId?: number) =>
      client.getAllPages(
        "/voucherseries",
        { financialyear: financialYearId },
        ["VoucherSeriesCollection", "VoucherSeries"],
        VoucherSeriesSchema,
      ),

    /** scope: settings (UNCONFIRMED; bookkeeping is requested too). An empty or absent wrapper: nothing locked. */
    getLockedPeriod: () => client.getJson("/settings/lockedperiod", undefined, LockedPeriodAnswerSchema),

    /** One series of a financial year; unlike the list it carries NextVoucherNumber. */
    getVoucherSeries: (code: string, financialYearId: number) =>
      client.getJson(`/voucherseries/${seg(code)}`, { financialyear: financialYearId }, envelope("VoucherSeries", VoucherSeriesSchema)),

    listInvoices: (query: LedgerQuery = {}) => client.getAllPages("/invoices", query as Query, "Invoices", InvoiceSchema),

    listInvoicePayments: (query: LedgerQuery = {}) =>
      client.getAllPages("/invoicepayments", query as Query, "InvoicePayments", InvoicePaymentSchema),

    /** One payment: unlike the list, it carries AmountCurrency (the amount in the invoice's currency). */
    getInvoicePayment: (number: number | string) =>
      client.getJson(`/invoicepayments/${seg(number)}`, undefined, envelope("InvoicePayment", InvoicePaymentSchema)),

    /** Supplier invoices ignore fromdate/todate (documented only for invoices): filter by date yourself. */
    listSupplierInvoices: (query: LedgerQuery = {}) =>
      client.getAllPages("/supplierinvoices", query as Query, "SupplierInvoices", SupplierInvoiceSchema),

    listSupplierInvoicePayments: (query: LedgerQuery = {}) =>
      client.getAllPages(
        "/supplierinvoicepayments",
        query as Query,
        "SupplierInvoicePayments",
        SupplierInvoicePaymentSchema,
      ),

    /** One supplier payment, with AmountCurrency (scope payment). */
    getSupplierInvoicePayment: (number: number | string) =>
      client.getJson(
        `/supplierinvoicepayments/${seg(number)}`,
        undefined,
        envelope("SupplierInvoicePayment", SupplierInvoicePaymentSchema),
      ),

    /** Raw CP437 bytes of a SIE file; decoding and the #KSUMMA/completeness check belong to server/sie. */
    streamSie: (
      type: SieType,
      financialYearId: number,
      opts: { fromdate?: string; todate?: string; exportall?: boolean; selection?: string } = {},
    ) => client.getStream(`/sie/${type}`, { financialyear: financialYearId, ...opts }),

    /**
     * Uploads to the vouchers' inbox (path=inbox_v). The file part's name is UNCONFIRMED ("file" in the OpenAPI
     * file's clients, "Filedata" in the .NET SDK): a 400 to one name is a refusal that stored nothing, so the other
     * is tried once, and the name that worked is kept for this connection's later uploads.
     */
    uploadToInbox: async (file: UploadFile, opts: { path?: string; fieldName?: string } = {}) => {
      const first = opts.fieldName ?? uploadField;
      const send = (name: string) => client.postMultipart("/inbox", { path: opts.path ?? "inbox_v" }, file, name, envelope("File", FileSchema));
      try {
        return await send(first);
      } catch (err) {
        if (opts.fieldName || !(err instanceof FortnoxApiError) || err.status !== 400) throw err;
        const other = first === "file" ? "Filedata" : "file";
        const done = await send(other);
        uploadField = other;
        return done;
      }
    },

    /**
     * The connection of an uploaded file, or null when the file is connected to nothing (404): how a lost answer
     * of connectFileToVoucher is resolved without connecting twice.
     */
    getVoucherFileConnection: async (fileId: string) => {
      try {
        return await client.getJson(
          `/voucherfileconnections/${seg(fileId)}`,
          undefined,
          envelope("VoucherFileConnection", VoucherFileConnectionSchema),
        );
      } catch (err) {
        if (err instanceof FortnoxApiError && err.status === 404) return null;
        throw err;
      }
    },

    /**
     * The files connected to one voucher (`voucheryear` = financial year Id). The filter parameters are not in the
     * OpenAPI file: callers match the answer themselves, so a Fortnox that ignored them costs pages, not truth.
     */
    listVoucherFileConnections: (voucher: { series: string; number: number; financialYearId: number }) =>
      client.getAllPages(
        "/voucherfileconnections",
        { voucherseries: voucher.series, vouchernumber: voucher.number, voucheryear: voucher.financialYearId },
        "VoucherFileConnections",
        VoucherFileConnectionSchema,
      ),

    /** Attaches an uploaded file (File.Id) to a voucher. */
    connectFileToVoucher: (fileId: string, series: string, number: number, financialYearId?: number) =>
      client.postJson(
        "/voucherfileconnections",
        { financialyear: financialYearId },
        { VoucherFileConnection: { FileId: fileId, VoucherNumber: number, VoucherSeries: series } },
        envelope("VoucherFileConnection", VoucherFileConnectionSchema),
      ),
  };
}

export type FortnoxApi = ReturnType<typeof createFortnoxApi>;
