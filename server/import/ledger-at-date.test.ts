import { describe, expect, it } from "vitest";
import {
  InvoicePaymentSchema, InvoiceSchema, SupplierInvoicePaymentSchema, SupplierInvoiceSchema,
} from "@/server/fortnox/schemas";
import { customerLedgerAtDate, supplierLedgerAtDate } from "./ledger-at-date";

// Hand-computed cases. Inputs go through the Fortnox schemas from Fortnox-shaped JSON, as the importer does.
// Amounts below are öre (or cents): 10 000,00 kr = 1_000_000.

const CLOSING = "2025-12-31";

const inv = (n: string, date: string, total: number | string, extra: Record<string, unknown> = {}) =>
  InvoiceSchema.parse({
    DocumentNumber: n, CustomerNumber: "1001", CustomerName: "Kund AB", InvoiceDate: date, DueDate: null, Total: total,
    // Balance is today's, not the closing date's: 0 here on purpose, the ledger must not look at it.
    Balance: 0, Currency: "SEK", CurrencyRate: 1, CurrencyUnit: 1, Booked: true, Cancelled: false, ...extra,
  });
const pay = (invoiceNumber: string | number, date: string, amount: number | string, extra: Record<string, unknown> = {}) =>
  InvoicePaymentSchema.parse({ InvoiceNumber: invoiceNumber, PaymentDate: date, Amount: amount, Currency: "SEK", Booked: true, ...extra });

const sup = (given: string, date: string, total: string, extra: Record<string, unknown> = {}) =>
  SupplierInvoiceSchema.parse({
    GivenNumber: given, SupplierNumber: "2001", SupplierName: "Lev AB", InvoiceNumber: `X-${given}`, InvoiceDate: date,
    Total: total, Balance: "0.00", Currency: "SEK", CurrencyRate: "1", CurrencyUnit: 1, Booked: true, Cancel: false, ...extra,
  });
const supPay = (invoiceNumber: string, date: string, amount: number | string, extra: Record<string, unknown> = {}) =>
  SupplierInvoicePaymentSchema.parse({ InvoiceNumber: invoiceNumber, PaymentDate: date, Amount: amount, Currency: "SEK", Booked: true, ...extra });

const open = (l: ReturnType<typeof customerLedgerAtDate>) => Object.fromEntries(l.items.map((i) => [i.invoiceNumber, i.openOre]));

describe("customer ledger at the closing date", () => {
  it("a partial payment leaves the rest open", () => {
    const l = customerLedgerAtDate([inv("1", "2025-11-10", 10000)], [pay(1, "2025-12-05", 4000)], CLOSING);
    expect(l.items).toHaveLength(1);
    expect(l.items[0]).toMatchObject({ invoiceNumber: "1", totalOre: 1_000_000, openOre: 600_000, openCurrency: 600_000, currency: "SEK" });
    expect(l.sumOre).toBe(600_000);
  });

  it("two partial payments that together settle the invoice close it", () => {
    const l = customerLedgerAtDate([inv("1", "2025-11-10", 10000)], [pay(1, "2025-11-20", 2500.5), pay(1, "2025-12-31", "7499.50")], CLOSING);
    expect(l.items).toEqual([]);
    expect(l.sumOre).toBe(0);
  });

  it("a payment after the closing date does not count; one on the date does", () => {
    const l = customerLedgerAtDate(
      [inv("2", "2025-12-20", 2500), inv("3", "2025-12-01", 800)],
      [pay(2, "2026-01-15", 2500), pay(3, CLOSING, 800)],
      CLOSING,
    );
    expect(open(l)).toEqual({ "2": 250_000 });
    // The same data a month later: both settled.
    expect(customerLedgerAtDate([inv("2", "2025-12-20", 2500)], [pay(2, "2026-01-15", 2500)], "2026-01-31").items).toEqual([]);
  });

  it("an invoice dated after the closing date is not in the ledger; a prepayment for it is reported, not subtracted", () => {
    const l = customerLedgerAtDate([inv("7", "2026-01-05", 1000), inv("8", "2025-12-15", 300)], [pay(7, "2025-12-30", 1000)], CLOSING);
    expect(open(l)).toEqual({ "8": 30_000 });
    expect(l.unmatchedPayments).toEqual([{ invoiceNumber: "7", paymentDate: "2025-12-30", amountOre: 100_000, reason: "invoice_after_date" }]);
  });

  it("cancelled invoices are left out, and payments on them reported", () => {
    const l = customerLedgerAtDate(
      [inv("6", "2025-12-02", 3000, { Cancelled: true }), inv("9", "2025-12-03", 100)],
      [pay(6, "2025-12-03", 300), pay(999, "2025-12-04", 50)],
      CLOSING,
    );
    expect(open(l)).toEqual({ "9": 10_000 });
    expect(l.sumOre).toBe(10_000);
    expect(l.unmatchedPayments.map((p) => [p.invoiceNumber, p.reason])).toEqual([["6", "invoice_cancelled"], ["999", "invoice_unknown"]]);
  });

  it("a credit note is a negative item; its refund (negative, or sent as a magnitude) reduces it", () => {
    const credit = inv("4", "2025-12-28", -500);
    expect(customerLedgerAtDate([credit], [], CLOSING).items[0]).toMatchObject({ totalOre: -50_000, openOre: -50_000 });
    expect(customerLedgerAtDate([credit], [pay(4, "2025-12-30", -200)], CLOSING).sumOre).toBe(-30_000);
    expect(customerLedgerAtDate([credit], [pay(4, "2025-12-30", 200)], CLOSING).sumOre).toBe(-30_000);
    // Fortnox may flag it Credit with a positive total: still negative.
    expect(customerLedgerAtDate([inv("5", "2025-12-28", 500, { Credit: true })], [], CLOSING).sumOre).toBe(-50_000);
  });

  it("EUR items stay in EUR and are valued at the invoice's rate, also after a payment at another rate", () => {
    // 2 000,00 EUR at 11,00: 22 000,00 kr on 1510. 500,00 EUR paid when EUR stood at 11,20 (5 600,00 kr, the 100 kr
    // difference went to 3960): 1 500,00 EUR open, worth 16 500,00 kr at the invoice's rate.
    const eur = inv("10", "2025-11-01", 2000, { Currency: "EUR", CurrencyRate: 11 });
    const l = customerLedgerAtDate([eur], [pay(10, "2025-12-01", 5600, { AmountCurrency: 500, Currency: "EUR" })], CLOSING);
    expect(l.items[0]).toMatchObject({ currency: "EUR", currencyRate: 11, totalOre: 2_200_000, openCurrency: 150_000, openOre: 1_650_000 });
    // Unpaid at the date (paid in January): all of it, rounded half away from zero: 1 000,01 EUR × 11,2345 = 11 234,61 kr.
    const odd = inv("11", "2025-12-10", "1000.01", { Currency: "EUR", CurrencyRate: "11.2345" });
    expect(customerLedgerAtDate([odd], [pay(11, "2026-01-10", 11300, { AmountCurrency: 1000.01, Currency: "EUR" })], CLOSING).items[0])
      .toMatchObject({ openCurrency: 100_001, openOre: 1_123_461 });
  });

  it("a partly paid EUR item is valued as the books hold it: each booking rounded to öre on its own", () => {
    // 1 000,01 EUR at 11,2345 was booked as 11 234,61 kr; 333,33 EUR paid took 3 744,80 kr off 1510 (333,33 × 11,2345
    // = 3 744,796…). 1510 keeps 7 489,81 kr, although 666,68 EUR × 11,2345 would round to 7 489,82.
    const eur = inv("13", "2025-11-01", "1000.01", { Currency: "EUR", CurrencyRate: "11.2345" });
    const l = customerLedgerAtDate([eur], [pay(13, "2025-12-01", 3800, { AmountCurrency: "333.33", Currency: "EUR" })], CLOSING);
    expect(l.items[0]).toMatchObject({ openCurrency: 66_668, totalOre: 1_123_461, openOre: 1_123_461 - 374_480 });
  });

  it("without AmountCurrency, a foreign payment's SEK amount is taken back at the invoice's rate", () => {
    const eur = inv("12", "2025-11-01", 1000, { Currency: "EUR", CurrencyRate: 11.5 });
    const l = customerLedgerAtDate([eur], [pay(12, "2025-12-01", 5750)], CLOSING); // 5 750 kr / 11,5 = 500 EUR
    expect(l.items[0]).toMatchObject({ openCurrency: 50_000, openOre: 575_000 });
    // Not a whole number of cents: 1 000,01 kr is 86,96 EUR, and 1510 lost exactly 1 000,01 kr.
    const odd = customerLedgerAtDate([eur], [pay(12, "2025-12-01", "1000.01")], CLOSING);
    expect(odd.items[0]).toMatchObject({ openCurrency: 100_000 - 8_696, openOre: 1_150_000 - 100_001 });
  });

  it("the example year: every case at once sums to what 1510 must hold", () => {
    const l = customerLedgerAtDate(
      [
        inv("1", "2025-11-10", 10000), // partial: 6 000 open
        inv("2", "2025-12-20", 2500), // paid in January: 2 500 open
        inv("3", "2025-10-01", 1250), // paid: closed
        inv("4", "2025-12-28", -500), // credit note: -500
        inv("5", "2025-12-01", 1000, { Currency: "EUR", CurrencyRate: 11.25 }), // 1 000 EUR unpaid: 11 250
        inv("6", "2025-12-02", 3000, { Cancelled: true }),
        inv("7", "2026-01-05", 1000),
      ],
      [pay(1, "2025-12-05", 4000), pay(2, "2026-01-15", 2500), pay(3, "2025-10-20", 1250), pay(5, "2026-01-10", 11400, { AmountCurrency: 1000, Currency: "EUR" }), pay(6, "2025-12-03", 300), pay(7, "2025-12-30", 1000)],
      CLOSING,
    );
    expect(open(l)).toEqual({ "1": 600_000, "2": 250_000, "4": -50_000, "5": 1_125_000 });
    expect(l.sumOre).toBe(600_000 + 250_000 - 50_000 + 1_125_000);
    expect(l.unmatchedPayments.map((p) => p.reason).sort()).toEqual(["invoice_after_date", "invoice_cancelled"]);
  });

  it("bookedOnly leaves out unbooked invoices and payments", () => {
    const invoices = [inv("1", "2025-12-01", 1000), inv("2", "2025-12-02", 400, { Booked: false })];
    const payments = [pay(1, "2025-12-10", 600, { Booked: false })];
    expect(customerLedgerAtDate(invoices, payments, CLOSING).sumOre).toBe(40_000 + 40_000);
    const booked = customerLedgerAtDate(invoices, payments, CLOSING, { bookedOnly: true });
    expect(booked.sumOre).toBe(100_000);
    expect(open(booked)).toEqual({ "1": 100_000 });
  });

  it("sorts by customer, date and number, and refuses a malformed date", () => {
    const l = customerLedgerAtDate(
      [inv("10", "2025-12-01", 1, { CustomerNumber: "1002" }), inv("9", "2025-12-01", 1, { CustomerNumber: "1002" }), inv("3", "2025-12-05", 1, { CustomerNumber: "200" })],
      [],
      CLOSING,
    );
    expect(l.items.map((i) => `${i.counterpartyNumber}/${i.invoiceNumber}`)).toEqual(["200/3", "1002/9", "1002/10"]);
    expect(() => customerLedgerAtDate([], [], "31/12/2025")).toThrow(RangeError);
  });
});

describe("supplier ledger at the closing date", () => {
  it("is in ledger sign (credit negative), with string-typed numbers as Fortnox sends them", () => {
    const l = supplierLedgerAtDate(
      [
        sup("1", "2025-12-01", "2000.00"), // 500 paid: 1 500 owed
        sup("2", "2025-12-10", "-300.00"), // supplier credit note: a claim on the supplier
        sup("3", "2025-12-11", "100.00", { Currency: "EUR", CurrencyRate: "11.50" }), // 100 EUR unpaid
        sup("4", "2025-12-12", "999.00", { Cancel: true }),
        sup("5", "2025-12-13", "250.00"), // paid after the date
      ],
      [supPay("1", "2025-12-15", "500.00"), supPay("4", "2025-12-20", "999.00"), supPay("5", "2026-01-20", 250)],
      CLOSING,
    );
    expect(Object.fromEntries(l.items.map((i) => [i.invoiceNumber, [i.openOre, i.openCurrency]]))).toEqual({
      "1": [-150_000, -150_000],
      "2": [30_000, 30_000],
      "3": [-115_000, -10_000],
      "5": [-25_000, -25_000],
    });
    expect(l.sumOre).toBe(-150_000 + 30_000 - 115_000 - 25_000);
    expect(l.items.find((i) => i.invoiceNumber === "1")!.externalInvoiceNumber).toBe("X-1");
    expect(l.unmatchedPayments).toEqual([{ invoiceNumber: "4", paymentDate: "2025-12-20", amountOre: 99_900, reason: "invoice_cancelled" }]);
  });

  it("fully paid invoices and fully refunded credit notes are not listed", () => {
    const l = supplierLedgerAtDate(
      [sup("1", "2025-12-01", "80.00"), sup("2", "2025-12-01", "-40.00"), sup("3", "2025-12-01", "10.00")],
      [supPay("1", "2025-12-02", "80.00"), supPay("2", "2025-12-03", "-40.00")],
      CLOSING,
    );
    expect(l.items.map((i) => i.invoiceNumber)).toEqual(["3"]);
    expect(l.sumOre).toBe(-1_000);
  });
});
