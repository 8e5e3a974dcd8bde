import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, FULL_SCOPE, start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { buildUrl } from "./http";
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
