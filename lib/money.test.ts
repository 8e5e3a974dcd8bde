import { describe, expect, it } from "vitest";
import { formatOre, oreToInput, parseAmountToOre, parsePercentToBp } from "./money";

// What the Skatt page's inputs accept: amounts in kronor and rates in per cent, read exactly from the text.

describe("amounts typed by the user", () => {
  it.each([
    ["10 000", 1_000_000], ["1 234,50", 123_450], ["1234.5", 123_450], ["−500", -50_000], ["-0,01", -1], ["0", 0],
    ["45\u00a0000,00", 4_500_000],
  ])("%s → %i öre", (text, ore) => expect(parseAmountToOre(text)).toBe(ore));

  it.each(["", "12,345", "1,2,3", "abc", "12 kr", "1e5"])("%s is no amount", (text) => expect(parseAmountToOre(text)).toBeNull());

  it("round-trips through the input form and shows sv-SE", () => {
    expect(parseAmountToOre(oreToInput(-123_456_789))).toBe(-123_456_789);
    expect(formatOre(4_500_000)).toBe("45\u00a0000,00");
  });
});

describe("rates typed in per cent", () => {
  it.each([["2,62", 262], ["2.62", 262], ["1,96", 196], ["3", 300], ["0,5", 50], [" 12,05 ", 1205]])("%s → %i bp", (text, bp) =>
    expect(parsePercentToBp(text)).toBe(bp));

  it.each(["", "2,625", "-1", "100", "2 %", "two"])("%s is no rate", (text) => expect(parsePercentToBp(text)).toBeNull());
});
