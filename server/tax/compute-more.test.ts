import { describe, expect, it } from "vitest";
import { computeTax } from "./compute";
import { acc, kr, res } from "./testing";
import type { TaxComputation } from "./types";

// More single rules of computeTax, with hand-worked figures (kronor).

const field = (c: TaxComputation, code: string) => [...c.ink2, ...c.ink2r, ...c.ink2s].find((f) => f.code === code && f.kronor !== 0)?.kronor ?? 0;
const year = { start: "2024-01-01", end: "2024-12-31" };

describe("computeTax, more rules", () => {
  it("takes a booked closing entry (8999/2099) as the result already in equity", () => {
    // Profit 1 000 booked: 8999 debit 1 000, 2099 credit 1 000. 7302 = 1 000 (2099), nothing unbooked.
    const c = computeTax({ year, accounts: [acc("1930", "Bank", 0, 1_000), res("3001", "Försäljning", -1_000), res("8999", "Årets resultat", 1_000, "7450"), acc("2099", "Årets resultat", 0, -1_000)] });
    expect(field(c, "7302")).toBe(1_000);
    expect(c.ink2r.find((f) => f.code === "7302")!.lines.map((l) => l.source)).toEqual(["bas"]);
    expect(field(c, "7450")).toBe(1_000);
    expect(c.checks).toMatchObject({ balanceOk: true, resultOk: true });
  });

  it("files a split row's net on its '−' field when negative (3.12: 8010 +2 000, 8070 nedskrivning 500, 8020 −3 000)", () => {
    // 8000–8069 → 3.12: −2 000 (credit) + 3 000 (debit) = net −1 000 → 7518 (printed −) = 1 000. 8070 → 3.17 7521.
    const c = computeTax({ year, accounts: [acc("1930", "Bank", 0, -1_500), res("8010", "Utdelning", -2_000), res("8020", "Förlust", 3_000), res("8070", "Nedskrivning", 500)] });
    expect(field(c, "7518")).toBe(1_000);
    expect(field(c, "7414")).toBe(0);
    expect(field(c, "7521")).toBe(500);
    expect(field(c, "7550")).toBe(1_500);
  });

  it("puts a booked tax income on 4.5c, not 4.3a", () => {
    // 8910 credit 300 (a refund): 3.25 = −300 (against its printed minus); 4.5c = 300.
    const c = computeTax({ year, accounts: [acc("1930", "Bank", 0, 1_300), res("3001", "Försäljning", -1_000), res("8910", "Skatt", -300)] });
    expect(field(c, "7528")).toBe(-300);
    expect(field(c, "7754")).toBe(300);
    expect(field(c, "7651")).toBe(0);
    // 4.1 1 300 − 4.5c 300 = 1 000.
    expect(field(c, "7670")).toBe(1_000);
  });

  it("uses the user's INK2S amounts, wants a comment, refuses computed fields", () => {
    const c = computeTax({
      year, accounts: [acc("1930", "Bank", 0, 10_000), res("3001", "Försäljning", -10_000), res("6072", "Representation, ej avdragsgill", 0)],
      ink2sEdits: { "7653": { amountOre: kr(2_500), comment: "Gåvor till kunder" }, "7763": { amountOre: kr(1_000), comment: "" }, "7670": { amountOre: 1, comment: "x" } },
    });
    // 10 000 + 2 500 − 1 000 = 11 500.
    expect(c.ink2s.find((f) => f.code === "7653")).toMatchObject({ suggestedOre: 0, amountOre: kr(2_500), edited: true, comment: "Gåvor till kunder" });
    expect(field(c, "7670")).toBe(11_500);
    expect(c.problems.map((p) => p.key).sort()).toEqual(["adjustmentCommentMissing", "adjustmentNotEditable"]);
  });

  it("needs the statslåneränta: unknown year is an error until typed, the unconfirmed 2024 row a warning", () => {
    const books = () => [acc("1930", "Bank", 100_000, 100_000), acc("2121", "Periodiseringsfond 2021", -100_000, -100_000)];
    const unknown = computeTax({ year: { start: "2031-01-01", end: "2031-12-31" }, accounts: books() });
    expect(unknown.problems.map((p) => p.key)).toContain("slrUnknown");
    // Typed 3,00 %: 100 000 × 3 % = 3 000.
    const typed = computeTax({ year: { start: "2031-01-01", end: "2031-12-31" }, accounts: books(), slrBp: 300 });
    expect(field(typed, "7654")).toBe(3_000);
    // 2025 uses 30 nov 2024 (1,96 %, unconfirmed): 100 000 × 1,96 % = 1 960, with a warning.
    const c2025 = computeTax({ year: { start: "2025-01-01", end: "2025-12-31" }, accounts: books() });
    expect(field(c2025, "7654")).toBe(1_960);
    expect(c2025.problems).toEqual([expect.objectContaining({ key: "slrUnconfirmed", severity: "warning" })]);
  });

  it("says when an income account has no field: the result does not match, and which account", () => {
    // 8600 is in no row of the BAS table: the income statement says a profit of 1 000 − 100 = 900, the fields 1 000.
    const c = computeTax({ year, accounts: [acc("1930", "Bank", 0, 900), res("3001", "Försäljning", -1_000), res("8600", "Okänt", 100)] });
    expect(c.checks).toMatchObject({ resultOk: false, fieldsResultOre: kr(1_000), statementResultOre: kr(900) });
    expect(c.problems.map((p) => p.key)).toEqual(["accountWithoutCode", "resultMismatch"]);
    // An unknown code from the import or the override falls back to BAS, with a warning.
    const fallback = computeTax({ year, accounts: [acc("1930", "Bank", 0, 1_000), res("3001", "Försäljning", -1_000, "9999")], sruOverrides: { "1930": "0000" } });
    expect(field(fallback, "7410")).toBe(1_000);
    expect(field(fallback, "7281")).toBe(1_000);
    expect(fallback.problems.map((p) => [p.key, p.params.account])).toEqual([["sruCodeUnknown", "1930"], ["sruCodeUnknown", "3001"]]);
  });
});
