import { describe, expect, it } from "vitest";
import { computeTax } from "./compute";
import { acc, kr, res } from "./testing";
import { taxVouchers } from "./vouchers";
import type { TaxComputation } from "./types";

// Worked examples. Every figure below was computed by hand from the rule cited next to it; the arithmetic is in
// the comments. Amounts in kronor unless said otherwise.

const field = (c: TaxComputation, code: string) => [...c.ink2, ...c.ink2r, ...c.ink2s].find((f) => f.code === code && f.kronor !== 0)?.kronor ?? 0;
const keys = (c: TaxComputation) => c.problems.map((p) => p.key);

describe("a normal 12-month profit year with a new periodiseringsfond (2024)", () => {
  // Balance sheet: IB 300 000 − 25 000 − 175 000 − 100 000 = 0. Income statement (debit +):
  // −1 000 000 + 300 000 + 10 000 + 400 000 − 2 000 + 1 000 = −291 000, a profit of 291 000.
  // Closing balance sheet: 641 000 − 25 000 − 175 000 − 100 000 − 50 000 = 291 000 = the unbooked profit.
  const accounts = [
    acc("1930", "Företagskonto", 300_000, 641_000),
    acc("2081", "Aktiekapital", -25_000, -25_000),
    acc("2091", "Balanserad vinst", -175_000, -175_000),
    acc("2123", "Periodiseringsfond 2023", -100_000, -100_000),
    acc("2440", "Leverantörsskulder", 0, -50_000),
    res("3001", "Försäljning", -1_000_000),
    res("5010", "Lokalhyra", 300_000),
    res("6072", "Representation, ej avdragsgill", 10_000),
    res("7010", "Löner", 400_000),
    res("8314", "Skattefria ränteintäkter", -2_000),
    res("8423", "Räntekostnader för skatter och avgifter", 1_000),
  ];
  const year = { start: "2024-01-01", end: "2024-12-31" };

  it("shows the books as they stand and the largest allocation", () => {
    const c = computeTax({ year, accounts });
    // INK2R (BAS defaults): 7281 641 000; 7301 25 000; 7302 175 000 + unbooked 291 000 = 466 000; 7321 100 000;
    // 7365 50 000. 7410 1 000 000; 7513 300 000 + 10 000; 7514 400 000; 7417 2 000 (83xx); 7522 1 000 (84xx).
    expect(Object.fromEntries(c.ink2r.map((f) => [f.code, f.kronor]))).toEqual({
      7281: 641_000, 7301: 25_000, 7302: 466_000, 7321: 100_000, 7365: 50_000,
      7410: 1_000_000, 7513: 310_000, 7514: 400_000, 7417: 2_000, 7522: 1_000, 7450: 291_000,
    });
    expect(c.checks).toMatchObject({ balanceOk: true, resultOk: true, assetsOre: kr(641_000) });
    // 4.3c: 6072 10 000 + 8423 1 000 = 11 000. 4.5c: 8314 2 000.
    // 4.6a schablonintäkt (30 kap. 6 a § IL): funds at the start 100 000 × statslåneräntan 30 nov 2023 2,62 %
    // × 12/12 = 2 620.
    expect(field(c, "7653")).toBe(11_000);
    expect(field(c, "7754")).toBe(2_000);
    expect(field(c, "7654")).toBe(2_620);
    // Surplus before any allocation: 291 000 + 11 000 − 2 000 + 2 620 = 302 620; at most 25 % of it
    // (30 kap. 5 § IL): 75 655.
    expect(field(c, "7670")).toBe(302_620);
    expect(c.planning.basisOre).toBe(kr(302_620));
    expect(c.planning.maxAllocationOre).toBe(kr(75_655));
    expect(c.problems).toEqual([]);
  });

  it("books the chosen allocation and the tax; the result after tax follows", () => {
    const c = computeTax({ year, accounts, choices: { allocationOre: kr(75_655), bookTax: true } });
    // After the allocation: 4.1 = 291 000 − 75 655 = 215 345 before tax; surplus 215 345 + 11 000 − 2 000 + 2 620
    // = 226 965. Rounded down to whole tens (1 kap. 7 § IL): 226 960; × 20,6 % (65 kap. 10 § IL)
    // = 46 753,76 → 46 753 (öre dropped).
    expect(c.planning).toMatchObject({
      allocationOre: kr(75_655), maxAllocationOre: kr(75_655), taxableOre: kr(226_965), taxBaseOre: kr(226_960),
      taxRateBp: 2060, taxOre: kr(46_753), bookedTaxOre: 0,
      // 291 000 − 75 655 = 215 345 before tax; − 46 753 = 168 592 after.
      resultBeforeTaxOre: kr(215_345), resultAfterTaxOre: kr(168_592),
    });
    // With the tax booked: 4.1 = 168 592, 4.3a adds the 46 753 back: the surplus is unchanged at 226 965.
    expect(field(c, "7650")).toBe(168_592);
    expect(field(c, "7651")).toBe(46_753);
    expect(field(c, "7670")).toBe(226_965);
    expect(field(c, "7104")).toBe(226_965);
    // The new fund goes to BAS 2124 "Periodiseringsfond 2024"; 7321 = 100 000 + 75 655 = 175 655;
    // 7368 2512 = 46 753; 7302 = 175 000 + 168 592 = 343 592. Assets 641 000 = 25 000 + 343 592 + 175 655
    // + 50 000 + 46 753.
    expect(field(c, "7321")).toBe(175_655);
    expect(field(c, "7368")).toBe(46_753);
    expect(field(c, "7302")).toBe(343_592);
    expect(field(c, "7525")).toBe(75_655);
    expect(field(c, "7528")).toBe(46_753);
    expect(field(c, "7450")).toBe(168_592);
    expect(c.checks.balanceOk).toBe(true);
    expect(c.problems).toEqual([]);

    const drafts = taxVouchers(c, new Set(accounts.map((a) => a.number)));
    expect(drafts).toEqual([
      {
        kind: "taxFundAllocation", date: "2024-12-31", text: "Avsättning till periodiseringsfond 2024",
        rows: [{ account: "8811", amountOre: kr(75_655) }, { account: "2124", amountOre: -kr(75_655) }],
        newAccounts: [{ number: "8811", name: "Avsättning till periodiseringsfond" }, { number: "2124", name: "Periodiseringsfond 2024" }],
      },
      {
        kind: "incomeTaxCalculated", date: "2024-12-31", text: "Skatt på årets resultat 2024",
        rows: [{ account: "8910", amountOre: kr(46_753) }, { account: "2512", amountOre: -kr(46_753) }],
        newAccounts: [{ number: "8910", name: "Skatt som belastar årets resultat" }, { number: "2512", name: "Beräknad inkomstskatt" }],
      },
    ]);
  });

  it("books only the difference to what the books already hold, and refuses more than 25 %", () => {
    // The accountant already booked 50 000 on 8811/2124 and a preliminary tax of 40 000 on 8910/2512.
    const booked = [
      ...accounts.map((a) => (a.number === "1930" ? { ...a, closingOre: kr(641_000) } : a)),
      res("8811", "Avsättning till periodiseringsfond", 50_000), acc("2124", "Periodiseringsfond 2024", 0, -50_000),
      res("8910", "Skatt som belastar årets resultat", 40_000), acc("2512", "Beräknad inkomstskatt", 0, -40_000),
    ];
    const c = computeTax({ year, accounts: booked, choices: { allocationOre: kr(75_655), bookTax: true } });
    // Allocation 75 655 − 50 000 = 25 655 more; tax 46 753 − 40 000 = 6 753 more.
    expect(c.planned.allocation).toMatchObject({ account: "8811", counterAccount: "2124", amountOre: kr(25_655) });
    expect(c.planned.tax).toMatchObject({ account: "8910", counterAccount: "2512", amountOre: kr(6_753) });
    expect(c.planning.taxOre).toBe(kr(46_753));
    const tooMuch = computeTax({ year, accounts, choices: { allocationOre: kr(75_656) } });
    expect(keys(tooMuch)).toEqual(["allocationAboveMax"]);
  });
});

describe("a short and a long financial year: the schablonintäkt is pro-rated", () => {
  const books = (start: string, end: string) => ({
    year: { start, end },
    accounts: [
      acc("1930", "Bank", 200_000, 300_000),
      acc("2122", "Periodiseringsfond 2022", -200_000, -200_000),
      res("3001", "Försäljning", -150_000),
      res("5010", "Lokalhyra", 50_000),
    ],
  });

  it("6 months (2024-07-01–2024-12-31)", () => {
    const c = computeTax(books("2024-07-01", "2024-12-31"));
    // The year ends in 2024: statslåneräntan 30 nov 2023 2,62 %. 200 000 × 2,62 % × 6/12 = 2 620
    // ("justeras i motsvarande mån", 30 kap. 6 a § andra stycket IL).
    expect(c.schablon).toMatchObject({ months: 6, ratePpm: 26_200, amountOre: kr(2_620) });
    // Surplus 100 000 + 2 620 = 102 620; tax 102 620 × 20,6 % = 21 139,72 → 21 139.
    expect(field(c, "7670")).toBe(102_620);
    expect(c.planning.taxOre).toBe(kr(21_139));
    expect(c.year.period).toBe("2024P4");
  });

  it("18 months (2023-07-01–2024-12-31)", () => {
    const c = computeTax(books("2023-07-01", "2024-12-31"));
    // 200 000 × 2,62 % × 18/12 = 7 860. Surplus 100 000 + 7 860 = 107 860; tax 107 860 × 20,6 % = 22 219,16 → 22 219.
    expect(c.schablon).toMatchObject({ months: 18, amountOre: kr(7_860) });
    expect(field(c, "7670")).toBe(107_860);
    expect(c.planning.taxOre).toBe(kr(22_219));
  });

  it("a year beginning before 2019 takes 72 % of the rate, floored at 0,5 % (2018)", () => {
    const c = computeTax(books("2018-01-01", "2018-12-31"));
    // 30 nov 2017 0,49 % < 0,5 % floor → 0,5 % × 72 % = 0,36 %; 200 000 × 0,36 % = 720. Tax rate 22 % (year
    // began before 2019): surplus 100 720 → 100 720 × 22 % = 22 158,40 → 22 158.
    expect(c.schablon).toMatchObject({ ratePpm: 3_600, amountOre: kr(720) });
    expect(c.planning).toMatchObject({ taxRateBp: 2200, taxOre: kr(22_158) });
  });
});

describe("an old fund that must be reversed", () => {
  const accounts = [
    acc("1930", "Bank", 90_000, 170_000),
    acc("2128", "Periodiseringsfond 2018", -50_000, -50_000),
    acc("2129", "Periodiseringsfond 2019", -40_000, -40_000),
    res("3001", "Försäljning", -200_000),
    res("5010", "Lokalhyra", 120_000),
  ];
  const year = { start: "2024-01-01", end: "2024-12-31" };

  it("is an error while the books keep it, and reversing it adds 6 % (made at 22 %, reversed at 20,6 %)", () => {
    // 2018 + 6 = 2024: the sixth tax year after it was made (30 kap. 7 § IL).
    const asBooked = computeTax({ year, accounts });
    expect(asBooked.problems).toContainEqual(expect.objectContaining({ key: "fundMustBeReversed", severity: "error", params: expect.objectContaining({ account: "2128", year: 2018 }) }));
    expect(asBooked.funds.find((f) => f.account === "2128")).toMatchObject({ mustReverse: true, upliftPercent: 6, upliftOre: 0 });
    expect(asBooked.funds.find((f) => f.account === "2129")).toMatchObject({ mustReverse: false, upliftPercent: 3 });

    // Reverse 2018 in full ("required") and 20 000 of 2019 by choice.
    const c = computeTax({ year, accounts, choices: { reversals: { "2128": kr(50_000), "2129": kr(20_000) } } });
    // 4.6d: 50 000 × 6 % = 3 000 (2018 made at 22 %) + 20 000 × 3 % = 600 (2019 made at 21,4 %) = 3 600.
    expect(field(c, "7673")).toBe(3_600);
    // 4.6a on the funds at the start: (50 000 + 40 000) × 2,62 % = 2 358.
    expect(field(c, "7654")).toBe(2_358);
    // INK2R: 7420 = 70 000; result 200 000 − 120 000 + 70 000 = 150 000; 7321 = 90 000 − 70 000 = 20 000.
    expect(field(c, "7420")).toBe(70_000);
    expect(field(c, "7450")).toBe(150_000);
    expect(field(c, "7321")).toBe(20_000);
    // Surplus 150 000 + 2 358 + 3 600 = 155 958; base 155 950 × 20,6 % = 32 125,70 → 32 125.
    expect(field(c, "7670")).toBe(155_958);
    expect(c.planning.taxOre).toBe(kr(32_125));
    expect(keys(c)).toEqual([]);
    expect(taxVouchers(c, new Set(accounts.map((a) => a.number)))).toEqual([{
      kind: "taxFundReversal", date: "2024-12-31", text: "Återföring av periodiseringsfond 2018, 2019",
      rows: [
        { account: "2128", amountOre: kr(50_000), text: "Periodiseringsfond 2018" },
        { account: "8819", amountOre: -kr(50_000), text: "Periodiseringsfond 2018" },
        { account: "2129", amountOre: kr(20_000), text: "Periodiseringsfond 2019" },
        { account: "8819", amountOre: -kr(20_000), text: "Periodiseringsfond 2019" },
      ],
      newAccounts: [{ number: "8819", name: "Återföring från periodiseringsfond" }],
    }]);
    // "required" reverses only what must go: the 2018 fund.
    const required = computeTax({ year, accounts, choices: { reversals: "required" } });
    expect(required.planned.reversals.map((r) => [r.account, r.amountOre])).toEqual([["2128", kr(50_000)]]);
  });

  it("made at 22 % and reversed in a year taxed at 21,4 %: 3 % (2020)", () => {
    // A 2014 fund in 2020: 2020 − 2014 = 6, must go. Made 2014 (22 %), reversed in a year beginning 2020
    // (21,4 %): + 3 % → 30 000 × 3 % = 900. Schablonintäkt: 30 nov 2019 −0,09 % → floor 0,5 %, 100 % of it
    // (year beginning 2020): 30 000 × 0,5 % = 150.
    const c = computeTax({
      year: { start: "2020-01-01", end: "2020-12-31" },
      accounts: [acc("1930", "Bank", 30_000, 30_000), acc("2124", "Periodiseringsfond 2014", -30_000, -30_000)],
      choices: { reversals: "required" },
    });
    expect(field(c, "7673")).toBe(900);
    expect(field(c, "7654")).toBe(150);
    // Surplus 30 000 + 150 + 900 = 31 050 × 21,4 % = 6 644,70 → 6 644.
    expect(c.planning).toMatchObject({ taxableOre: kr(31_050), taxRateBp: 2140, taxOre: kr(6_644) });
  });
});

describe("a loss year", () => {
  it("has no tax, and carries the loss with last year's", () => {
    const c = computeTax({
      year: { start: "2024-01-01", end: "2024-12-31" },
      accounts: [
        acc("1930", "Bank", 100_000, 50_000),
        acc("2091", "Balanserad vinst", -100_000, -100_000),
        res("3001", "Försäljning", -100_000),
        res("5010", "Lokalhyra", 145_000),
        res("6072", "Representation, ej avdragsgill", 5_000),
      ],
      previousLossOre: kr(30_000),
      choices: { bookTax: true },
    });
    // Result −100 000 + 145 000 + 5 000 = a loss of 50 000 (3.27, 7550; 4.2, 7750).
    expect(field(c, "7550")).toBe(50_000);
    expect(field(c, "7750")).toBe(50_000);
    // −50 000 + 5 000 (4.3c) − 30 000 (4.14a, last year's loss) = −75 000 → 4.16 underskott 75 000, INK2 1.2.
    expect(field(c, "7763")).toBe(30_000);
    expect(field(c, "7770")).toBe(75_000);
    expect(field(c, "7114")).toBe(75_000);
    expect(field(c, "7670")).toBe(0);
    expect(c.planning).toMatchObject({ taxOre: 0, maxAllocationOre: 0, taxableOre: -kr(75_000), resultAfterTaxOre: -kr(50_000) });
    expect(c.planned.tax).toBeNull();
    // 7302: −100 000 + (−50 000) = 50 000 fritt eget kapital; assets 50 000.
    expect(field(c, "7302")).toBe(50_000);
    expect(c.checks.balanceOk).toBe(true);
  });
});

describe("the accounts behind the fields", () => {
  it("override > import > BAS default, every account listed with its source", () => {
    const c = computeTax({
      year: { start: "2024-01-01", end: "2024-12-31" },
      accounts: [
        acc("1930", "Bank", 0, 1_000, "7281"), acc("1931", "Bank 2", 0, 500), acc("2099", "Årets resultat", 0, 0, "7302"),
        res("3001", "Försäljning", -1_000, "7410"), res("3990", "Övrigt", -500),
      ],
      sruOverrides: { "3990": "7410" },
    });
    const sales = c.ink2r.find((f) => f.code === "7410")!;
    expect(sales.lines.map((l) => [l.account, l.amountOre, l.source])).toEqual([["3001", kr(1_000), "import"], ["3990", kr(500), "override"]]);
    expect(c.ink2r.find((f) => f.code === "7281")!.lines.map((l) => [l.account, l.source])).toEqual([["1930", "import"], ["1931", "bas"]]);
  });

  it("an account without a field breaks both checks and says which", () => {
    const c = computeTax({
      year: { start: "2024-01-01", end: "2024-12-31" },
      accounts: [acc("1930", "Bank", 0, 1_000), res("3001", "Försäljning", -800), acc("9999", "Okänt", 0, -200), res("3002", "X", 0, "9999")],
    });
    expect(keys(c)).toEqual(expect.arrayContaining(["accountWithoutCode", "sruCodeUnknown"]));
    expect(c.checks.balanceOk).toBe(false);
  });
});
