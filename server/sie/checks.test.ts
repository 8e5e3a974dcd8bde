import { describe, expect, it } from "vitest";
import { accountClass } from "./checks";
import { parseSieStream } from "./stream";
import { HEADER, ledgerOf, sie } from "./testing";
import type { SieVoucher } from "./types";

describe("ledger checks", () => {
  const file = [
    ...HEADER,
    '#KONTO 1930 "Bank"', '#KONTO 2440 "Leverantörsskulder"', '#KONTO 3001 "Försäljning"', '#KONTO 4010 "Inköp"',
    '#KONTO 2099 "Special"', "#KTYP 2099 K",
    "#IB 0 1930 1000.00", "#UB 0 1930 1500.00", "#IB 0 2440 -200.00", "#UB 0 2440 -200.00",
    "#RES 0 3001 -500.00", "#RES 0 4010 10.00",
    '#VER A 1 20230105 "Sale"', "{", "#TRANS 1930 {} 500.00", "#TRANS 3001 {} -500.00", "}",
    '#VER A 2 20240105 "Next year"', "{", "#TRANS 4010 {} 10.00", "#TRANS 1930 {} -9.99", "}",
    '#VER B 7 20230301 "Row date outside"', "{", "#TRANS 2099 {} 1.00 20221231", "#TRANS 9999 {} -1.00", "}",
  ];
  const l = ledgerOf(file);

  it("reports unbalanced vouchers with id and difference", () => {
    expect(l.unbalancedVouchers).toBe(1);
    expect(l.findings.filter((f) => f.code === "unbalanced_voucher")).toEqual([
      { line: 26, code: "unbalanced_voucher", series: "A", number: "2", difference: 1, message: "unbalanced voucher A 2 (diff 0.01)" },
    ]);
  });
  it("reports dates outside year 0, once per voucher", () => {
    expect(l.findings.filter((f) => f.code === "date_outside_year").map((f) => "date" in f && [f.series, f.number, f.date])).toEqual([
      ["A", "2", "2024-01-05"], ["B", "7", "2022-12-31"],
    ]);
  });
  it("reports rows on undeclared accounts", () => {
    expect(l.findings.filter((f) => f.code === "undeclared_account")).toMatchObject([{ account: "9999", rows: 1, line: 34 }]);
  });
  it("reports IB + Σ ≠ UB for balance accounts, with expected/actual/difference", () => {
    // 1930: 1000 + 500 - 9.99 = 1490.01 vs UB 1500
    expect(l.findings.filter((f) => f.code === "balance_mismatch")).toMatchObject([
      { account: "1930", expected: 150000, actual: 149001, difference: -999 },
    ]);
  });
  it("reports Σ ≠ RES for result accounts; #KTYP wins over the BAS class", () => {
    // 3001 matches; 4010 matches; 2099 is a cost account by #KTYP with 1.00 but no RES line; 9999 has no class.
    expect(l.findings.filter((f) => f.code === "result_mismatch")).toMatchObject([{ account: "2099", expected: 0, actual: 100, difference: 100 }]);
  });
  it("classifies accounts by BAS and #KTYP", () => {
    expect([accountClass("1930", null), accountClass("2440", null), accountClass("3001", null), accountClass("8999", null),
      accountClass("9999", null), accountClass("19301", null), accountClass("3001", "T"), accountClass("1930", "I")])
      .toEqual(["balance", "balance", "result", "result", null, "balance", "balance", "result"]);
  });
  it("is quiet on a consistent file", () => {
    const ok = ledgerOf([...HEADER, "#KONTO 1930 Bank", "#KONTO 3001 Sales", "#IB 0 1930 5", "#UB 0 1930 6", "#RES 0 3001 -1",
      "#VER A 1 20231231", "{", "#TRANS 1930 {} 1", "#TRANS 3001 {} -1", "}"]);
    expect(ok.findings).toEqual([]);
  });
});

describe("streaming consumer API", () => {
  it("delivers vouchers in order with awaited back-pressure and does not retain them", async () => {
    const lines = [...HEADER, "#KONTO 1930 Bank", "#KONTO 3001 Sales"];
    for (let i = 1; i <= 2000; i++) lines.push(`#VER A ${i} 20230105`, "{", `#TRANS 1930 {} ${i}.00`, `#TRANS 3001 {} -${i}.00`, "}");
    const bytes = sie(lines);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 4096) chunks.push(bytes.subarray(i, i + 4096));
    const batches: string[][] = [];
    const batch: SieVoucher[] = [];
    let inFlight = 0, maxInFlight = 0;
    const insert = async (vs: SieVoucher[]) => {
      inFlight++; maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      batches.push(vs.map((v) => v.number));
      inFlight--;
    };
    const records: string[] = [];
    const result = await parseSieStream(chunks, {
      onRecord: (r) => records.push(r.kind),
      onVoucher: async (v) => { batch.push(v); if (batch.length >= 500) await insert(batch.splice(0)); },
    });
    await insert(batch);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 500, 500, 0]);
    expect(batches.flat()).toEqual(Array.from({ length: 2000 }, (_, i) => String(i + 1)));
    expect(maxInFlight).toBe(1);
    expect(records).toEqual(["flag", "program", "format", "generated", "sieType", "info", "info", "year", "account", "account"]);
    expect(result.voucherCount).toBe(2000);
    expect(result.turnover).toEqual({ "1930": 200100000, "3001": -200100000 });
    expect(result.findings).toEqual([]);
  });
});

describe("IB + the year's change = UB without vouchers (SIE 1–3)", () => {
  const head = (type: number | null) => [
    "#FLAGGA 0", ...(type === null ? [] : [`#SIETYP ${type}`]), "#RAR 0 20230101 20231231",
    '#KONTO 1930 "Bank"', '#KONTO 2440 "Lev"', '#KONTO 3001 "Sales"', '#KONTO 5010 "Rent"',
    "#IB 0 1930 1000", "#UB 0 1930 1300", "#IB 0 2440 -100", "#UB 0 2440 -200", "#RES 0 3001 -500", "#RES 0 5010 300",
  ];
  const periods = ["#PSALDO 0 202301 1930 {} 500", "#PSALDO 0 202302 1930 {} -200", "#PSALDO 0 202302 2440 {} -100",
    "#PSALDO 0 202301 3001 {} -500", "#PSALDO 0 202302 5010 {} 300"];

  it("SIE 1 (or no #SIETYP): year-end balances only, so the check does not apply and nothing is flagged", () => {
    for (const type of [1, null]) {
      const l = ledgerOf(head(type));
      expect(l.balanceCheck).toEqual({ basis: "not_applicable", accounts: 0, mismatches: 0 });
      expect(l.findings).toEqual([]);
    }
  });

  it("SIE 2: IB + Σ objectless #PSALDO of year 0 = UB and Σ = RES; other years and budgets do not count", () => {
    const l = ledgerOf([...head(2), ...periods, "#PSALDO -1 202212 1930 {} 999", "#PBUDGET 0 202301 3001 {} -7"]);
    expect(l.balanceCheck).toEqual({ basis: "periods", accounts: 4, mismatches: 0 });
    expect(l.findings).toEqual([]);
  });

  it("SIE 2: months outside year 0 written with year index 0 (as BL Administration does for the year before) do not count", () => {
    const before = periods.map((p) => p.replace(" 2023", " 2022"));
    const l = ledgerOf([...head(2), ...periods, ...before, "#PSALDO 0 202401 1930 {} 5"]);
    expect(l.balanceCheck).toEqual({ basis: "periods", accounts: 4, mismatches: 0 });
    expect(l.findings).toEqual([]);
    // The rows themselves are kept as written.
    expect(l.periods.filter((p) => p.year === 0 && p.type === "PSALDO")).toHaveLength(2 * periods.length + 1);
  });

  it("SIE 2: a period balance off, or an account that moved without any #PSALDO, is reported with the amounts", () => {
    const l = ledgerOf([...head(2), ...periods.filter((p) => !p.includes(" 2440 ")), "#PSALDO 0 202303 5010 {} 1.50"]);
    expect(l.balanceCheck).toMatchObject({ basis: "periods", mismatches: 2 });
    expect(l.findings).toMatchObject([
      { code: "period_balance_mismatch", account: "2440", expected: -20000, actual: -10000, difference: 10000 },
      { code: "period_result_mismatch", account: "5010", expected: 30000, actual: 30150, difference: 150 },
    ]);
    expect(l.findings[0].message).toBe("account 2440: IB + period balances -100.00 ≠ UB -200.00 (diff 100.00)");
  });

  it("SIE 3: the objectless row as the account's total (object rows a breakdown) or as the rest (object rows complete it)", () => {
    const total = ledgerOf([...head(3), ...periods, '#PSALDO 0 202301 1930 {1 "A"} 500', '#PSALDO 0 202301 3001 {1 "A"} -300', '#PSALDO 0 202301 3001 {6 "P"} -500']);
    expect(total.balanceCheck).toEqual({ basis: "periods", accounts: 4, mismatches: 0 });
    const rest = ledgerOf([...head(3), "#PSALDO 0 202301 1930 {} 200", '#PSALDO 0 202301 1930 {1 "A"} 100', "#PSALDO 0 202302 2440 {} -100",
      '#PSALDO 0 202301 3001 {1 "A"} -500', "#PSALDO 0 202302 5010 {} 100", '#PSALDO 0 202302 5010 {1 "B"} 200']);
    expect(rest.balanceCheck).toEqual({ basis: "periods", accounts: 4, mismatches: 0 });
    expect(rest.findings).toEqual([]);
  });

  it("a SIE 2–4 file without vouchers and without period balances has nothing to check against", () => {
    for (const type of [2, 3, 4]) expect(ledgerOf(head(type)).balanceCheck).toEqual({ basis: "unavailable", accounts: 0, mismatches: 0 });
    expect(ledgerOf([...head(4), ...periods]).balanceCheck.basis).toBe("periods");
  });
});
