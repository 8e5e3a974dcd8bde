import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CRC_INIT, crcFinal, crcUpdate, formatAmount, parseAmountText, parseDateText, amountFlags, AMOUNT_COMMA, AMOUNT_ROUNDED,
} from "./bytes";

describe("amounts → öre without floating point", () => {
  it.each([
    ["5", 500], ["-3142.1", -314210], ["0.01", 1], ["-0.00", 0], ["1234567.89", 123456789], [".5", 50], ["+12", 1200],
    ["1.005", 101], ["-1.005", -101], ["1.0049", 100], ["2.675", 268], ["0.999", 100], ["-0.001", 0],
    ["90071992547409.91", 9007199254740991],
  ])("%s → %d", (text, ore) => {
    expect(parseAmountText(text)).toBe(ore);
    expect(Object.is(parseAmountText(text), -0)).toBe(false);
  });
  it("flags a decimal comma and rounding", () => {
    expect(parseAmountText("12,50")).toBe(1250);
    expect(amountFlags & AMOUNT_COMMA).toBeTruthy();
    expect(parseAmountText("1.234")).toBe(123);
    expect(amountFlags & AMOUNT_ROUNDED).toBeTruthy();
  });
  it.each(["", "-", "abc", "1.2.3", "1e5", "12 ", "--1", ".", "90071992547409.92"])("rejects %j", (text) => {
    expect(parseAmountText(text)).toBeNaN();
  });
  it("format and parse are inverse for every safe öre value", () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER + 100, max: Number.MAX_SAFE_INTEGER - 100 }), (ore) => {
      expect(parseAmountText(formatAmount(ore))).toBe(ore);
    }));
  });
  it("matches exact decimal arithmetic on random texts", () => {
    fc.assert(fc.property(fc.boolean(), fc.nat(10_000_000), fc.stringMatching(/^[0-9]{0,6}$/), (neg, whole, frac) => {
      const text = `${neg ? "-" : ""}${whole}${frac ? "." + frac : ""}`;
      const padded = (frac + "000").slice(0, 3);
      const expected = whole * 100 + Number(padded.slice(0, 2)) + (Number(padded[2]) >= 5 ? 1 : 0);
      expect(parseAmountText(text)).toBe(expected === 0 ? 0 : neg ? -expected : expected);
    }));
  });
});

describe("dates", () => {
  it("validates YYYYMMDD", () => {
    expect(parseDateText("20240229")).toBe(20240229);
    expect(parseDateText("20230229")).toBe(-1);
    expect(parseDateText("20231301")).toBe(-1);
    expect(parseDateText("")).toBe(0);
    expect(parseDateText("2023-01-31")).toBe(20230131);
    expect(parseDateText("2023011")).toBe(-1);
    expect(parseDateText("19700101")).toBe(19700101);
  });
});

describe("CRC-32", () => {
  it("equals zlib's crc32, also when fed in pieces", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (data, cut) => {
      const k = Math.min(cut, data.length);
      const state = crcUpdate(crcUpdate(CRC_INIT, data, 0, k), data, k, data.length);
      expect(crcFinal(state)).toBe(crc32(data));
    }));
  });
});
