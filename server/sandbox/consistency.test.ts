import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  InvoicePaymentSchema, InvoiceSchema, SupplierInvoicePaymentSchema, SupplierInvoiceSchema,
} from "@/server/fortnox/schemas";
import { customerLedgerAtDate, supplierLedgerAtDate } from "@/server/import/ledger-at-date";
import { buildLedger, summarizeSie, type SieLedger, type SieSummary } from "@/server/sie";
import type { SandboxServer } from "./server";
import { allPaymentsWithCurrency, apiClient, connect, ore, start } from "./testing/helpers";

// Every view of the generated data agrees: the sandbox's own SIE 4 file, parsed by our real engine, says what its
// REST views say (chart, IB/UB/RES per account, vouchers and their rows), and the customer/supplier ledgers rebuilt
// at the closing date from REST invoices and payments sum to the UB of 1510 and 2440. At several sizes; the biggest
// compares rows for a sample of vouchers only (one request per voucher is what the REST API costs).

const TENANT = 2345678; // the medium company: cost centres, projects, EUR, corrections

type Api = ReturnType<typeof apiClient>;
interface YearView {
  id: number;
  from: string;
  to: string;
  ledger: SieLedger;
  summary: SieSummary;
}

async function sieOf(api: Api, yearId: number): Promise<Uint8Array> {
  const res = await api.call(`sie/4?financialyear=${yearId}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Deterministic sample: every voucher with a correction, plus about `n` spread over the year. */
function sample(ledger: SieLedger, n: number) {
  const step = Math.max(1, Math.floor(ledger.vouchers.length / n));
  return ledger.vouchers.filter((v, i) => i % step === 0 || v.corrections.length > 0);
}

describe.each([
  { size: 100, rowsChecked: Infinity },
  { size: 2_000, rowsChecked: 150 },
  { size: 20_000, rowsChecked: 150 },
])("generated company with $size vouchers", ({ size, rowsChecked }) => {
  let s: SandboxServer;
  let api: Api;
  const years: YearView[] = [];

  beforeAll(async () => {
    s = await start({ currentYear: 2025, vouchers: { [TENANT]: size } });
    api = apiClient(s.url, (await connect(s.url, { tenantId: TENANT })).access_token);
    for (const y of (await api.get("financialyears")).body.FinancialYears) {
      const bytes = await sieOf(api, y.Id);
      years.push({ id: y.Id, from: y.FromDate, to: y.ToDate, ledger: await buildLedger(bytes), summary: await summarizeSie(bytes) });
    }
  });
  afterAll(() => s.close());

  it("has two financial years, the current one with exactly the requested number of vouchers", () => {
    expect(years.map((y) => [y.from, y.to])).toEqual([["2024-01-01", "2024-12-31"], ["2025-01-01", "2025-12-31"]]);
    expect(years[1].summary.vouchers).toBe(size);
  });

  it("its SIE files are clean: checksum valid, no warnings, every voucher balanced, IB + Σ rows = UB", () => {
    for (const y of years) {
      expect(y.summary.ksumma).toBe("valid");
      expect(y.summary.warnings).toEqual([]);
      expect(y.summary.unbalancedVouchers).toBe(0);
      expect(y.summary.years.map((r) => [r.index, r.start, r.end])[0]).toEqual([0, y.from, y.to]);
    }
  });

  it("this year's IB is last year's UB, in the SIE file and over REST", async () => {
    const [prev, cur] = years;
    const ub = (b: SieSummary["balances"], year: string) =>
      Object.fromEntries(Object.entries(b[year] ?? {}).filter(([, v]) => v.ub !== 0).map(([a, v]) => [a, v.ub]));
    const ib = (b: SieSummary["balances"], year: string) =>
      Object.fromEntries(Object.entries(b[year] ?? {}).filter(([, v]) => v.ib !== 0).map(([a, v]) => [a, v.ib]));
    expect(ib(cur.summary.balances, "0")).toEqual(ub(prev.summary.balances, "0"));
    expect(cur.summary.balances["-1"]).toEqual(prev.summary.balances["0"]);
    for (const acc of [1510, 1930, 2440, 2650]) {
      const a = (await api.get(`accounts/${acc}?financialyear=${prev.id}`)).body.Account;
      const b = (await api.get(`accounts/${acc}?financialyear=${cur.id}`)).body.Account;
      expect(ore(b.BalanceBroughtForward)).toBe(ore(a.BalanceCarriedForward));
    }
  });

  it("REST accounts = SIE: chart, SRU, IB, UB or RES, and the sum of the vouchers", async () => {
    for (const y of years) {
      const list = await api.all(`accounts?financialyear=${y.id}`, "Accounts");
      const sieAccounts = new Map(y.ledger.accounts.filter((a) => a.declared).map((a) => [a.number, a]));
      expect(list.map((a) => String(a.Number)).sort()).toEqual([...sieAccounts.keys()].sort());
      const bal = y.summary.balances["0"] ?? {};
      const res = y.summary.results["0"] ?? {};
      let nonZero = 0;
      for (const a of list) {
        const n = String(a.Number);
        const sie = sieAccounts.get(n)!;
        expect(sie.name).toBe(a.Description);
        expect(sie.sru).toEqual([String(a.SRU)]);
        const single = (await api.get(`accounts/${n}?financialyear=${y.id}`)).body.Account;
        const bbf = ore(single.BalanceBroughtForward);
        const bcf = ore(single.BalanceCarriedForward);
        const turnover = y.summary.turnover[n] ?? 0;
        if (a.Number < 3000) {
          expect([n, bbf, bcf]).toEqual([n, bal[n]?.ib ?? 0, bal[n]?.ub ?? 0]);
          expect(bcf - bbf).toBe(turnover);
        } else {
          expect([n, bbf, bcf]).toEqual([n, 0, res[n] ?? 0]);
          expect(bcf).toBe(turnover);
        }
        if (bcf !== 0) nonZero++;
      }
      expect(nonZero).toBeGreaterThan(20);
      // #PSALDO (the months' changes) adds up to the same turnover.
      const byAccount = new Map<string, number>();
      for (const p of y.ledger.periods) byAccount.set(p.account, (byAccount.get(p.account) ?? 0) + p.amount);
      for (const [acc, sum] of byAccount) expect([acc, sum]).toEqual([acc, y.summary.turnover[acc] ?? 0]);
    }
  });

  it("REST voucher list = SIE #VER: count, series, numbers, dates and texts", async () => {
    for (const y of years) {
      const list = await api.all(`vouchers?financialyear=${y.id}`, "Vouchers");
      expect(list.length).toBe(y.summary.vouchers);
      const rest = list.map((v) => [v.VoucherSeries, String(v.VoucherNumber), v.TransactionDate, v.Description]);
      const sie = y.ledger.vouchers.map((v) => [v.series, v.number, v.date, v.text]);
      expect(rest).toEqual(sie);
      // Manual series (A, S…) and automatic ones (F, L…) both carry vouchers.
      for (const code of ["A", "S", "F", "I", "L", "U"]) expect(list.some((v) => v.VoucherSeries === code), code).toBe(true);
    }
  });

  it(`REST voucher rows = SIE rows (${Number.isFinite(rowsChecked) ? `a sample of ~${rowsChecked} per year plus every corrected one` : "every voucher"})`, async () => {
    let corrected = 0;
    for (const y of years) {
      const picked = Number.isFinite(rowsChecked) ? sample(y.ledger, rowsChecked) : y.ledger.vouchers;
      for (const v of picked) {
        const rows = (await api.get(`vouchers/${v.series}/${v.number}?financialyear=${y.id}`)).body.Voucher.VoucherRows;
        const fromRest = (removed: boolean) =>
          rows
            .filter((r: any) => r.Removed === removed)
            .map((r: any) => {
              const objects = [...(r.CostCenter ? [`1:${r.CostCenter}`] : []), ...(r.Project ? [`6:${r.Project}`] : [])];
              return [r.Account, ore(r.Debit) - ore(r.Credit), objects.join(" "), r.TransactionInformation];
            });
        const fromSie = (list: typeof v.rows) => list.map((r) => [Number(r.account), r.amount, r.objects.map((o) => `${o.dim}:${o.object}`).join(" "), r.text]);
        expect(fromRest(false)).toEqual(fromSie(v.rows));
        expect(fromRest(true)).toEqual(fromSie(v.corrections.filter((c) => c.kind === "removed")));
        if (v.corrections.length) corrected++;
      }
    }
    if (size >= 2_000) expect(corrected).toBeGreaterThan(0);
  });

  it("the customer and supplier ledgers at each closing date sum to the UB of 1510 and 2440", async () => {
    const invoices = (await api.all("invoices", "Invoices")).map((x) => InvoiceSchema.parse(x));
    const invoicePayments = (await allPaymentsWithCurrency(api, "invoicepayments")).map((x) => InvoicePaymentSchema.parse(x));
    const supplierInvoices = (await api.all("supplierinvoices", "SupplierInvoices")).map((x) => SupplierInvoiceSchema.parse(x));
    const supplierPayments = (await allPaymentsWithCurrency(api, "supplierinvoicepayments")).map((x) => SupplierInvoicePaymentSchema.parse(x));
    for (const y of years) {
      const ub = y.summary.balances["0"];
      const customers = customerLedgerAtDate(invoices, invoicePayments, y.to);
      const suppliers = supplierLedgerAtDate(supplierInvoices, supplierPayments, y.to);
      expect(customers.sumOre).toBe(ub["1510"].ub);
      expect(suppliers.sumOre).toBe(ub["2440"].ub);
      expect(customers.unmatchedPayments).toEqual([]);
      expect(suppliers.unmatchedPayments).toEqual([]);
      // Not trivially: items are open at the date although paid since (today's Balance is 0 for some of them).
      expect(customers.items.length).toBeGreaterThan(0);
      const paidSince = customers.items.filter((i) => invoices.find((x) => x.documentNumber === i.invoiceNumber)!.balanceMinor === 0);
      expect(paidSince.length).toBeGreaterThan(0);
      expect(ore((await api.get(`accounts/1510?financialyear=${y.id}`)).body.Account.BalanceCarriedForward)).toBe(customers.sumOre);
    }
    if (size >= 2_000) {
      // The data exercises the hard cases: EUR, partial payments, cancelled invoices.
      expect(invoices.some((i) => i.currency === "EUR")).toBe(true);
      expect(supplierInvoices.some((i) => i.currency === "EUR")).toBe(true);
      expect(invoices.some((i) => i.cancelled)).toBe(true);
      const count = new Map<string, number>();
      for (const p of invoicePayments) count.set(p.invoiceNumber, (count.get(p.invoiceNumber) ?? 0) + 1);
      expect([...count.values()].some((n) => n > 1)).toBe(true);
    }
  });

  if (size === 100) {
    it("stays consistent after vouchers are posted through the API", async () => {
      const cur = years[1].id;
      const post = await api.post(`vouchers?financialyear=${cur}`, {
        Voucher: {
          VoucherSeries: "B", TransactionDate: "2025-12-31", Description: "Upplupen revision",
          VoucherRows: [{ Account: 6420, Debit: 15000, CostCenter: "400" }, { Account: 2991, Credit: 15000 }],
        },
      });
      expect(post.status).toBe(201);
      const after = await buildLedger(await sieOf(api, cur));
      expect(after.voucherCount).toBe(years[1].ledger.voucherCount + 1);
      expect(after.findings).toEqual([]);
      const posted = after.vouchers.find((v) => v.series === "B" && v.number === String(post.body.Voucher.VoucherNumber))!;
      expect(posted.rows.map((r) => [r.account, r.amount, r.objects])).toEqual([
        ["6420", 1_500_000, [{ dim: "1", object: "400" }]],
        ["2991", -1_500_000, []],
      ]);
      const acc = (await api.get(`accounts/2991?financialyear=${cur}`)).body.Account;
      expect(ore(acc.BalanceCarriedForward)).toBe(after.balances.ub["0"]["2991"]);
      expect(ore(acc.BalanceCarriedForward) - ore(acc.BalanceBroughtForward)).toBe(after.turnover["2991"]);
    });
  }
});
