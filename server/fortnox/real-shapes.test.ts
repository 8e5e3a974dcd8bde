import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, FULL_SCOPE, start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { buildUrl, createFortnoxClient } from "./http";
import { SlidingWindowLimiter } from "./limiter";
import { createFortnoxApi } from "./resources";
import { startServer, type TestServer } from "./testing/http-server";
import { FORTNOX_SCOPES } from "./oauth";
import { FORTNOX_REGISTERED_SCOPES, missingAttachmentScopes, scopesToRequest } from "./scopes";

// The client against Fortnox's real answer shapes (OpenAPI file, .NET SDK), over HTTP against the sandbox in
// both settings where the sources disagree.

const WIDE = [...FULL_SCOPE.split(" "), "profile"];
const registration = { clients: [{ clientId: CLIENT_ID, clientSecret: "sandbox-secret", scopes: WIDE }] };

describe("scopes asked", () => {
  it("only what features use: no profile, no archive; inbox and connectfile only for attachments", () => {
    expect([...FORTNOX_SCOPES]).toEqual(["bookkeeping", "companyinformation", "invoice", "payment", "supplierinvoice", "settings"]);
    expect(FORTNOX_REGISTERED_SCOPES).not.toContain("profile");
    expect(FORTNOX_REGISTERED_SCOPES).not.toContain("archive");
    expect(scopesToRequest()).toEqual([...FORTNOX_SCOPES]);
    expect(scopesToRequest({ attachments: true })).toEqual([...FORTNOX_SCOPES, "inbox", "connectfile"]);
    // A reconnect keeps what was granted before.
    expect(scopesToRequest({ granted: ["bookkeeping", "inbox", "connectfile"] })).toEqual([...FORTNOX_SCOPES, "inbox", "connectfile"]);
    expect(missingAttachmentScopes([...FORTNOX_SCOPES])).toEqual(["inbox", "connectfile"]);
    expect(missingAttachmentScopes([...FORTNOX_SCOPES, "inbox"])).toEqual(["connectfile"]);
    expect(missingAttachmentScopes([])).toEqual([]); // not known: never blocks
  });
});

describe("query strings", () => {
  it("a space is %20, never +; a literal + stays %2B", () => {
    expect(buildUrl("https://api.fortnox.se/3", "/invoicepayments", { lastmodified: "2025-12-17 00:00", q: "a+b" })).toBe(
      "https://api.fortnox.se/3/invoicepayments?lastmodified=2025-12-17%2000%3A00&q=a%2Bb",
    );
  });
});

describe.each([
  ["MeInformation (OpenAPI file)", "MeInformation" as const],
  ["Me (.NET SDK)", "Me" as const],
])("GET /me answered as %s", (_name, meEnvelope) => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await start({ currentYear: 2025, meEnvelope, ...registration });
  });
  afterAll(() => sandbox?.close());

  it("is read either way", async () => {
    const { api } = await sandboxApi(sandbox.url, 1_234_567, {}, WIDE.join(" "));
    expect(await api.getMe()).toEqual({ id: "1", name: "Anna Andersson", email: "anna@demokonsult.example", sysAdmin: true, locale: "sv_SE" });
  });
});

describe("payments: lists without AmountCurrency, single payments with it", () => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await start({ currentYear: 2025 });
  });
  afterAll(() => sandbox?.close());

  it("customer and supplier payments", async () => {
    const { api } = await sandboxApi(sandbox.url, 1_234_567);
    for (const [list, single] of [
      [api.listInvoicePayments, api.getInvoicePayment],
      [api.listSupplierInvoicePayments, api.getSupplierInvoicePayment],
    ] as const) {
      const all = await list({ lastmodified: "2025-01-01 00:00" });
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((p) => p.amountCurrencyMinor === null)).toBe(true);
      const eur = all.find((p) => p.currency === "EUR")!;
      const one = await single(eur.number!);
      expect(one).toMatchObject({ number: eur.number, invoiceNumber: eur.invoiceNumber, amountOre: eur.amountOre, currency: "EUR" });
      expect(one.amountCurrencyMinor).toBeGreaterThan(0);
      expect(one.amountCurrencyMinor!).toBeLessThan(eur.amountOre);
    }
  });
});

// Answers shaped like the real API's (OpenAPI file, .NET SDK, Fortnox's docs), served over HTTP by a local server:
// what the sandbox does not play, because no source settles that Fortnox sends it, yet nothing forbids it.
describe("answers shaped like the real API", () => {
  let server: TestServer;
  let answer: { status: number; body: string | Buffer; headers?: Record<string, string> } = { status: 200, body: "{}" };
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
      res.end(answer.body);
    });
  });
  afterAll(() => server?.close());
  const api = () =>
    createFortnoxApi(
      createFortnoxClient({ apiUrl: `${server.url}/3`, getAccessToken: async () => "t", limiterKey: "real-shapes", limiter: new SlidingWindowLimiter(), retries: 0 }),
    );
  const json = (status: number, body: unknown, headers?: Record<string, string>) => {
    answer = { status, body: typeof body === "string" ? body : JSON.stringify(body), headers };
  };

  it("the OpenAPI list items and single resources, with nulls, strings for numbers and unknown keys", async () => {
    json(200, {
      MetaInformation: { "@TotalResources": 1, "@TotalPages": 1, "@CurrentPage": 1 },
      // fortnox_InvoicePaymentListItem: Number is a string, InvoiceNumber an integer.
      InvoicePayments: [{ "@url": "u", Amount: 1250.5, Booked: true, Currency: "SEK", CurrencyRate: 1, CurrencyUnit: 1, InvoiceNumber: 5, Number: "7", PaymentDate: "2024-01-20", Source: "manual", WriteOffExist: false }],
    });
    expect(await api().listInvoicePayments()).toEqual([
      { number: 7, invoiceNumber: "5", amountOre: 125050, amountCurrencyMinor: null, currency: "SEK", currencyRate: 1, currencyUnit: 1, paymentDate: "2024-01-20", booked: true },
    ]);
    // fortnox_SupplierInvoiceListItem: Total, Balance and CurrencyRate are strings; no OCR, no voucher reference.
    json(200, {
      SupplierInvoices: [{ "@url": "u", AuthorizerName: null, Balance: "1250.50", Booked: true, Cancel: false, CostCenter: null, Credit: false, Currency: "EUR", CurrencyRate: "11.2345", CurrencyUnit: 1, DueDate: "2024-02-01", FinalPayDate: null, GivenNumber: "12", InvoiceDate: "2024-01-01", InvoiceNumber: "4711", Project: null, SupplierName: "Leverantören AB", SupplierNumber: "3", Total: "1250.50", Vouchers: [{ Number: 12, Series: "D", ReferenceType: "SUPPLIERINVOICE" }] }],
    });
    expect(await api().listSupplierInvoices()).toMatchObject([{ givenNumber: "12", totalMinor: 125050, balanceMinor: 125050, currencyRate: 11.2345, cancelled: false, ocr: "", voucherSeries: null }]);
    // fortnox_VoucherFileConnection: VoucherNumber is a string.
    json(200, { VoucherFileConnection: { "@url": "u", FileId: "f-1", Name: "kvitto.pdf", VoucherDescription: "d", VoucherNumber: "12", VoucherSeries: "A", VoucherYear: 3 } });
    expect(await api().getVoucherFileConnection("f-1")).toMatchObject({ fileId: "f-1", voucherNumber: 12, voucherSeries: "A", voucherYear: 3 });
    json(200, { CompanyInformation: { Address: null, City: null, CompanyName: "Bolaget AB", CountryCode: "SE", DatabaseNumber: "123456", OrganizationNumber: "556677-8899", ZipCode: null } });
    expect(await api().getCompanyInformation()).toMatchObject({ companyName: "Bolaget AB", databaseNumber: 123456, address: "" });
    json(200, { VoucherSeriesCollection: [{ "@url": "u", Approver: { Id: 0, Name: "" }, Code: "A", Description: "Redovisning", Manual: true, Year: 3 }] });
    expect(await api().listVoucherSeries(3)).toEqual([{ code: "A", description: "Redovisning", manual: true, year: 3, nextVoucherNumber: null }]);
  });

  it("null where a list is expected is an empty list: a voucher's rows, a page's items", async () => {
    json(200, { Voucher: { "@url": "u", Comments: null, Description: "Ingående moms", ReferenceNumber: null, ReferenceType: null, TransactionDate: "2024-01-01", VoucherNumber: 1, VoucherRows: null, VoucherSeries: "A", Year: 3 } });
    expect(await api().getVoucher("A", 1, 3)).toMatchObject({ series: "A", number: 1, comments: "", rows: [] });
    json(200, { MetaInformation: { "@TotalResources": 0, "@TotalPages": 0, "@CurrentPage": 1 }, Vouchers: null });
    expect(await api().listVouchers(3)).toEqual([]);
    // A missing list key is not "empty": the answer is unreadable.
    json(200, { MetaInformation: { "@TotalResources": 0, "@TotalPages": 0, "@CurrentPage": 1 } });
    await expect(api().listVouchers(3)).rejects.toMatchObject({ kind: "unexpected_response" });
  });
});
