import { describe, expect, it } from "vitest";
import { checkOrgNr, formatOrgNr, luhnValid } from "./org-nr";

describe("organisation numbers", () => {
  it("accepts known valid numbers with or without hyphen", () => {
    // 556036-0793 (a well-known listed company) and 212000-0142 (a public authority) are Luhn-valid.
    expect(checkOrgNr("556036-0793")).toEqual({ ok: true, value: "5560360793" });
    expect(checkOrgNr("2120000142")).toEqual({ ok: true, value: "2120000142" });
  });
  it("accepts the 12-digit forms SIE files carry: the 16 prefix of a company, the century of a sole trader", () => {
    expect(checkOrgNr("16556036-0793")).toEqual({ ok: true, value: "5560360793" });
    expect(checkOrgNr("165560360793")).toEqual({ ok: true, value: "5560360793" });
    expect(checkOrgNr("19550226-1513")).toEqual({ ok: true, value: "5502261513" });
    expect(checkOrgNr("17556036-0793")).toEqual({ ok: false, problem: "format" });
  });
  it("rejects a wrong check digit", () => {
    expect(checkOrgNr("556036-0794")).toEqual({ ok: false, problem: "checksum" });
  });
  it("rejects wrong lengths and letters", () => {
    expect(checkOrgNr("55603607")).toEqual({ ok: false, problem: "format" });
    expect(checkOrgNr("55603607AB")).toEqual({ ok: false, problem: "format" });
  });
  it("formats as NNNNNN-NNNN", () => {
    expect(formatOrgNr("5560360793")).toBe("556036-0793");
  });
  it("Luhn is the standard algorithm", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });
});
