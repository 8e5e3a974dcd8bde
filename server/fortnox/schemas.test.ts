import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { kronorToOre, multiplyByRate, parseDecimalText } from "./money";
import {
  AccountSchema,
  envelope,
  FinancialYearSchema,
  InvoicePaymentSchema,
  InvoiceSchema,
  LockedPeriodSchema,
  MeSchema,
  SupplierInvoicePaymentSchema,
  SupplierInvoiceSchema,
  VoucherSchema,
  VoucherSeriesSchema,
  VoucherSummarySchema,
} from "./schemas";

describe("kronorToOre", () => {
  it.each([
    [1234.5, 123450],
    ["1234.50", 123450],
    ["1234,50", 123450],
    ["1 234,50", 123450],
    ["1\u00a0234,5", 123450],
    ["1,234.50", 123450],
    ["1.234,50", 123450],
    ["-0,01", -1],
    ["\u22125", -500],
    [0.1 + 0.2, 30],
    [1.005, 101], // String(1.005) === "1.005": half away from zero on the decimal text, not the float
    ["12.345", 1235],
    ["-12.345", -1235],
    [0, 0],
    [-0, 0],
    ["+7", 700],
    [".5", 50],
  ])("%j → %i öre", (input, expected) => {
    expect(kronorToOre(input)).toBe(expected);
  });

  it.each(["", "abc", "1e5", "1,2,3", "--1", NaN, Infinity])("rejects %j", (input) => {
    expect(() => kronorToOre(input as number | string)).toThrow(TypeError);
  });

  it("is exact for every two-decimal amount, as number or text (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 13), max: 10 ** 13 }), (ore) => {
        const kr = ore / 100;
        expect(kronorToOre(kr)).toBe(ore);
        expect(kronorToOre(kr.toFixed(2))).toBe(ore);
        expect(kronorToOre(kr.toFixed(2).replace(".", ","))).toBe(ore);
      }),
    );
  });

  it("multiplies by a rate exactly", () => {
    expect(multiplyByRate(10000, "11.2345")).toBe(112345); // 100.00 EUR × 11.2345
    expect(multiplyByRate(1, 0.5)).toBe(1); // half away from zero
    expect(multiplyByRate(-1, 0.5)).toBe(-1);
    expect(multiplyByRate(100000, "6.5", 100)).toBe(6500); // 1000 JPY at 6.50 SEK per 100
    expect(parseDecimalText("0010.100")).toEqual({ digits: 10100n, scale: 3 });
  });
});

describe("schemas", () => {
  it("Me and FinancialYear with mixed casing", () => {
    expect(envelope("Me", MeSchema).parse({ me: { id: "u1", NAME: "Anna", Email: "a@x.se", SysAdmin: 1 } })).toEqual({
      id: "u1",
      name: "Anna",
      email: "a@x.se",
      sysAdmin: true,
      locale: "",
    });
    expect(
      FinancialYearSchema.parse({ id: "3", fromdate: "2024-01-01", ToDate: "2024-12-31", AccountingMethod: "accrual", Junk: 1 }),
    ).toEqual({ id: 3, fromDate: "2024-01-01", toDate: "2024-12-31", accountChartType: "", accountingMethod: "ACCRUAL" });
  });

  it("Account: balances to öre, optional UB, SRU, Active default", () => {
    const list = AccountSchema.parse({ Number: 1510, Description: "Kundfordringar", BalanceBroughtForward: "12 345,67", SRU: "7251" });
    expect(list).toMatchObject({ number: 1510, active: true, balanceBroughtForwardOre: 1234567, sru: 7251 });
    expect(list.balanceCarriedForwardOre).toBeUndefined();
    const single = AccountSchema.parse({ Number: "2440", Active: false, BalanceBroughtForward: -500.5, BalanceCarriedForward: -1000, SRU: 0, Project: 0 });
    expect(single).toMatchObject({ active: false, balanceBroughtForwardOre: -50050, balanceCarriedForwardOre: -100000, sru: null, project: null });
  });

  it("Voucher rows: debit positive, credit negative, Removed 0/1/boolean, Project 0/''/text", () => {
    const v = VoucherSchema.parse({
      VoucherSeries: "A",
      VoucherNumber: "12",
      Year: 3,
      TransactionDate: "2024-03-01",
      Description: "Hyra",
      VoucherRows: [
        { Account: 5010, Debit: "10000.00", Credit: 0, Removed: 0, Project: 0 },
        { account: "1930", debit: 0, credit: 10000, removed: false, project: "" },
        { Account: 1930, Debit: 5, Credit: 0, Removed: 1, Project: "P1", Quantity: "1,5" },
        { Account: 1930, Debit: 0, Credit: 5, Removed: "true", CostCenter: "KS" },
      ],
    });
    expect(v.rows.map((r) => [r.account, r.amountOre, r.removed, r.project])).toEqual([
      [5010, 1000000, false, null],
      [1930, -1000000, false, null],
      [1930, 500, true, "P1"],
      [1930, -500, true, null],
    ]);
    expect(v.rows[2].quantity).toBe(1.5);
    expect(v.rows[3].costCenter).toBe("KS");
    expect(v).toMatchObject({ series: "A", number: 12, year: 3 });
  });

  it("VoucherSummary keeps @url and needs no rows", () => {
    expect(
      VoucherSummarySchema.parse({ "@url": "https://x/3/vouchers/A/1", VoucherSeries: "A", VoucherNumber: 1, Year: 3, TransactionDate: "2024-01-02" }),
    ).toMatchObject({ url: "https://x/3/vouchers/A/1", referenceNumber: null });
  });

  it("VoucherSeries and LockedPeriod", () => {
    expect(VoucherSeriesSchema.parse({ Code: "K", Description: "Kassa", Manual: "true", Year: 3, Approver: { Id: 1 } })).toEqual({
      code: "K",
      description: "Kassa",
      manual: true,
      year: 3,
      nextVoucherNumber: null,
    });
    expect(envelope("LockedPeriod", LockedPeriodSchema).parse({ LockedPeriod: { EndDate: "" } })).toEqual({ endDate: null });
    expect(LockedPeriodSchema.parse({ enddate: "2024-06-30" })).toEqual({ endDate: "2024-06-30" });
  });

  it("Invoice: EUR totals stay in currency minor units; credit notes negative", () => {
    const inv = InvoiceSchema.parse({
      DocumentNumber: 101,
      CustomerNumber: "7",
      CustomerName: "Kund AB",
      InvoiceDate: "2024-12-01",
      DueDate: "2024-12-31",
      Total: 1000.5,
      Balance: "250,25",
      Currency: "eur",
      CurrencyRate: "11.50",
      Booked: true,
      Cancelled: false,
    });
    expect(inv).toMatchObject({ documentNumber: "101", totalMinor: 100050, balanceMinor: 25025, currency: "EUR", currencyRate: 11.5, currencyUnit: 1 });
    const credit = InvoiceSchema.parse({ DocumentNumber: "102", InvoiceDate: "2024-12-02", Total: 100, Balance: 0, Credit: true });
    expect(credit).toMatchObject({ totalMinor: -10000, credit: true, currency: "SEK", currencyRate: 1 });
  });

  it("SupplierInvoice: string Balance/Total/CurrencyRate, Cancel on lists, Cancelled on single", () => {
    const fromList = SupplierInvoiceSchema.parse({
      GivenNumber: "55",
      SupplierNumber: 3,
      SupplierName: "Lev AB",
      InvoiceNumber: "F-9",
      InvoiceDate: "2024-11-30",
      Total: "1 250,00",
      Balance: "1250.00",
      CurrencyRate: "1",
      Cancel: 1,
    });
    expect(fromList).toMatchObject({ givenNumber: "55", supplierNumber: "3", totalMinor: 125000, balanceMinor: 125000, cancelled: true, currencyRate: 1 });
    expect(SupplierInvoiceSchema.parse({ GivenNumber: 56, InvoiceDate: "2024-11-30", Cancelled: true }).cancelled).toBe(true);
    expect(SupplierInvoiceSchema.parse({ GivenNumber: 57, InvoiceDate: "2024-11-30" }).cancelled).toBe(false);
  });

  it("payments: InvoiceNumber as string, Amount to öre", () => {
    expect(SupplierInvoicePaymentSchema.parse({ Number: 1, InvoiceNumber: "55", Amount: "500.10", PaymentDate: "2025-01-05", Booked: 1 })).toEqual({
      number: 1,
      invoiceNumber: "55",
      amountOre: 50010,
      amountCurrencyMinor: null,
      currency: "SEK",
      currencyRate: 1,
      currencyUnit: 1,
      paymentDate: "2025-01-05",
      booked: true,
    });
    expect(InvoicePaymentSchema.parse({ number: 2, invoicenumber: 101, amount: 2875, amountcurrency: 250, currency: "EUR", currencyrate: 11.5, paymentdate: "2024-12-20" })).toMatchObject({
      invoiceNumber: "101",
      amountOre: 287500,
      amountCurrencyMinor: 25000,
    });
  });

  it("rejects garbage with a path, not a crash", () => {
    const r = AccountSchema.safeParse({ Number: "x", BalanceBroughtForward: "lots" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["Number", "BalanceBroughtForward"]));
  });
});
