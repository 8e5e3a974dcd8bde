import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { buildLedgerSync } from "./stream";
import { withoutLines } from "./testing";
import type { SieObjectRef, SieRow } from "./types";
import { writeSie, type SieWriteVoucher } from "./writer";
import type { SieYear } from "./checks";
import type { SieDimension } from "./stream";

const chars = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 åäöÅÄÖéü.,-&/()#{}\"\\'"];
// A text may hold quotes and backslashes anywhere but at its end: SIE cannot tell `\"` at the end of a
// field from an escaped quote when more quoted fields follow on the line.
const text = fc.array(fc.constantFrom(...chars), { maxLength: 20 }).map((a) => a.join("")).filter((s) => !s.endsWith("\\"));
const isoDay = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10));
const amount = fc.integer({ min: -1_000_000_000_00, max: 1_000_000_000_00 });
const quantity = fc.option(fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 1000), { nil: null });

const ledgerInput = fc
  .uniqueArray(fc.integer({ min: 1000, max: 99_999_999 }).map(String), { minLength: 1, maxLength: 8 })
  .chain((numbers) => {
    const account = fc.constantFrom(...numbers);
    const objectList = fc.array(fc.record({ dim: fc.constantFrom("1", "6", "20"), object: text }), { maxLength: 2 });
    const row = (date: string) =>
      fc.record({
        account, objects: objectList as fc.Arbitrary<SieObjectRef[]>, amount,
        date: fc.oneof(fc.constant(date), isoDay), text, quantity, sign: text,
      });
    const voucher = isoDay.chain((date) =>
      fc.record({
        series: fc.constantFrom("A", "B", "LF", "Ser ie", ""),
        number: fc.oneof(fc.nat(100_000).map(String), fc.constant("")),
        date: fc.constant(date), text, regDate: fc.option(isoDay, { nil: null }), sign: text,
        rows: fc.array(row(date), { maxLength: 6 }),
        removed: fc.array(row(date), { maxLength: 2 }),
        addedPick: fc.array(fc.nat(), { maxLength: 2 }),
      }).map(({ removed, addedPick, ...v }) => {
        const picked = [...new Set(addedPick.filter(() => v.rows.length > 0).map((i) => i % v.rows.length))].sort((a, b) => a - b);
        const corrections = [
          ...picked.map((i) => ({ kind: "added" as const, ...v.rows[i], sign: "Anna Ek" })),
          ...removed.map((r) => ({ kind: "removed" as const, ...r })),
        ];
        return { ...v, corrections } as SieWriteVoucher;
      }),
    );
    const yearMap = fc.dictionary(fc.constantFrom("0", "-1"), fc.dictionary(account, amount, { minKeys: 1, maxKeys: 4 }), { maxKeys: 2 });
    return fc.record({
      company: fc.record({ name: text, orgNr: fc.constantFrom("556677-8899", "5566778899", ""), fnr: text }),
      years: fc.constant<SieYear[]>([{ index: 0, start: "2023-01-01", end: "2023-12-31" }, { index: -1, start: null, end: null }]),
      accounts: fc.tuple(...numbers.map((number) =>
        fc.record({
          number: fc.constant(number), name: text, type: fc.constantFrom(null, "T", "S", "K", "I"),
          sru: fc.array(fc.integer({ min: 7000, max: 8000 }).map(String), { maxLength: 2 }),
          unit: fc.option(text, { nil: null }),
        }),
      )),
      dimensions: fc.constant<SieDimension[]>([{ dim: "1", name: "Kostnadsställe", parent: null }, { dim: "20", name: "Avdelning", parent: "1" }]),
      objects: fc.array(fc.record({ dim: fc.constantFrom("1", "6"), object: text, name: text }), { maxLength: 3 }),
      balances: fc.record({ ib: yearMap, ub: yearMap, res: yearMap }),
      vouchers: fc.array(voucher, { maxLength: 6 }),
    });
  });

describe("writer", () => {
  it("write then parse gives back the same ledger (4E)", () => {
    fc.assert(
      fc.property(ledgerInput, (input) => {
        const bytes = writeSie({ ...input, company: { ...input.company, generated: { date: "2024-01-10", sign: "" } } }, { type: "4E" });
        const l = buildLedgerSync(bytes, { strict: true });
        expect(l.ksumma).toBe("valid");
        expect(l.encoding === "cp437" || l.encoding === "utf-8").toBe(true);
        expect(l.company).toMatchObject({ name: input.company.name, orgNr: input.company.orgNr, fnr: input.company.fnr, sieType: "4", format: "PC8" });
        expect(l.years).toEqual(input.years);
        expect(l.accounts.map(({ number, name, type, sru, unit }) => ({ number, name, type, sru, unit }))).toEqual(input.accounts);
        expect(l.dimensions).toEqual(input.dimensions);
        expect(l.objects).toEqual(input.objects);
        expect(l.balances).toEqual(input.balances);
        expect(withoutLines(l.vouchers)).toEqual(withoutLines(input.vouchers));
      }),
      { numRuns: 200 },
    );
  });

  it("4I leaves balances out and keeps vouchers", () => {
    const row = (account: string, amount: number): SieRow => ({ account, objects: [], amount, date: "2023-05-01", text: "", quantity: null, sign: "", line: 0 });
    const bytes = writeSie({
      company: { name: "Bolaget" }, balances: { ib: { "0": { "1930": 5 } } },
      vouchers: [{ series: "B", number: "", date: "2023-05-01", text: "Bokslut", regDate: null, sign: "", rows: [row("1930", 100), row("3001", -100)], corrections: [] }],
    }, { type: "4I" });
    const text = iconv.decode(bytes, "cp437");
    expect(text).not.toContain("#IB");
    expect(text).toContain('#VER B "" 20230501 "Bokslut"\r\n{\r\n\t#TRANS 1930 {} 1.00 20230501 ""\r\n');
    const l = buildLedgerSync(bytes, { strict: true });
    expect(l.vouchers[0].rows.map((r) => r.amount)).toEqual([100, -100]);
    expect(l.ksumma).toBe("valid");
  });

  it("writes CP437 bytes, #FORMAT PC8 and KSUMMA after #FLAGGA", () => {
    const bytes = writeSie({ company: { name: "Åkesson", generated: { date: "2024-01-10", sign: "" } }, accounts: [{ number: "1930", name: "Företagskonto \"Nord\" C:\\x", type: null, sru: [], unit: null }] }, { type: "4E" });
    const lines = iconv.decode(bytes, "cp437").split("\r\n");
    expect(lines.slice(0, 4)).toEqual(["#FLAGGA 0", "#KSUMMA", '#PROGRAM "Skatt & Bokslut" "1.0"', "#FORMAT PC8"]);
    expect(lines).toContain('#KONTO 1930 "Företagskonto \\"Nord\\" C:\\x"');
    expect(bytes.includes(Buffer.from([0x94]))).toBe(true); // ö in CP437
    expect(lines.at(-2)).toMatch(/^#KSUMMA \d+$/);
  });
});
