import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, FULL_SCOPE, start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { buildUrl, createFortnoxClient } from "./http";
import { SlidingWindowLimiter } from "./limiter";
import { createFortnoxApi } from "./resources";
import { startServer, type TestServer } from "./testing/http-server";
import { FortnoxApiError, FortnoxAuthError } from "./errors";
import { createFortnoxOAuth, FORTNOX_SCOPES } from "./oauth";
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
  it("paging: a page that says it is another page fails instead of counting its payments twice", async () => {
    const payment = { Amount: 100, Currency: "SEK", InvoiceNumber: 5, Number: "7", PaymentDate: "2024-01-20" };
    json(200, { MetaInformation: { "@TotalResources": 2, "@TotalPages": 2, "@CurrentPage": 1 }, InvoicePayments: [payment] });
    await expect(api().listInvoicePayments()).rejects.toMatchObject({ kind: "unexpected_response", message: expect.stringContaining("@CurrentPage 1") });
    // @CurrentPage as text, or absent, is fine.
    json(200, { MetaInformation: { "@TotalResources": 1, "@TotalPages": "1", "@CurrentPage": "1" }, InvoicePayments: [payment] });
    expect(await api().listInvoicePayments()).toHaveLength(1);
  });

  const latin1 = (status: number, body: unknown) => {
    answer = { status, body: Buffer.from(JSON.stringify(body), "latin1"), headers: { "Content-Type": "application/json; charset=ISO-8859-1" } };
  };
  const bom = (status: number, body: unknown) => {
    answer = { status, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(body))]), headers: { "Content-Type": "application/json; charset=utf-8" } };
  };
  const raw = (status: number, body: string, contentType = "text/html") => {
    answer = { status, body, headers: { "Content-Type": contentType } };
  };
  const failure = async (read: (a: ReturnType<typeof api>) => Promise<unknown>) => {
    try {
      await read(api());
    } catch (err) {
      expect(err).toBeInstanceOf(FortnoxApiError);
      return err as FortnoxApiError;
    }
    throw new Error("expected a FortnoxApiError");
  };
  const lockedPeriod = (a: ReturnType<typeof api>) => a.getLockedPeriod();

  it("error texts are read in the declared charset and HTML-decoded before they are matched", async () => {
    latin1(400, { ErrorInformation: { error: 1, message: "Konto 3001 är inte aktivt", code: 2000550 } });
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "account_inactive", account: 3001 });
    json(400, { ErrorInformation: { Error: 1, Message: "Konto 3001 &auml;r inte aktivt", Code: "2000550" } });
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "account_inactive", account: 3001 });
    json(400, { ErrorInformation: { error: 1, message: "Anv&#228;ndare har l&aring;st perioden t.o.m. 2024-06-30" } });
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "period_locked", lockedUntil: "2024-06-30" });
    json(400, { ErrorInformation: { error: 1, message: "V&auml;rdet inneh&aring;ller ej till&aring;tna tecken" } });
    expect((await failure(lockedPeriod)).kind).toBe("invalid_characters");
    // A UTF-8 byte-order mark, on an error and on a success.
    bom(400, { ErrorInformation: { Error: 1, Message: "Bokföringsdatumet ligger i en automatlåst period", Code: 2002141 } });
    expect((await failure(lockedPeriod)).kind).toBe("period_auto_locked");
    bom(200, { LockedPeriod: { EndDate: "2024-06-30" } });
    expect(await api().getLockedPeriod()).toEqual({ endDate: "2024-06-30" });
    latin1(200, { CompanyInformation: { CompanyName: "Åkeri & Söner AB", DatabaseNumber: 1 } });
    expect((await api().getCompanyInformation()).companyName).toBe("Åkeri & Söner AB");
  });

  it("a cut-off error body still gives its code; a cut-off code gives no kind it does not prove", async () => {
    raw(400, '{"ErrorInformation":{"error":1,"message":"Kan inte hitta kontot 1999.","code":2000423,"', "application/json");
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "account_not_found", code: 2000423, account: 1999 });
    raw(400, '{"ErrorInformation":{"Error":1,"Message":"Anv\u00e4ndare har l\u00e5st perioden t.o.m. 2024-06-30', "application/json");
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "period_locked", lockedUntil: "2024-06-30" });
    raw(403, '{"ErrorInformation":{"error":1,"message":"Det finns ingen aktiv licens","code":20011', "application/json");
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "unauthorized", code: undefined });
  });

  it("answers that are not Fortnox's JSON: a proxy's HTML, plain text, an empty body, 429 with and without Retry-After", async () => {
    raw(502, "<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>");
    const bad = await failure(lockedPeriod);
    expect(bad).toMatchObject({ kind: "server_error", status: 502 });
    expect(bad.message).not.toMatch(/[<>{]/);
    raw(401, "", "text/plain");
    expect((await failure(lockedPeriod)).kind).toBe("unauthorized");
    raw(403, "Forbidden", "text/plain");
    expect((await failure(lockedPeriod)).kind).toBe("unauthorized");
    json(404, { message: "Not Found" });
    expect((await failure(lockedPeriod)).kind).toBe("not_found");
    json(429, { message: "Too Many Requests" });
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "rate_limited", retryAfterMs: undefined });
    json(429, { message: "Too Many Requests" }, { "Retry-After": "2" });
    expect(await failure(lockedPeriod)).toMatchObject({ kind: "rate_limited", retryAfterMs: 2000 });
    raw(200, "<html>Planerat underhåll</html>");
    expect((await failure(lockedPeriod)).kind).toBe("unexpected_response");
  });

  it("OAuth answers: a cut-off dead-token body, a gateway's HTML, a Latin-1 body", async () => {
    const oauth = createFortnoxOAuth({ oauthUrl: `${server.url}/oauth-v1`, clientId: "c", clientSecret: "s" });
    const authFailure = async () => {
      try {
        await oauth.refresh("r-1");
      } catch (err) {
        expect(err).toBeInstanceOf(FortnoxAuthError);
        return err as FortnoxAuthError;
      }
      throw new Error("expected a FortnoxAuthError");
    };
    raw(400, '{"error":"invalid_grant","error_description":"Invalid refresh to', "application/json");
    expect((await authFailure()).kind).toBe("refresh_token_dead");
    raw(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
    expect((await authFailure()).kind).toBe("server_error");
    latin1(200, { access_token: "a.b.c", refresh_token: "r-2", scope: "bookkeeping", expires_in: "3600", token_type: "bearer" });
    expect(await oauth.refresh("r-1")).toMatchObject({ accessToken: "a.b.c", refreshToken: "r-2", expiresIn: 3600 });
  });
});
