import path from "node:path";
import { describe, expect, it } from "vitest";
import { summarizeFile } from "./summary";

// The fixtures of each SIE shape (fixtures/README.md) read as the CLI summary reads them.
const fixture = (name: string) => path.join(import.meta.dirname, "fixtures", name);

describe("SIE fixtures of each shape", () => {
  it.each([
    ["sie1-year-end-balances.se", "1", 0, 0, { basis: "not_applicable", accounts: 0, mismatches: 0 }],
    ["sie2-period-balances.se", "2", 0, 0, { basis: "periods", accounts: 12, mismatches: 0 }],
    ["sie3-objects.se", "3", 0, 0, { basis: "periods", accounts: 12, mismatches: 0 }],
    ["sie4-rtrans-registration-day.se", "4", 8, 22, { basis: "transactions", accounts: 12, mismatches: 0 }],
  ])("%s: type %s, %i vouchers, %i rows, balances agree", async (name, type, vouchers, rows, balanceCheck) => {
    const { summary, readable } = await summarizeFile(fixture(name));
    expect(readable).toBe(true);
    expect(summary).toMatchObject({ sieType: type, encoding: "cp437", companyName: "Ängens Snickeri AB", vouchers, transactions: rows, balanceCheck });
    expect(summary.warnings).toEqual([]);
    expect(summary.balances["0"]["1930"]).toEqual({ ib: 8_500_000, ub: 5_700_000 });
    expect(summary.results["0"]["3001"]).toBe(-2_800_000);
  });

  it("the SIE 4 file counts each corrected row once: turnover is the year's change", async () => {
    const { summary } = await summarizeFile(fixture("sie4-rtrans-registration-day.se"));
    expect(summary.turnover).toMatchObject({ "1930": -2_800_000, "3001": -2_800_000, "3002": -200_000, "5460": 80_000 });
    expect(summary.turnover["6110"]).toBeUndefined(); // struck by #BTRANS
  });
});
