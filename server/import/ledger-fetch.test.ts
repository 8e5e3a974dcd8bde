import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import type { FortnoxApi } from "@/server/fortnox/resources";
import type { SandboxOptions } from "@/server/sandbox/options";
import type { SandboxServer } from "@/server/sandbox/server";
import { start } from "@/server/sandbox/testing/helpers";
import { customerLedgerAtDate, supplierLedgerAtDate } from "./ledger-at-date";
import { fetchLedgersAtDate } from "./ledger-fetch";
import { everyPaymentWithCurrency, sandboxApi } from "./testing/sandbox-api";

// The ledgers at the closing date as the import fetches them, over HTTP against the sandbox answering as Fortnox
// does: payment lists without AmountCurrency, supplier invoices without date filters, supplier payments without
// the invoicenumber filter (and each of those the other way too). The truth: the ledger rebuilt from every invoice
// and every payment there is, each foreign payment read on its own.

const TENANT = 1_234_567;
// The rate limit is not what is tested here: both the fetch and the slow truth run without it.
const fast = () => ({ limiter: new SlidingWindowLimiter({ limit: 100_000, windowMs: 1_000 }) });
const CLOSING = "2025-12-31";

async function truth(api: FortnoxApi) {
  const [inv, sup] = await Promise.all([api.listInvoices(), api.listSupplierInvoices()]);
  const { customer: invPay, supplier: supPay } = await everyPaymentWithCurrency(api);
  return { customer: customerLedgerAtDate(inv, invPay, CLOSING), supplier: supplierLedgerAtDate(sup, supPay, CLOSING), inv, sup, invPay, supPay };
}

const SETTINGS: [string, SandboxOptions][] = [
  ["as Fortnox documents it (filters ignored)", {}],
  ["with supplier date and invoicenumber filters honoured", { supplierInvoiceDateFilter: "honour", supplierPaymentInvoiceNumberFilter: "honour" }],
];

describe.each(SETTINGS)("ledgers at the closing date, sandbox %s", (_name, options) => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await start({ currentYear: 2026, vouchers: { [TENANT]: 3_000 }, tenants: [{ tenantId: TENANT, lockedThrough: null, foreignPartialPayments: true }], ...options });
  });
  afterAll(() => sandbox?.close());

  it("equal the ledgers rebuilt from every invoice and payment, reading single payments only where a foreign amount matters", { timeout: 120_000 }, async () => {
    const paths: string[] = [];
    const { api } = await sandboxApi(sandbox.url, TENANT, { ...fast(), hooks: { onResponse: (e) => paths.push(e.path) } });
    const progress: { done: number; total: number }[] = [];
    const got = await fetchLedgersAtDate(api, CLOSING, (p) => progress.push(p));
    expect(got.unavailable).toEqual({});

    const { api: slow } = await sandboxApi(sandbox.url, TENANT, fast());
    const t = await truth(slow);
    expect(got.customer!.items).toEqual(t.customer.items);
    expect(got.supplier!.items).toEqual(t.supplier.items);
    expect(got.customer!.sumOre).toBe(t.customer.sumOre);
    expect(got.supplier!.sumOre).toBe(t.supplier.sumOre);
    // … and both what the books hold on 1510 and 2440 (each part payment booked off at the invoice's rate).
    const year = (await slow.listFinancialYears(CLOSING))[0];
    expect(got.customer!.sumOre).toBe((await slow.getAccount(1510, year.id)).balanceCarriedForwardOre);
    expect(got.supplier!.sumOre).toBe((await slow.getAccount(2440, year.id)).balanceCarriedForwardOre);
    // Not trivially: foreign items open in full, and foreign items paid in part by D (their payments read one by one).
    const foreign = [...got.customer!.items, ...got.supplier!.items].filter((i) => i.currency !== "SEK");
    expect(foreign.some((i) => i.openOre === i.totalOre)).toBe(true);
    expect(foreign.some((i) => i.openOre !== i.totalOre)).toBe(true);
    // Supplier payments: Fortnox may ignore ?invoicenumber=; the first answer then holds them all and is reused.
    const supplierPartly = got.supplier!.items.filter((i) => i.currency !== "SEK" && i.openOre !== i.totalOre).length;
    if (options.supplierPaymentInvoiceNumberFilter === "honour") expect(got.documentPaymentLists.supplier).toBe(supplierPartly);
    else expect(got.documentPaymentLists.supplier).toBe(Math.min(1, supplierPartly));

    // Single payments read: only of foreign documents that were a candidate (open at D, or paid off after D),
    // never one of a document settled on or before D.
    const singles = paths.filter((p) => /^\/(supplier)?invoicepayments\/\d+$/.test(p));
    expect(singles.length).toBe(got.singlePayments);
    expect(singles.length).toBeGreaterThan(0);
    const foreignPayments = t.invPay.filter((p) => p.currency !== "SEK").length + t.supPay.filter((p) => p.currency !== "SEK").length;
    expect(singles.length).toBeLessThan(foreignPayments / 2);
    const settledBy = new Map<string, boolean>();
    for (const [docs, pays, key, prefix] of [
      [t.inv.map((i) => ({ n: i.documentNumber, final: i.finalPayDate, balance: i.balanceMinor })), t.invPay, "invoice", "/invoicepayments/"],
      [t.sup.map((i) => ({ n: i.givenNumber, final: i.finalPayDate, balance: i.balanceMinor })), t.supPay, "supplier", "/supplierinvoicepayments/"],
    ] as const) {
      for (const d of docs) settledBy.set(`${key}:${d.n}`, d.balance === 0 && d.final !== null && d.final <= CLOSING);
      for (const path of singles.filter((p) => p.startsWith(prefix))) {
        const pay = pays.find((p) => String(p.number) === path.slice(prefix.length))!;
        expect(pay.currency, path).not.toBe("SEK");
        expect(settledBy.get(`${key}:${pay.invoiceNumber}`), path).toBe(false);
      }
    }
    // The progress bar's total grew with the requests found necessary, and ends full.
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThanOrEqual(6 + singles.length);
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
    // lastmodified went out with %20 (the sandbox refuses a +).
    expect(paths.filter((p) => p === "/invoicepayments" || p === "/supplierinvoicepayments").length).toBeGreaterThanOrEqual(2);
  });
});

describe("a ledger Fortnox refuses leaves the other one and the fetch whole", () => {
  let sandbox: SandboxServer;
  beforeAll(async () => {
    sandbox = await start({ currentYear: 2026, vouchers: 300 });
  });
  afterAll(() => sandbox?.close());

  it("no invoicing module (Berglund Snickeri AB): the customer side is unavailable for the licence, the supplier side read", async () => {
    const { api } = await sandboxApi(sandbox.url, 4_567_890);
    const got = await fetchLedgersAtDate(api, CLOSING);
    expect(got.unavailable).toEqual({ customer: "licence" });
    expect(got.customer).toBeNull();
    expect(got.supplier!.items.length).toBeGreaterThan(0);
  });

  it("no supplier invoice module either: both unavailable, still no error", async () => {
    sandbox.sandbox.control.updateTenant(4_567_890, { modules: ["bookkeeping"] });
    const { api } = await sandboxApi(sandbox.url, 4_567_890);
    expect((await fetchLedgersAtDate(api, CLOSING)).unavailable).toEqual({ customer: "licence", supplier: "licence" });
  });

  it("a connection without the permission (2000663): unavailable for the scope", async () => {
    const { api } = await sandboxApi(sandbox.url, TENANT, {}, "bookkeeping companyinformation supplierinvoice");
    const got = await fetchLedgersAtDate(api, CLOSING);
    // No invoice scope; supplier invoices readable but their payments need `payment`.
    expect(got.unavailable).toEqual({ customer: "scope", supplier: "scope" });
  });

  it("any other failure still fails the fetch", async () => {
    sandbox.sandbox.control.setFaults(TENANT, { errorRate: 1, errorStatus: 500 });
    try {
      const { api } = await sandboxApi(sandbox.url, TENANT, { retries: 0 });
      await expect(fetchLedgersAtDate(api, CLOSING)).rejects.toMatchObject({ kind: "server_error" });
    } finally {
      sandbox.sandbox.control.clearFaults(TENANT);
    }
  });
});
