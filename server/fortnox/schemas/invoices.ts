// Customer and supplier invoices and their payments (the ledgers at the closing date).

import { z } from "zod";
import { ciObject, ore, oreOptional, rate, intOrNull, flag, text, textOrNull, dateOrNull, date } from "./fields";

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
