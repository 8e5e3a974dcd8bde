import { isUtf8 } from "node:buffer";
import { crc32 } from "node:zlib";
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  CRC_INIT, crcFinal, crcUpdate, formatAmount, parseAmountText, parseDateText, amountFlags, AMOUNT_COMMA, AMOUNT_ROUNDED,
  decodeAscii, decodeCp437, decodeLatin1, isStrictUtf8, isoDate,
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

describe("code pages", () => {
  // Short fields, long fields (Latin-1 and UTF-16 paths) and fields longer than the scratch buffer.
  const lengths = fc.oneof(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 14, max: 200 }), fc.integer({ min: 4090, max: 9000 }));
  it("decode CP437 and Windows-1252 exactly like iconv-lite, at any offset and length", () => {
    fc.assert(fc.property(lengths, fc.nat(5), fc.integer({ min: 0, max: 255 }), (len, offset, seed) => {
      const bytes = Buffer.alloc(len + offset + 3);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (seed + i * 37) & 0xff;
      const field = bytes.subarray(offset, offset + len);
      expect(decodeCp437(bytes, offset, offset + len)).toBe(iconv.decode(field, "cp437"));
      expect(decodeLatin1(bytes, offset, offset + len)).toBe(iconv.decode(field, "win1252"));
    }), { numRuns: 200 });
  });
  it("decodes every byte value, including CP437's box drawing and Greek beyond Latin-1", () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(decodeCp437(all, 0, 256)).toBe(iconv.decode(all, "cp437"));
    expect(decodeCp437(Buffer.from([0x94, 0xe4]), 0, 2)).toBe("öΣ");
    expect(decodeLatin1(Buffer.from([0xf6, 0x80]), 0, 2)).toBe("ö€");
    expect(decodeAscii(Buffer.from("#TRANS 1930 {} 100.00 \"Kundfaktura 17\""), 7, 11)).toBe("1930");
    expect(decodeAscii(Buffer.from("a long ascii text field"), 0, 23)).toBe("a long ascii text field");
  });
  it("checks strict UTF-8 like Node's isUtf8, on any slice", () => {
    const sample = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 20 }).map((s) => new Uint8Array(Buffer.from(s, "utf8"))),
    );
    fc.assert(fc.property(sample, fc.nat(3), fc.nat(3), (data, a, b) => {
      const s = Math.min(a, data.length), e = Math.max(s, data.length - b);
      expect(isStrictUtf8(data, s, e)).toBe(isUtf8(data.subarray(s, e)));
    }), { numRuns: 2000 });
    // Overlong, surrogate, above U+10FFFF, truncated: all invalid.
    for (const bad of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3]])
      expect(isStrictUtf8(Uint8Array.from(bad), 0, bad.length)).toBe(false);
    expect(isStrictUtf8(Buffer.from("Åäö €𝄞"), 0, Buffer.byteLength("Åäö €𝄞"))).toBe(true);
  });
  it("formats dates, also when the same date repeats or alternates", () => {
    expect([isoDate(20230105), isoDate(20230105), isoDate(20231231), isoDate(20230105)])
      .toEqual(["2023-01-05", "2023-01-05", "2023-12-31", "2023-01-05"]);
  });
});
