import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sieChunks } from "../sie";
import { SandboxState } from "../state";
import { CHART } from "./chart";
import { type Company, S, SERIES } from "./company";
import { dayOf, isoDate } from "./dates";
import { generateCompany } from "./generator";
import { ACCOUNT_SLOTS, Kind, ROW_ADDED, ROW_REMOVED } from "./ledger";
import { isValidOrgNr } from "./orgnr";
import { DEFAULT_TENANTS, profileOf } from "./tenants";

// The generator on its own (no HTTP): determinism, exact sizes, and the realistic content that
// server/sandbox/README.md "Data" describes.

const MEDIUM = DEFAULT_TENANTS[1];
const gen = (vouchers: number, over: Partial<Parameters<typeof generateCompany>[0]> = {}) =>
  generateCompany({
    profile: profileOf(MEDIUM), vouchers, currentYear: 2025, firstYearId: 7, costCenters: MEDIUM.costCenters, projects: MEDIUM.projects, ...over,
  });

function sieHash(co: Company): string {
  const h = createHash("sha256");
  for (const chunk of sieChunks(co, { type: 4, yearIdx: 1, generatedDay: dayOf(2026, 1, 15) })) h.update(chunk);
  return h.digest("hex");
}

/** Rows of one year with a given flag, and the vouchers of a kind. */
function rows(co: Company, yi: number, pred: (acc: number, flags: number) => boolean) {
  const r = co.years[yi].r;
  let n = 0;
  for (let i = 0; i < r.length; i++) if (pred(r.c.account[i], r.c.flags[i])) n++;
  return n;
}
const ofKind = (co: Company, yi: number, kind: Kind) => {
  const v = co.years[yi].v;
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) if (v.c.kind[i] === kind) out.push(i);
  return out;
};

describe("generator", () => {
  it("is deterministic: the same tenant gives the same bytes; another seed another company", () => {
    expect(sieHash(gen(3000))).toBe(sieHash(gen(3000)));
    expect(sieHash(gen(3000, { seed: 99 }))).not.toBe(sieHash(gen(3000)));
  });

  it.each([100, 101, 1_234, 54_321])("makes exactly %i vouchers in the current year, about half in the previous", (n) => {
    const co = gen(n);
    expect(co.years[1].voucherCount).toBe(n);
    expect(co.years[0].voucherCount).toBe(Math.max(100, Math.round(n / 2)));
  });

  it("refuses sizes outside 100 to 1,000,000", () => {
    expect(() => new SandboxState({ vouchers: 99 })).toThrow(/100\.\.1000000/);
    expect(() => new SandboxState({ vouchers: 1_000_001 })).toThrow(/100\.\.1000000/);
    expect(() => new SandboxState({ vouchers: 100 })).not.toThrow();
    expect(() => new SandboxState({ vouchers: { [MEDIUM.tenantId]: 1_000_000 } })).not.toThrow(); // generated lazily
  });

  it("uses a BAS chart where every account has an SRU code, some inactive", () => {
    expect(CHART.length).toBeGreaterThan(150);
    for (const a of CHART) {
      expect(a.number).toBeGreaterThanOrEqual(1000);
      expect(a.number).toBeLessThan(10000);
      expect(String(a.sru)).toMatch(/^7\d{3}$/);
    }
    expect(CHART.filter((a) => !a.active).length).toBeGreaterThan(0);
  });

  it("keeps two calendar years; this year opens with last year's closing, and the books balance", () => {
    const co = gen(2_000);
    expect(co.years.map((y) => [y.id, isoDate(y.fromDay), isoDate(y.toDay)])).toEqual([[7, "2024-01-01", "2024-12-31"], [8, "2025-01-01", "2025-12-31"]]);
    let assets = 0;
    for (let acc = 1000; acc < 3000; acc++) {
      expect(co.ib(1, acc)).toBe(co.ub(0, acc));
      assets += co.ub(1, acc);
    }
    let result = 0;
    for (let acc = 3000; acc < ACCOUNT_SLOTS; acc++) result += co.years[1].movement[acc];
    // Balance sheet + this year's result (not yet closed to 2099) = 0; last year's result went to 2099 via 8999.
    expect(assets + result).toBe(0);
    let prevResult = 0;
    for (let acc = 3000; acc < ACCOUNT_SLOTS; acc++) prevResult += co.years[0].movement[acc];
    expect(prevResult).toBe(0);
    expect(ofKind(co, 0, Kind.YearResult)).toHaveLength(1);
    expect(ofKind(co, 1, Kind.Disposition)).toHaveLength(1);
  });

  it("books twelve months of sales and purchases with VAT, salaries with taxes, VAT returns and bank", () => {
    const co = gen(2_000);
    const y = 1;
    expect(ofKind(co, y, Kind.Salary)).toHaveLength(12);
    expect(ofKind(co, y, Kind.Depreciation)).toHaveLength(12);
    expect(ofKind(co, y, Kind.Vat).length).toBeGreaterThanOrEqual(11);
    const months = new Set(ofKind(co, y, Kind.CustomerInvoice).map((v) => isoDate(co.years[y].v.c.date[v]).slice(0, 7)));
    expect(months.size).toBe(12);
    for (const acc of [1510, 2440, 2611, 2641, 2650, 2710, 2731, 1630, 1930, 7210, 7510]) {
      expect(rows(co, y, (a) => a === acc), `account ${acc}`).toBeGreaterThan(0);
    }
  });

  it("has payments after the year end, partial payments, EUR items and cancelled invoices", () => {
    const co = gen(5_000);
    const end = co.years[1].toDay;
    const inv = co.invoices.c;
    const pay = co.invoicePayments.c;
    let afterEnd = 0;
    for (let p = 0; p < co.invoicePayments.length; p++) if (pay.date[p] > end && inv.date[pay.doc[p]] <= end) afterEnd++;
    expect(afterEnd).toBeGreaterThan(5);
    const count = new Map<number, number>();
    for (let p = 0; p < co.invoicePayments.length; p++) count.set(pay.doc[p], (count.get(pay.doc[p]) ?? 0) + 1);
    expect([...count.values()].filter((n) => n > 1).length).toBeGreaterThan(5);
    let eur = 0;
    let cancelled = 0;
    for (let i = 0; i < co.invoices.length; i++) {
      if (inv.currency[i] === 1) eur++;
      if (inv.cancelled[i]) cancelled++;
    }
    expect(eur).toBeGreaterThan(5);
    expect(cancelled).toBeGreaterThan(0);
    let eurSup = 0;
    for (let i = 0; i < co.supplierInvoices.length; i++) if (co.supplierInvoices.c.currency[i] === 1) eurSup++;
    expect(eurSup).toBeGreaterThan(0);
    // Exchange differences land on 3960/7960, never on 1510/2440.
    expect(rows(co, 1, (a) => a === 3960 || a === 7960)).toBeGreaterThan(0);
  });

  it("has corrections (rows added and removed after registration) and cost centres and projects on rows", () => {
    const co = gen(5_000);
    expect(rows(co, 1, (_, f) => (f & ROW_ADDED) !== 0)).toBeGreaterThan(0);
    expect(rows(co, 1, (_, f) => (f & ROW_REMOVED) !== 0)).toBeGreaterThan(0);
    const r = co.years[1].r.c;
    let cc = 0;
    let pj = 0;
    for (let i = 0; i < co.years[1].r.length; i++) {
      if (r.costCenter[i]) cc++;
      if (r.project[i]) pj++;
    }
    expect(cc).toBeGreaterThan(100);
    expect(pj).toBeGreaterThan(100);
  });

  it("has manual and automatic series, each used", () => {
    expect(SERIES.filter((s) => s.manual).map((s) => s.code)).toEqual(["A", "B", "K", "S"]);
    expect(SERIES.filter((s) => !s.manual).map((s) => s.code)).toEqual(["F", "I", "L", "U"]);
    const co = gen(2_000);
    for (const s of Object.values(S)) {
      if (s === S.B) continue; // the closing series is used in the previous year only (its result voucher)
      expect(co.years[1].bySeries[s].length, SERIES[s].code).toBeGreaterThan(0);
    }
    expect(co.years[0].bySeries[S.B]).toHaveLength(1);
  });
});

describe("demo companies", () => {
  it("are at least three: a small one, a medium one with cost centres and projects, and another organisation number", () => {
    expect(DEFAULT_TENANTS.length).toBeGreaterThanOrEqual(3);
    const [small, medium, other] = DEFAULT_TENANTS;
    expect(small.costCenters ?? []).toEqual([]);
    expect(medium.vouchers).toBeGreaterThan(small.vouchers);
    expect(medium.costCenters!.length).toBeGreaterThan(0);
    expect(medium.projects!.length).toBeGreaterThan(0);
    // The mismatch case: a company the demo client (the first, Demo Konsult AB) is not.
    expect(other.orgNr).not.toBe(small.orgNr);
    for (const t of DEFAULT_TENANTS) expect(isValidOrgNr(t.orgNr), t.name).toBe(true);
    expect(new Set(DEFAULT_TENANTS.map((t) => t.tenantId)).size).toBe(DEFAULT_TENANTS.length);
  });

  it("lock the current year through August by default; the third has nothing locked", () => {
    const state = new SandboxState({ currentYear: 2025 });
    expect(isoDate(state.tenant(DEFAULT_TENANTS[0].tenantId)!.lockedThrough!)).toBe("2025-08-31");
    expect(state.tenant(DEFAULT_TENANTS[2].tenantId)!.lockedThrough).toBeNull();
  });
});
