// Long (~625 lines): the sandbox's REST contract endpoint by endpoint over one running sandbox: the reference the client's schemas are
// checked against.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvoicePaymentSchema, InvoiceSchema } from "@/server/fortnox/schemas";
import { customerLedgerAtDate } from "@/server/import/ledger-at-date";
import { optionsFromEnv } from "./options";
import type { SandboxServer } from "./server";
import { CLIENT_ID, FULL_SCOPE, allPaymentsWithCurrency, apiClient, connect, control, jwtClaims, ore, start } from "./testing/helpers";

// Contract tests of the sandbox's REST API at <base>/3 (docs/fortnox-api.md §2–3), over real HTTP.
// Current year 2025 (Id 2 for the small demo company), locked through 2025-08-31 by default.

let s: SandboxServer;
let api: ReturnType<typeof apiClient>;
let token: string;

// The contract covers endpoints no feature of the app uses (/me, /archive): a registration that holds every scope.
const WIDE = `${FULL_SCOPE} profile archive`;

beforeAll(async () => {
  s = await start({ currentYear: 2025, clients: [{ clientId: CLIENT_ID, clientSecret: "sandbox-secret", scopes: WIDE.split(" ") }] });
});
afterAll(() => s.close());
beforeEach(async () => {
  await control(s.url, "reset", {});
  token = (await connect(s.url, { scope: WIDE })).access_token;
  api = apiClient(s.url, token);
});

/** A manual voucher that passes every pre-check. */
const okVoucher = (over: Record<string, unknown> = {}) => ({
  Voucher: {
    VoucherSeries: "A",
    TransactionDate: "2025-09-15",
    Description: "Periodisering hyra",
    Comments: "export-marker-123",
    VoucherRows: [
      { Account: 1790, Debit: 12000.5, Credit: 0, TransactionInformation: "Hyra oktober" },
      { Account: 5010, Debit: 0, Credit: "12000.50" },
    ],
    ...over,
  },
});

describe("authentication", () => {
  it("refuses requests without, with a forged or with an expired token (401)", async () => {
    const none = await fetch(`${s.url}/3/me`);
    expect(none.status).toBe(401);
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await apiClient(s.url, forged).get("me")).status).toBe(401);
    await control(s.url, "clock", { advanceSeconds: 3601 });
    const expired = await api.get("me");
    expect(expired.status).toBe(401);
    expect(expired.body.ErrorInformation.code).toBe(2000311);
  });
});

describe("company resources", () => {
  it("GET /me answers MeInformation (OpenAPI file), or Me (.NET SDK) when so configured", async () => {
    const { status, body } = await api.get("me");
    expect(status).toBe(200);
    expect(body).toEqual({ MeInformation: { Id: "1", Name: "Anna Andersson", Email: "anna@demokonsult.example", SysAdmin: true, Locale: "sv_SE" } });
    expect(jwtClaims(token).userId).toBe(body.MeInformation.Id);
    const sdk = await start({ ...optionsFromEnv({ SANDBOX_ME_ENVELOPE: "Me" }), clients: [{ clientId: CLIENT_ID, clientSecret: "sandbox-secret", scopes: WIDE.split(" ") }] });
    try {
      const me = await apiClient(sdk.url, (await connect(sdk.url, { scope: WIDE })).access_token).get("me");
      expect(Object.keys(me.body)).toEqual(["Me"]);
    } finally {
      await sdk.close();
    }
  });

  it("GET /companyinformation", async () => {
    const { body } = await api.get("companyinformation");
    expect(body.CompanyInformation).toMatchObject({
      CompanyName: "Demo Konsult AB", OrganizationNumber: "556677-8899", DatabaseNumber: 1234567, Address: "Storgatan 12",
      City: "Stockholm", ZipCode: "111 22", CountryCode: "SE",
    });
  });

  it("GET /financialyears, ?date= and /financialyears/{Id}", async () => {
    const all = await api.get("financialyears");
    expect(all.body.FinancialYears.map((y: any) => [y.Id, y.FromDate, y.ToDate, y.AccountingMethod])).toEqual([
      [1, "2024-01-01", "2024-12-31", "ACCRUAL"],
      [2, "2025-01-01", "2025-12-31", "ACCRUAL"],
    ]);
    expect(all.body.FinancialYears[0].AccountChartType).toBeTruthy();
    expect((await api.get("financialyears?date=2024-06-30")).body.FinancialYears.map((y: any) => y.Id)).toEqual([1]);
    expect((await api.get("financialyears?date=2025-12-31")).body.FinancialYears.map((y: any) => y.Id)).toEqual([2]);
    expect((await api.get("financialyears?date=2026-01-01")).body.FinancialYears).toEqual([]);
    expect((await api.get("financialyears/2")).body.FinancialYear).toMatchObject({ Id: 2, FromDate: "2025-01-01" });
    expect((await api.get("financialyears/99")).status).toBe(404);
  });

  it("GET /settings/lockedperiod follows the tenant's setting", async () => {
    expect((await api.get("settings/lockedperiod")).body).toEqual({ LockedPeriod: { EndDate: "2025-08-31" } });
    await control(s.url, "tenants/1234567", { lockedThrough: null });
    // Nothing locked: no date at all by default, an empty one with lockedPeriodNone "empty" (UNCONFIRMED which).
    expect((await api.get("settings/lockedperiod")).body).toEqual({ LockedPeriod: {} });
    await control(s.url, "options", { lockedPeriodNone: "empty" });
    expect((await api.get("settings/lockedperiod")).body).toEqual({ LockedPeriod: { EndDate: "" } });
  });
});

describe("accounts", () => {
  it("the list carries BalanceBroughtForward but never BalanceCarriedForward", async () => {
    const list = await api.all("accounts?financialyear=2", "Accounts");
    expect(list.length).toBeGreaterThan(150);
    for (const a of list) {
      expect(a).not.toHaveProperty("BalanceCarriedForward");
      expect(a).toMatchObject({ Year: 2 });
      expect(typeof a.Number).toBe("number");
      expect(typeof a.Active).toBe("boolean");
      expect(typeof a.BalanceBroughtForward).toBe("number");
    }
    const bank = list.find((a) => a.Number === 1930)!;
    expect(bank).toMatchObject({ Description: "Företagskonto/checkkonto/affärskonto", SRU: 7281, Active: true });
    expect(list.find((a) => a.Number === 5220)!.Active).toBe(false);
  });

  it("the single account adds BalanceCarriedForward; next year's IB is this year's UB", async () => {
    const y1 = (await api.get("accounts/1510?financialyear=1")).body.Account;
    const y2 = (await api.get("accounts/1510?financialyear=2")).body.Account;
    expect(y1).toHaveProperty("BalanceCarriedForward");
    expect(y2.BalanceBroughtForward).toBe(y1.BalanceCarriedForward);
    expect(ore(y1.BalanceCarriedForward)).not.toBe(0);
  });

  it("an unknown account is 404 with code 2000423", async () => {
    const { status, body } = await api.get("accounts/1999");
    expect(status).toBe(404);
    expect(body).toEqual({ ErrorInformation: { error: 1, message: "Kan inte hitta kontot.", code: 2000423 } });
  });
});

describe("vouchers", () => {
  it("the list has no rows; the single voucher has them", async () => {
    const { body } = await api.get("vouchers?financialyear=2&limit=5");
    for (const v of body.Vouchers) {
      expect(v).not.toHaveProperty("VoucherRows");
      expect(Object.keys(v)).toEqual(expect.arrayContaining(["VoucherSeries", "VoucherNumber", "Year", "TransactionDate", "Description", "ReferenceNumber", "ReferenceType", "ApprovalState", "@url"]));
      // Comments only with voucherListComments (export-rules.test.ts covers both settings).
      expect(v).not.toHaveProperty("Comments");
    }
    const first = body.Vouchers[0];
    const single = (await api.get(`vouchers/${first.VoucherSeries}/${first.VoucherNumber}?financialyear=2`)).body.Voucher;
    expect(single).toMatchObject({ VoucherSeries: first.VoucherSeries, VoucherNumber: first.VoucherNumber, Year: 2 });
    expect(single.VoucherRows.length).toBeGreaterThanOrEqual(2);
    for (const r of single.VoucherRows) {
      expect(Object.keys(r).sort()).toEqual(["Account", "CostCenter", "Credit", "Debit", "Description", "Project", "Quantity", "Removed", "TransactionInformation"]);
    }
    const net = single.VoucherRows.filter((r: any) => !r.Removed).reduce((a: number, r: any) => a + ore(r.Debit) - ore(r.Credit), 0);
    expect(net).toBe(0);
  });

  it("a voucher is identified by series, number and financial year", async () => {
    const y1 = (await api.get("vouchers/A/1?financialyear=1")).body.Voucher;
    const y2 = (await api.get("vouchers/A/1?financialyear=2")).body.Voucher;
    expect(y1.Year).toBe(1);
    expect(y2.Year).toBe(2);
    expect(y1.TransactionDate.slice(0, 4)).toBe("2024");
    expect(y2.TransactionDate.slice(0, 4)).toBe("2025");
    const missing = await api.get("vouchers/A/99999?financialyear=2");
    expect(missing.status).toBe(400); // the default: as Fortnox answers other unknown ids
    expect(missing.body.ErrorInformation.code).toBe(2000434);
    await control(s.url, "options", { voucherNotFoundStatus: 404 });
    const missing404 = await api.get("vouchers/A/99999?financialyear=2");
    expect([missing404.status, missing404.body.ErrorInformation.code]).toEqual([404, 2000434]);
  });

  it("filters by fromdate/todate and by series (sublist)", async () => {
    const march = await api.all("vouchers?financialyear=2&fromdate=2025-03-01&todate=2025-03-31", "Vouchers");
    expect(march.length).toBeGreaterThan(10);
    expect(march.every((v) => v.TransactionDate >= "2025-03-01" && v.TransactionDate <= "2025-03-31")).toBe(true);
    const f = await api.all("vouchers/sublist/F?financialyear=2", "Vouchers");
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((v) => v.VoucherSeries === "F")).toBe(true);
  });

  it("POST creates a voucher (201) with the next number of its series, visible in every view", async () => {
    const next = (await api.get("voucherseries/A?financialyear=2")).body.VoucherSeries.NextVoucherNumber;
    const countBefore = (await api.get("vouchers?financialyear=2")).body.MetaInformation["@TotalResources"];
    const ubBefore = ore((await api.get("accounts/5010?financialyear=2")).body.Account.BalanceCarriedForward);
    const { status, body } = await api.post("vouchers?financialyear=2", okVoucher());
    expect(status).toBe(201);
    expect(body.Voucher).toMatchObject({ VoucherSeries: "A", VoucherNumber: next, Year: 2, TransactionDate: "2025-09-15", Description: "Periodisering hyra", Comments: "export-marker-123" });
    expect(body.Voucher.VoucherRows.map((r: any) => [r.Account, r.Debit, r.Credit, r.TransactionInformation])).toEqual([
      [1790, 12000.5, 0, "Hyra oktober"],
      [5010, 0, 12000.5, ""],
    ]);
    expect((await api.get(`vouchers/A/${next}?financialyear=2`)).body.Voucher.Comments).toBe("export-marker-123");
    expect((await api.get("vouchers?financialyear=2")).body.MetaInformation["@TotalResources"]).toBe(countBefore + 1);
    expect((await api.get("voucherseries/A?financialyear=2")).body.VoucherSeries.NextVoucherNumber).toBe(next + 1);
    expect(ore((await api.get("accounts/5010?financialyear=2")).body.Account.BalanceCarriedForward)).toBe(ubBefore - 1_200_050);
    // No idempotency: the same body again is a second voucher.
    expect((await api.post("vouchers?financialyear=2", okVoucher())).body.Voucher.VoucherNumber).toBe(next + 1);
  });

  const refused: [string, unknown, number, RegExp][] = [
    ["unbalanced", okVoucher({ VoucherRows: [{ Account: 1790, Debit: 100 }, { Account: 5010, Credit: 99 }] }), 2000930, /balans/],
    ["a single row", okVoucher({ VoucherRows: [{ Account: 1790, Debit: 0 }] }), 2000920, /två rader/],
    ["an unknown account", okVoucher({ VoucherRows: [{ Account: 1791, Debit: 5 }, { Account: 5010, Credit: 5 }] }), 2001304, /1791/],
    ["an inactive account", okVoucher({ VoucherRows: [{ Account: 5220, Debit: 5 }, { Account: 5010, Credit: 5 }] }), 2000550, /^Konto 5220 är inte aktivt$/],
    ["an unknown series", okVoucher({ VoucherSeries: "Q" }), 2000544, /Q/],
    ["an automatic series", okVoucher({ VoucherSeries: "F" }), 2000755, /^Verifikationsserien är inte manuell \(F\)$/],
    ["a date in no financial year", okVoucher({ TransactionDate: "2026-02-01" }), 2000588, /räkenskapsår/],
    ["no description", okVoucher({ Description: "  " }), 2000580, /Description/],
    ["a description over 200 characters", okVoucher({ Description: "x".repeat(201) }), 2000588, /200/],
    ["no Voucher key", { Verifikation: {} }, 2001392, /Voucher/],
  ];
  it.each(refused)("POST refuses %s with ErrorInformation and creates nothing", async (_name, body, code, message) => {
    const before = (await api.get("vouchers?financialyear=2")).body.MetaInformation["@TotalResources"];
    const res = await api.post("vouchers", body);
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation).toMatchObject({ error: 1, code });
    expect(res.body.ErrorInformation.message).toMatch(message);
    expect((await api.get("vouchers?financialyear=2")).body.MetaInformation["@TotalResources"]).toBe(before);
  });

  it("POST refuses a date in the locked period with 2000401 and the locked date", async () => {
    const res = await api.post("vouchers", okVoucher({ TransactionDate: "2025-08-31" }));
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation.code).toBe(2000401);
    expect(res.body.ErrorInformation.message).toContain("2025-08-31");
    expect((await api.post("vouchers", okVoucher({ TransactionDate: "2025-09-01" }))).status).toBe(201);
    // The lock moves with the tenant's setting.
    await control(s.url, "tenants/1234567", { lockedThrough: "2025-10-31" });
    const later = await api.post("vouchers", okVoucher({ TransactionDate: "2025-10-01" }));
    expect(later.body.ErrorInformation).toMatchObject({ code: 2000401 });
    expect(later.body.ErrorInformation.message).toContain("2025-10-31");
  });

  it("POST refuses a financialyear that does not exist or does not hold the date", async () => {
    expect((await api.post("vouchers?financialyear=77", okVoucher())).body.ErrorInformation.code).toBe(2000588);
    expect((await api.post("vouchers?financialyear=1", okVoucher())).body.ErrorInformation.code).toBe(2000588);
  });

  it("POST refuses an empty body and broken JSON", async () => {
    const empty = await api.call("vouchers", { method: "POST", headers: { "content-type": "application/json" }, body: "" });
    expect(empty.status).toBe(400);
    expect((await empty.json()).ErrorInformation.code).toBe(2001392);
    const broken = await api.call("vouchers", { method: "POST", headers: { "content-type": "application/json" }, body: '{"Voucher": {' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).ErrorInformation.code).toBe(2002115);
  });
});

describe("voucher series", () => {
  it("lists Code, Description, Manual, Year, Approver; the single series adds NextVoucherNumber", async () => {
    const { body } = await api.get("voucherseries?financialyear=2");
    const byCode = new Map(body.VoucherSeriesCollection.map((x: any) => [x.Code, x]));
    expect((byCode.get("A") as any).Manual).toBe(true);
    expect((byCode.get("F") as any).Manual).toBe(false);
    for (const x of body.VoucherSeriesCollection) {
      expect(Object.keys(x)).toEqual(expect.arrayContaining(["Code", "Description", "Manual", "Year", "Approver"]));
      expect(x).not.toHaveProperty("NextVoucherNumber");
      expect(x.Code.length).toBeLessThanOrEqual(10);
    }
    const count = (await api.get("vouchers/sublist/A?financialyear=2")).body.MetaInformation["@TotalResources"];
    expect((await api.get("voucherseries/A?financialyear=2")).body.VoucherSeries.NextVoucherNumber).toBe(count + 1);
    expect((await api.get("voucherseries/ZZ")).status).toBe(404);
  });
});

describe("customer and supplier ledgers", () => {
  it("invoices: Fortnox's fields; filters cancelled / fullypaid / unpaid; single invoice", async () => {
    const all = await api.all("invoices", "Invoices");
    expect(all.length).toBeGreaterThan(50);
    const keys = ["DocumentNumber", "CustomerNumber", "CustomerName", "InvoiceDate", "DueDate", "FinalPayDate", "Total", "Balance", "Currency", "CurrencyRate", "Booked", "Cancelled", "OCR", "VoucherSeries", "VoucherNumber", "VoucherYear"];
    for (const i of all) expect(Object.keys(i)).toEqual(expect.arrayContaining(keys));
    expect(all.some((i) => i.Currency === "EUR" && i.CurrencyRate > 5)).toBe(true);
    const cancelled = await api.all("invoices?filter=cancelled", "Invoices");
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((i) => i.Cancelled === true && i.VoucherNumber === null)).toBe(true);
    const unpaid = await api.all("invoices?filter=unpaid", "Invoices");
    expect(unpaid.every((i) => !i.Cancelled && ore(i.Balance) > 0 && i.FinalPayDate === null)).toBe(true);
    const paid = await api.all("invoices?filter=fullypaid", "Invoices");
    expect(paid.every((i) => ore(i.Balance) === 0 && i.FinalPayDate !== null)).toBe(true);
    expect(cancelled.length + unpaid.length + paid.length).toBe(all.length);
    const window = await api.all("invoices?fromdate=2025-02-01&todate=2025-02-28", "Invoices");
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((i) => i.InvoiceDate.startsWith("2025-02"))).toBe(true);
    const one = (await api.get(`invoices/${all[3].DocumentNumber}`)).body.Invoice;
    expect(one).toMatchObject({ DocumentNumber: all[3].DocumentNumber, Total: all[3].Total });
    expect(typeof one.DocumentNumber).toBe("string");
  });

  it("invoices filter by customernumber, final pay date, lastmodified and overdue", async () => {
    const all = await api.all("invoices", "Invoices");
    const customer = all[0].CustomerNumber;
    const mine = await api.all(`invoices?customernumber=${customer}`, "Invoices");
    expect(mine.length).toBe(all.filter((i) => i.CustomerNumber === customer).length);
    const march = await api.all("invoices?fromfinalpaydate=2025-03-01&tofinalpaydate=2025-03-31", "Invoices");
    expect(march.length).toBeGreaterThan(0);
    expect(march.map((i) => i.FinalPayDate.slice(0, 7))).toEqual(march.map(() => "2025-03"));
    const recent = await api.all("invoices?lastmodified=2025-07-01 00:00", "Invoices");
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    for (const i of recent.slice(0, 10)) expect((await api.get(`invoices/${i.DocumentNumber}`)).body.Invoice.LastModified >= "2025-07-01 00:00").toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const overdue = await api.all("invoices?filter=unpaidoverdue", "Invoices");
    expect(overdue.every((i) => ore(i.Balance) > 0 && i.DueDate < today)).toBe(true);
    const unpaidSup = await api.all("supplierinvoices?filter=unpaid", "SupplierInvoices");
    expect(unpaidSup.every((i) => ore(i.Balance) > 0 && !i.Cancel)).toBe(true);
    expect((await api.get("invoices?filter=nonsense")).status).toBe(400);
  });

  it("invoice payments: the list as InvoicePaymentListItem (no AmountCurrency), the single one with it; ?invoicenumber=", async () => {
    const pays = await api.all("invoicepayments", "InvoicePayments");
    for (const p of pays.slice(0, 20)) {
      expect(Object.keys(p).sort()).toEqual(["@url", "Amount", "Booked", "Currency", "CurrencyRate", "CurrencyUnit", "InvoiceNumber", "Number", "PaymentDate", "Source", "WriteOffExist"]);
      expect(typeof p.InvoiceNumber).toBe("number");
      expect(typeof p.Number).toBe("string");
    }
    const eurItem = pays.find((p) => p.Currency === "EUR")!;
    const eur = (await api.get(`invoicepayments/${eurItem.Number}`)).body.InvoicePayment;
    expect(eur).toMatchObject({ Number: eurItem.Number, Amount: eurItem.Amount, Currency: "EUR", VoucherSeries: "I" });
    expect(ore(eur.Amount)).toBeGreaterThan(ore(eur.AmountCurrency) * 5); // SEK vs EUR
    const forOne = await api.all(`invoicepayments?invoicenumber=${pays[0].InvoiceNumber}`, "InvoicePayments");
    expect(forOne.length).toBeGreaterThan(0);
    expect(forOne.every((p) => p.InvoiceNumber === pays[0].InvoiceNumber)).toBe(true);
    const sorted = await api.all("invoicepayments?sortby=paymentdate", "InvoicePayments");
    expect(sorted.map((p) => p.PaymentDate)).toEqual([...sorted.map((p) => p.PaymentDate)].sort());
  });

  it("supplier invoices send Total, Balance and CurrencyRate as strings; the list says Cancel, the single Cancelled", async () => {
    const all = await api.all("supplierinvoices", "SupplierInvoices");
    for (const i of all) {
      expect(typeof i.Total).toBe("string");
      expect(typeof i.Balance).toBe("string");
      expect(typeof i.CurrencyRate).toBe("string");
      expect(i.Total).toMatch(/^\d+\.\d{2}$/);
      expect(i).toHaveProperty("Cancel");
      expect(i).not.toHaveProperty("Cancelled");
      expect(Object.keys(i)).toEqual(expect.arrayContaining(["GivenNumber", "SupplierNumber", "SupplierName", "InvoiceNumber", "InvoiceDate", "DueDate", "FinalPayDate", "Currency", "Booked", "Credit", "Vouchers"]));
      // fortnox_SupplierInvoiceListItem has neither OCR nor the voucher's own fields: only the single resource does.
      for (const k of ["OCR", "VoucherNumber", "VoucherSeries", "VoucherYear"]) expect(i).not.toHaveProperty(k);
    }
    expect(all.some((i) => i.Currency === "EUR")).toBe(true);
    const one = (await api.get(`supplierinvoices/${all[0].GivenNumber}`)).body.SupplierInvoice;
    expect(one).toHaveProperty("Cancelled", false);
    expect(one).toHaveProperty("OCR");
    expect(one).not.toHaveProperty("Cancel");
  });

  it("supplier invoice payments carry InvoiceNumber as a string; AmountCurrency only on the single payment", async () => {
    const pays = await api.all("supplierinvoicepayments", "SupplierInvoicePayments");
    expect(pays.length).toBeGreaterThan(10);
    for (const p of pays) {
      expect(typeof p.InvoiceNumber).toBe("string");
      expect(p).not.toHaveProperty("AmountCurrency");
    }
    const one = (await api.get(`supplierinvoicepayments/${pays[0].Number}`)).body.SupplierInvoicePayment;
    expect(one).toMatchObject({ Number: pays[0].Number, InvoiceNumber: pays[0].InvoiceNumber, AmountCurrency: expect.any(Number) });
  });

  it("supplier invoices ignore fromdate/todate (undocumented for them) unless told to honour them", async () => {
    const all = await api.all("supplierinvoices", "SupplierInvoices");
    const ranged = await api.all("supplierinvoices?fromdate=2025-03-01&todate=2025-03-31", "SupplierInvoices");
    expect(ranged.length).toBe(all.length);
    const honour = await start({ currentYear: 2025, supplierInvoiceDateFilter: "honour" });
    try {
      const a = apiClient(honour.url, (await connect(honour.url)).access_token);
      const march = await a.all("supplierinvoices?fromdate=2025-03-01&todate=2025-03-31", "SupplierInvoices");
      expect(march.length).toBeGreaterThan(0);
      expect(march.length).toBeLessThan(all.length);
      expect(march.every((i) => i.InvoiceDate >= "2025-03-01" && i.InvoiceDate <= "2025-03-31")).toBe(true);
      // Invoices keep theirs.
      const inv = await a.all("invoices?fromdate=2025-03-01&todate=2025-03-31", "Invoices");
      expect(inv.every((i) => i.InvoiceDate.startsWith("2025-03"))).toBe(true);
    } finally {
      await honour.close();
    }
    expect(optionsFromEnv({ SANDBOX_SUPPLIERINVOICE_DATES: "honour" }).supplierInvoiceDateFilter).toBe("honour");
    expect(() => optionsFromEnv({ SANDBOX_SUPPLIERINVOICE_DATES: "maybe" })).toThrow();
  });

  it("supplier payments ignore ?invoicenumber= (undocumented for them) unless told to honour it; invoice payments honour it", async () => {
    const all = await api.all("supplierinvoicepayments", "SupplierInvoicePayments");
    const first = all[0].InvoiceNumber;
    expect((await api.all(`supplierinvoicepayments?invoicenumber=${first}`, "SupplierInvoicePayments")).length).toBe(all.length);
    const honour = await start({ currentYear: 2025, ...optionsFromEnv({ SANDBOX_SUPPLIERPAYMENT_INVOICENUMBER: "honour" }) });
    try {
      const a = apiClient(honour.url, (await connect(honour.url)).access_token);
      const one = await a.all(`supplierinvoicepayments?invoicenumber=${first}`, "SupplierInvoicePayments");
      expect(one.length).toBeGreaterThan(0);
      expect(one.every((p) => p.InvoiceNumber === first)).toBe(true);
    } finally {
      await honour.close();
    }
  });

  it("lastmodified takes its space as %20; a form-encoded + is refused", async () => {
    expect((await api.get("invoicepayments?lastmodified=2025-12-01%2000:00")).status).toBe(200);
    expect((await api.get("invoicepayments?lastmodified=2025-12-01+00:00")).status).toBe(400);
    expect((await api.get("supplierinvoices?lastmodified=2025-12-01+00:00")).body.ErrorInformation.Code).toBe("2000588");
    // Mounted in Next.js, whose route handlers re-encode %20 as +, the check is off.
    const mounted = await start({ currentYear: 2025, checkQueryEncoding: false });
    try {
      const a = apiClient(mounted.url, (await connect(mounted.url)).access_token);
      expect((await a.get("invoicepayments?lastmodified=2025-12-01+00:00")).status).toBe(200);
    } finally {
      await mounted.close();
    }
  });
});

describe("files", () => {
  const upload = (field: string, name = "kvitto.pdf", query = "?path=inbox_v") => {
    const form = new FormData();
    form.set(field, new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xe5, 0x00])], { type: "application/pdf" }), name);
    return api.call(`inbox${query}`, { method: "POST", body: form });
  };

  it("inbox upload (multipart, field file; Filedata when set so) → 201 File; the bytes come back unchanged", async () => {
    expect((await upload("Filedata")).status).toBe(400); // the default takes one name only
    for (const field of ["file", "Filedata"]) {
      await control(s.url, "options", { uploadFieldNames: [field] });
      const res = await upload(field, `kvitto-${field}.pdf`);
      expect(res.status).toBe(201);
      const { File } = await res.json();
      expect(File).toMatchObject({ Name: `kvitto-${field}.pdf`, Path: `inbox_v/kvitto-${field}.pdf`, Size: 6 });
      expect(File.Id).toBeTruthy();
      expect(File.ArchiveFileId).toBeTruthy();
      const back = await api.call(`inbox/${File.Id}`);
      expect([...new Uint8Array(await back.arrayBuffer())]).toEqual([0x25, 0x50, 0x44, 0x46, 0xe5, 0x00]);
    }
    expect((await upload("attachment")).status).toBe(400);
    const json = await api.call("inbox", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(400);
  });

  it("archive upload works the same way", async () => {
    const form = new FormData();
    form.set("file", new Blob(["avtal"]), "avtal.pdf");
    const res = await api.call("archive", { method: "POST", body: form });
    expect(res.status).toBe(201);
    expect((await res.json()).File).toMatchObject({ Name: "avtal.pdf", Size: 5 });
  });

  it("voucherfileconnections: connect an uploaded file to a voucher (201), once", async () => {
    const { File } = await (await upload("file")).json();
    const link = { VoucherFileConnection: { FileId: File.Id, VoucherNumber: 3, VoucherSeries: "A" } };
    const res = await api.post("voucherfileconnections", link);
    expect(res.status).toBe(201);
    expect(res.body.VoucherFileConnection).toMatchObject({ FileId: File.Id, VoucherNumber: "3", VoucherSeries: "A", VoucherYear: 2 });
    expect(res.body.VoucherFileConnection.VoucherDescription).toBeTruthy();
    const list = await api.get("voucherfileconnections");
    expect(list.body.VoucherFileConnections.map((x: any) => x.FileId)).toEqual([File.Id]);
    expect(list.body.MetaInformation["@TotalResources"]).toBe(1);
    expect((await api.post("voucherfileconnections", link)).status).toBe(400);
    const noVoucher = await api.post("voucherfileconnections", { VoucherFileConnection: { FileId: File.Id, VoucherNumber: 99999, VoucherSeries: "A" } });
    expect(noVoucher.status).toBe(400);
    const noFile = await api.post("voucherfileconnections", { VoucherFileConnection: { FileId: "nope", VoucherNumber: 3, VoucherSeries: "A" } });
    expect(noFile.status).toBe(400);
  });
});

describe("paging", () => {
  it("limit (default 100, silently capped at 500), page and MetaInformation", async () => {
    const first = await api.get("vouchers?financialyear=2");
    expect(first.body.Vouchers).toHaveLength(100);
    expect(first.body.MetaInformation).toEqual({ "@TotalResources": 500, "@TotalPages": 5, "@CurrentPage": 1 });
    const capped = await api.get("vouchers?financialyear=2&limit=1000");
    expect(capped.body.Vouchers).toHaveLength(500);
    expect(capped.body.MetaInformation["@TotalPages"]).toBe(1);
    const p3 = await api.get("vouchers?financialyear=2&limit=200&page=3");
    expect(p3.body.Vouchers).toHaveLength(100);
    expect(p3.body.MetaInformation).toEqual({ "@TotalResources": 500, "@TotalPages": 3, "@CurrentPage": 3 });
    expect((await api.get("vouchers?financialyear=2&limit=200&page=4")).body.Vouchers).toEqual([]);
    const off = await api.get("vouchers?financialyear=2&limit=10&offset=5");
    expect(off.body.Vouchers[0]).toEqual(first.body.Vouchers[5]);
  });

  it("walking the pages gives every item exactly once", async () => {
    const seen = new Set<string>();
    let pages = 0;
    for (let page = 1; ; page++) {
      const { body } = await api.get(`vouchers?financialyear=2&limit=77&page=${page}`);
      pages++;
      for (const v of body.Vouchers) seen.add(`${v.VoucherSeries}${v.VoucherNumber}`);
      if (page >= body.MetaInformation["@TotalPages"]) break;
    }
    expect(pages).toBe(7);
    expect(seen.size).toBe(500);
  });

  it("every list answer carries MetaInformation", async () => {
    const lists: [string, string][] = [
      ["financialyears", "FinancialYears"], ["accounts", "Accounts"], ["vouchers", "Vouchers"], ["voucherseries", "VoucherSeriesCollection"],
      ["invoices", "Invoices"], ["invoicepayments", "InvoicePayments"], ["supplierinvoices", "SupplierInvoices"],
      ["supplierinvoicepayments", "SupplierInvoicePayments"], ["voucherfileconnections", "VoucherFileConnections"],
    ];
    for (const [path, key] of lists) {
      const { status, body } = await api.get(`${path}?limit=3`);
      expect(status, path).toBe(200);
      expect(Array.isArray(body[key]), path).toBe(true);
      expect(body[key].length).toBe(Math.min(3, body.MetaInformation["@TotalResources"]));
      expect(body.MetaInformation["@TotalPages"]).toBe(Math.ceil(body.MetaInformation["@TotalResources"] / 3));
    }
  });

  it("refuses a malformed limit or page with 2000588", async () => {
    for (const q of ["limit=abc", "limit=0", "page=0", "page=-1"]) {
      const res = await api.get(`vouchers?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.ErrorInformation.code).toBe(2000588);
    }
  });
});

describe("scopes, licences and error shapes", () => {
  it("a missing scope is 403 with 2000663", async () => {
    const narrow = apiClient(s.url, (await connect(s.url, { scope: "bookkeeping" })).access_token);
    expect((await narrow.get("accounts")).status).toBe(200);
    for (const path of ["me", "companyinformation", "invoices", "supplierinvoices", "settings/lockedperiod", "voucherfileconnections"]) {
      const res = await narrow.get(path);
      expect(res.status, path).toBe(403);
      expect(JSON.stringify(res.body), path).toMatch(/"(code|Code)":"?2000663/);
    }
    const books = apiClient(s.url, (await connect(s.url, { scope: "companyinformation" })).access_token);
    expect((await books.get("vouchers")).body.ErrorInformation.code).toBe(2000663);
    expect((await books.call("sie/4")).status).toBe(403);
  });

  it("the UNCONFIRMED scopes (SIE, locked period, supplier payments) can be changed", async () => {
    const other = await start({ endpointScopes: { sie: ["archive"], lockedperiod: ["bookkeeping"] } });
    try {
      const books = apiClient(other.url, (await connect(other.url, { scope: "bookkeeping" })).access_token);
      expect((await books.call("sie/4")).status).toBe(403);
      expect((await books.get("settings/lockedperiod")).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it("modules: a company with bookkeeping but no invoicing answers invoices AND invoice payments with 2001101 after a full consent", async () => {
    const t = await connect(s.url, { scope: WIDE, tenantId: 4567890 });
    expect(t.scope).toBe(WIDE); // the consent itself succeeds
    const lindqvist = apiClient(s.url, t.access_token);
    for (const path of ["invoices", "invoicepayments", "invoicepayments/1", "invoices/1"]) {
      const res = await lindqvist.get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.ErrorInformation, path).toEqual({ Error: 1, Message: "Det finns ingen aktiv licens för önskat scope.", Code: 2001101 });
    }
    for (const path of ["supplierinvoices", "supplierinvoicepayments", "vouchers", "accounts", "companyinformation"]) {
      expect((await lindqvist.get(path)).status, path).toBe(200);
    }
    // Switched through the control API: supplier invoices gone too, invoicing back.
    expect((await control(s.url, "tenants/4567890", { modules: ["bookkeeping", "invoicing"] })).status).toBe(200);
    expect((await lindqvist.get("invoicepayments")).status).toBe(200);
    for (const path of ["supplierinvoices", "supplierinvoicepayments"]) expect(JSON.stringify((await lindqvist.get(path)).body), path).toContain("2001101");
    expect((await control(s.url, "state")).body.tenants.find((x: { tenantId: number }) => x.tenantId === 4567890).modules).toEqual(["bookkeeping", "invoicing"]);
    expect((await control(s.url, "tenants/4567890", { modules: ["faktura"] })).status).toBe(400);
    // The scope is checked before the licence.
    const narrow = apiClient(s.url, (await connect(s.url, { scope: "bookkeeping", tenantId: 4567890 })).access_token);
    expect((await narrow.get("supplierinvoices")).body.ErrorInformation.Code).toBe("2000663");
  });

  it("supplier invoice payments need the payment scope, not supplierinvoice", async () => {
    const sup = apiClient(s.url, (await connect(s.url, { scope: "supplierinvoice" })).access_token);
    expect((await sup.get("supplierinvoices")).status).toBe(200);
    expect((await sup.get("supplierinvoicepayments")).body.ErrorInformation.Code).toBe("2000663");
    const pay = apiClient(s.url, (await connect(s.url, { scope: "payment" })).access_token);
    expect((await pay.get("supplierinvoicepayments")).status).toBe(200);
  });

  it("a tenant without the module's licence gets 403 with 2001101", async () => {
    await control(s.url, "tenants/1234567", { licences: ["bookkeeping", "companyinformation", "profile"] });
    const res = await api.get("invoices");
    expect(res.status).toBe(403);
    expect(res.body.ErrorInformation.Code).toBe(2001101);
    expect((await api.get("vouchers")).status).toBe(200);
    // Only that tenant.
    const other = apiClient(s.url, (await connect(s.url, { tenantId: 3456789 })).access_token);
    expect((await other.get("invoices")).status).toBe(200);
  });

  it("ErrorInformation comes in Fortnox's mixed casing, code sometimes a string", async () => {
    expect((await api.get("accounts/1999")).body).toEqual({ ErrorInformation: { error: 1, message: "Kan inte hitta kontot.", code: 2000423 } });
    expect((await api.get("invoices/99999")).body).toEqual({ ErrorInformation: { Error: 1, Message: "Kan inte hitta fakturan.", Code: 2000434 } });
    expect((await api.get("supplierinvoices/99999")).body).toEqual({ ErrorInformation: { Error: 1, Message: "Kan inte hitta leverantörsfakturan.", Code: "2000434" } });
  });

  it("unknown paths are 404 with a {message} body", async () => {
    const res = await api.get("nonexistent");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Not Found" });
  });
});

describe("ledgers while the current year is running", () => {
  // The default current year is the clock's: generated whole, so part of it lies ahead of today, and the payments
  // generated after its year end lie in the future.
  let live: SandboxServer;
  beforeAll(async () => {
    live = await start({});
  });
  afterAll(() => live.close());

  async function view() {
    const a = apiClient(live.url, (await connect(live.url)).access_token);
    const years = (await a.get("financialyears")).body.FinancialYears;
    return {
      a, yearEnd: years.at(-1).ToDate as string,
      invoices: (await a.all("invoices", "Invoices")).map((x) => InvoiceSchema.parse(x)),
      payments: (await allPaymentsWithCurrency(a, "invoicepayments")).map((x) => InvoicePaymentSchema.parse(x)),
      supplierPayments: await a.all("supplierinvoicepayments", "SupplierInvoicePayments"),
    };
  }

  it("lists the payments of the books and those made by today; every Balance is Total minus the listed payments", async () => {
    const { a, yearEnd, invoices, payments, supplierPayments } = await view();
    expect(payments.every((p) => p.paymentDate <= yearEnd)).toBe(true);
    expect(supplierPayments.every((p) => p.PaymentDate <= yearEnd)).toBe(true);
    for (const i of invoices.filter((x) => !x.cancelled)) {
      const paid = payments.filter((p) => p.invoiceNumber === i.documentNumber).reduce((sum, p) => sum + (p.amountCurrencyMinor ?? p.amountOre), 0);
      expect([i.documentNumber, i.balanceMinor]).toEqual([i.documentNumber, i.totalMinor - paid]);
    }
    // The ledger at the year end still matches the books, future-dated vouchers included.
    const ub = ore((await a.get("accounts/1510")).body.Account.BalanceCarriedForward);
    expect(customerLedgerAtDate(invoices, payments, yearEnd).sumOre).toBe(ub);
    // Some months after the year end, the payments made after it have happened.
    await control(live.url, "clock", { advanceSeconds: 400 * 86400 });
    const later = await view();
    expect(later.payments.some((p) => p.paymentDate > yearEnd)).toBe(true);
    expect(later.invoices.filter((i) => i.balanceMinor > 0).length).toBeLessThan(invoices.filter((i) => i.balanceMinor > 0).length);
    expect(customerLedgerAtDate(later.invoices, later.payments, yearEnd).sumOre).toBe(ub);
  });
});
