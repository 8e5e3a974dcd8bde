import { describe, expect, it } from "vitest";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import { WARNING_CODES, warningDetail } from "./warnings";
import { ledgerOf } from "./testing";

// The import page says each warning in the user's language by its code and keeps what the file added.

const texts = (m: unknown) => (m as { import: { warningCode: Record<string, string> } }).import.warningCode;

describe("SIE warning texts", () => {
  it("every code has a text in Swedish and English, and no other keys", () => {
    const codes = Object.keys(WARNING_CODES).sort();
    expect(Object.keys(texts(sv)).sort()).toEqual(codes);
    expect(Object.keys(texts(en)).sort()).toEqual(codes);
    for (const c of codes) expect(texts(sv)[c], c).not.toBe(texts(en)[c]);
  });

  it("the detail is what the message adds to its code's text", () => {
    expect(warningDetail("unknown_label", `${WARNING_CODES.unknown_label}: #FOO`)).toBe("#FOO");
    expect(warningDetail("bad_amount", `${WARNING_CODES.bad_amount}: "12,3,4"`)).toBe('"12,3,4"');
    expect(warningDetail("missing_field", `${WARNING_CODES.missing_field} (#PSALDO)`)).toBe("#PSALDO");
    expect(warningDetail("decimal_comma", WARNING_CODES.decimal_comma)).toBe("");
    // A message that is not the code's text (or an unknown code) has no detail to split off.
    expect(warningDetail("decimal_comma", "something else")).toBe("");
    expect(warningDetail("no_such_code", "whatever")).toBe("");
  });

  it("details of the reader's own warnings come out whole", () => {
    const { warnings } = ledgerOf(["#FLAGGA 0", "#SIETYP 4", "#RAR 0 20250101 20251231", "#FOO bar", '#KONTO 1930 "Bank"', '#VER A 1 20250105 "x"', "{", "#TRANS 1930 {} 12x", "}"]);
    const byCode = Object.fromEntries(warnings.map((w) => [w.code, warningDetail(w.code, w.message)]));
    expect(byCode.unknown_label).toBe("#FOO");
    expect(byCode.bad_amount).toBe('"12x"');
  });
});
