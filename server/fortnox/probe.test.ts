import { afterEach, describe, expect, it } from "vitest";
import { createFortnoxClient } from "./http";
import { SlidingWindowLimiter } from "./limiter";
import { probeFortnox, recordingFetch } from "./probe";
import { formatProbeReport } from "./probe-report";
import { sendJson, startServer, type TestServer } from "./testing/http-server";

// The probe's detection is generic: whatever shape Fortnox answers in, the report says it. A small HTTP server plays
// a Fortnox that answers the other way from our sandbox's defaults on every UNCONFIRMED point.

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function probeAgainst(answers: Record<string, (n: number) => [number, unknown, Record<string, string>?]>) {
  server = await startServer((req, res, n) => {
    const path = new URL(req.url!, "http://x").pathname.replace(/^\/3/, "");
    const answer = answers[path];
    if (!answer) return sendJson(res, 404, { ErrorInformation: { error: 1, message: "Not found", code: 2000000 } });
    const [status, body, headers] = answer(n);
    if (path.startsWith("/sie/")) {
      res.writeHead(status, { "Content-Type": "text/plain", ...headers });
      return res.end(String(body));
    }
    sendJson(res, status, body, { "X-RateLimit-Limit": "25", "X-RateLimit-Remaining": String(25 - n), ...headers });
  });
  const rec = recordingFetch();
  const client = createFortnoxClient({
    apiUrl: `${server.url}/3`, getAccessToken: async () => "not-a-jwt", limiterKey: "probe-test", limiter: new SlidingWindowLimiter(),
    fetch: rec.fetch, backoffBaseMs: 5,
  });
  return probeFortnox(client, rec, { apiUrl: `${server.url}/3`, today: "2025-06-01" });
}

describe("fortnox probe", () => {
  it("reports lists without Comments or AmountCurrency, a locked period without a date, MeInformation, rate-limit headers and Retry-After", async () => {
    let limited = false;
    const report = await probeAgainst({
      "/companyinformation": () => [200, { CompanyInformation: { CompanyName: "Bolaget AB", OrganizationNumber: "556677-8899", DatabaseNumber: 99 } }],
      "/me": () => [200, { MeInformation: { Id: "1", Name: "Eva" } }],
      "/financialyears": () => [200, { FinancialYears: [{ Id: 7, FromDate: "2024-01-01", ToDate: "2024-12-31" }, { Id: 8, FromDate: "2025-01-01", ToDate: "2025-12-31" }] }],
      "/accounts": () => [200, { Accounts: [{ Number: 1930 }] }],
      "/vouchers": () => [200, { Vouchers: [{ VoucherSeries: "A", VoucherNumber: 1, Description: "x" }] }],
      "/voucherseries": () => [200, { VoucherSeriesCollection: [] }],
      "/sie/1": () => [200, "#FLAGGA 0\r\n"],
      "/settings/lockedperiod": () => [200, { LockedPeriod: {} }],
      "/invoices": () => [403, { ErrorInformation: { error: 1, message: "Det finns ingen aktiv licens för önskat scope", code: 2001101 } }],
      "/invoicepayments": () => [200, { InvoicePayments: [{ Number: 1, Amount: 100, CurrencyRate: 1, CurrencyUnit: 1 }] }],
      "/supplierinvoices": () => [403, { ErrorInformation: { Error: 1, Message: "Saknar behörighet", Code: "2000663" } }],
      "/supplierinvoicepayments": () => {
        if (limited) return [200, { SupplierInvoicePayments: [] }];
        limited = true;
        return [429, { message: "Too many requests" }, { "Retry-After": "1" }];
      },
      "/voucherfileconnections": () => [500, { message: "Internal error" }],
    });
    expect(report.year).toEqual({ id: 8, from: "2025-01-01", to: "2025-12-31" });
    expect(report.company).toEqual({ name: "Bolaget AB", orgNr: "556677-8899", databaseNumber: "99" });
    expect(report.voucherListComments.answer).toBe("no");
    expect(report.paymentListAmountCurrency.invoicepayments.answer).toBe("no");
    expect(report.paymentListAmountCurrency.supplierinvoicepayments.answer).toBe("unknown");
    expect(report.lockedPeriod).toMatchObject({ answered: true, wrapper: true, hasDate: false, endDate: null });
    expect(report.meWrapperKey).toBe("MeInformation");
    expect(report.sieContentType).toBe("text/plain");
    expect(report.rateLimitHeaders["x-ratelimit-limit"]).toEqual(["25"]);
    expect(report.retryAfterSeen).toBe(true);
    expect(report.scopes).toEqual({ stored: null, token: null });
    const by = Object.fromEntries(report.endpoints.map((e) => [e.id, e.outcome]));
    expect(by.invoices).toEqual({ result: "no_licence", status: 403, code: 2001101 });
    expect(by.supplierinvoices).toEqual({ result: "missing_scope", status: 403, code: 2000663 });
    expect(by.voucherfileconnections).toMatchObject({ result: "other", status: 500 });
    expect(by.inbox).toMatchObject({ result: "other", status: 404, code: 2000000 });
    expect(report.requests).toMatchObject({ other: 0, http429: 1 });
    expect(server!.hits.every((h) => h.method === "GET")).toBe(true);
    expect(server!.hits.find((h) => h.url.startsWith("/3/sie/"))!.headers.accept).toBe("*/*");

    const text = formatProbeReport(report);
    expect(text).toMatch(/voucher lists carry Comments\s+no {2}\(GET \/3\/vouchers: the key is absent in the list item\)/);
    expect(text).toMatch(/locked period\s+the answer has no date \(nothing locked\?\): \{"LockedPeriod":\{\}\}/);
    expect(text).toMatch(/\/3\/me wrapper key\s+MeInformation/);
    expect(text).toMatch(/rate-limit headers seen\s+x-ratelimit-limit: 25; x-ratelimit-remaining: /);
    expect(text).toMatch(/Retry-After\s+seen: 1/);
    expect(text).toMatch(/4 endpoint\(s\) not usable: invoices, supplierinvoices, voucherfileconnections, inbox/);
  });

  it("an empty voucher list this year: it looks at any year's list before saying it cannot tell", async () => {
    const report = await probeAgainst({
      "/financialyears": () => [200, { FinancialYears: [{ Id: 8, FromDate: "2025-01-01", ToDate: "2025-12-31" }] }],
      "/vouchers": (n) => [200, { Vouchers: n < 8 ? [] : [{ VoucherSeries: "A", VoucherNumber: 1, Comments: "" }] }],
      "/settings/lockedperiod": () => [200, {}],
    });
    expect(report.voucherListComments).toEqual({ answer: "yes", why: "GET /3/vouchers (all years): the key is present in the list item" });
    expect(server!.hits.filter((h) => h.url.startsWith("/3/vouchers?")).map((h) => h.url)).toEqual(["/3/vouchers?limit=1&financialyear=8", "/3/vouchers?limit=1"]);
    expect(report.lockedPeriod).toMatchObject({ answered: true, wrapper: false, hasDate: false });
  });
});
