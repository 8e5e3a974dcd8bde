import { describe, expect, it } from "vitest";
import { taxFor } from "./compute";
import { basDefaultCode } from "./data/bas";
import { periodOf, reversalUpliftPercent, schablonRatePpm, slrFor, taxRateFor } from "./data/years";
import { fundAccountFor, fundYearFromName, fundYearFromNumber, monthsOfYear } from "./funds";
import { mulDivFloor } from "./money";
import type { ResolvedAccount } from "./types";

// The single rules, each with figures worked by hand from its source (cited in data/years.ts and funds.ts).

describe("the tax on a surplus", () => {
  it("rounds the surplus down to whole tens (1 kap. 7 § IL), then drops the öre of the tax", () => {
    // 100 009 → 100 000 × 20,6 % = 20 600. 100 019 → 100 010 × 20,6 % = 20 602,06 → 20 602.
    expect(taxFor(100_009, 2060)).toBe(20_600_00);
    expect(taxFor(100_019, 2060)).toBe(20_602_00);
    expect(taxFor(9, 2060)).toBe(0);
    expect(taxFor(-5_000, 2060)).toBe(0);
  });

  it("takes the rate of the year the tax year begins in (65 kap. 10 § IL)", () => {
    expect(taxRateFor("2018-07-01").bp).toBe(2200);
    expect(taxRateFor("2019-01-01").bp).toBe(2140);
    expect(taxRateFor("2020-12-01").bp).toBe(2140);
    expect(taxRateFor("2021-01-01").bp).toBe(2060);
  });
});

describe("the schablonintäkt rate", () => {
  it("follows FAR's published rates for the years around the 2017 floor and the 2019 change", () => {
    // Year 2016-07-01–2017-06-30: 30 nov 2016 0,27 % × 72 %, no floor yet = 0,1944 % (FAR: 0,19).
    expect(schablonRatePpm("2016-07-01", slrFor(2016)!.bp)).toBe(1_944);
    // Year 2018: 0,49 % → floor 0,5 % × 72 % = 0,36 % (FAR: 0,36).
    expect(schablonRatePpm("2018-01-01", slrFor(2017)!.bp)).toBe(3_600);
    // Year 2019: 0,51 % × 100 % (FAR: 0,51).
    expect(schablonRatePpm("2019-01-01", slrFor(2018)!.bp)).toBe(5_100);
    // Year 2021: 30 nov 2020 −0,10 % → floor 0,5 %.
    expect(schablonRatePpm("2021-01-01", slrFor(2020)!.bp)).toBe(5_000);
    expect(slrFor(2024)!.confirmed).toBe(false);
    expect(slrFor(2031)).toBeNull();
  });

  it("counts months, or days for a year off the month boundaries", () => {
    expect(monthsOfYear({ start: "2024-07-01", end: "2024-12-31" })).toBe(6);
    expect(monthsOfYear({ start: "2023-07-01", end: "2024-12-31" })).toBe(18);
    expect(monthsOfYear({ start: "2024-03-15", end: "2024-12-31" })).toBeNull();
  });
});

describe("the uplift on reversed funds (övergångsbestämmelserna till SFS 2018:1206)", () => {
  it("is 6 % or 3 % by the rates at allocation and at reversal", () => {
    expect(reversalUpliftPercent("2018-01-01", "2024-01-01")).toBe(6);
    expect(reversalUpliftPercent("2017-01-01", "2019-01-01")).toBe(3);
    expect(reversalUpliftPercent("2019-01-01", "2024-01-01")).toBe(3);
    expect(reversalUpliftPercent("2021-01-01", "2024-01-01")).toBe(0);
    expect(reversalUpliftPercent("2019-01-01", "2020-01-01")).toBe(0);
  });
});

describe("which account holds which fund", () => {
  it("reads the year from the name, BAS's older 'vid YYYY års taxering' being the year after", () => {
    expect(fundYearFromName("Periodiseringsfond 2021")).toBe(2021);
    expect(fundYearFromName("Periodiseringsfonder vid 2010 års taxering")).toBe(2009);
    expect(fundYearFromName("Periodiseringsfonder")).toBeNull();
  });

  it("else from BAS's last digit: 212d and 213d", () => {
    expect(fundYearFromNumber("2128", 2024, true)).toBe(2018);
    expect(fundYearFromNumber("2134", 2024, true)).toBe(2014);
    expect(fundYearFromNumber("2124", 2024, false)).toBe(2024);
    expect(fundYearFromNumber("2150", 2024, true)).toBeNull();
  });

  const a = (number: string, name: string | null, ibOre = 0): ResolvedAccount =>
    ({ number, name, code: "7321", source: "import", row: "2.29", ibOre, closingOre: ibOre, plannedOre: 0 });

  it("puts this year's fund on the chart's account named for the year, else 212d, else 213d", () => {
    expect(fundAccountFor(2025, [a("2119", "Periodiseringsfond 2025")])).toEqual({ number: "2119", name: "Periodiseringsfond 2025", exists: true });
    expect(fundAccountFor(2025, [])).toEqual({ number: "2125", name: "Periodiseringsfond 2025", exists: false });
    // 2125 still holds the 2015 fund: the second account of the year.
    expect(fundAccountFor(2025, [a("2125", "Periodiseringsfond 2015", -100)])).toEqual({ number: "2135", name: "Periodiseringsfond 2025 – nr 2", exists: false });
    expect(fundAccountFor(2025, [a("2125", "Periodiseringsfond 2015", -100), a("2135", "Periodiseringsfond 2015 – nr 2", -100)])).toBeNull();
  });
});

describe("the BAS default table", () => {
  it("maps the usual accounts and splits the periodiseringsfond group account by its sign", () => {
    expect(basDefaultCode("1930", 100)).toBe("7281");
    expect(basDefaultCode("2440", -100)).toBe("7365");
    expect(basDefaultCode("5010", 100)).toBe("7513");
    expect(basDefaultCode("6992", 100)).toBe("7513");
    expect(basDefaultCode("8810", -100)).toBe("7420");
    expect(basDefaultCode("8810", 100)).toBe("7525");
    expect(basDefaultCode("8999", 100)).toBeNull();
    expect(basDefaultCode("19300", 100)).toBeNull();
  });
});

describe("periods and arithmetic", () => {
  it("names the blankett period by the month the year ends (32 kap. 2 § SFL's four dates)", () => {
    expect(periodOf("2025-12-31")).toBe("2025P4");
    expect(periodOf("2025-09-30")).toBe("2025P4");
    expect(periodOf("2026-08-31")).toBe("2026P3");
    expect(periodOf("2026-06-30")).toBe("2026P2");
    expect(periodOf("2026-04-30")).toBe("2026P1");
  });

  it("multiplies past 2^53 exactly", () => {
    expect(mulDivFloor(10_000_000_000_000, 262 * 100 * 18, 12_000_000)).toBe(393_000_000_000);
    expect(mulDivFloor(-7, 1, 2)).toBe(-4);
  });
});
