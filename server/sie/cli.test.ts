import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "sie-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...files: string[]): Promise<{ code: number; lines: unknown[] }> {
  return new Promise((resolve) => {
    execFile(path.join(root, "node_modules/.bin/tsx"), ["server/sie/cli.ts", "summary", ...files], { cwd: root }, (err, stdout) => {
      resolve({ code: err ? Number(err.code) : 0, lines: stdout.trim().split("\n").map((l) => JSON.parse(l)) });
    });
  });
}

// [line as written, its contribution to the #KSUMMA checksum]
const body: [string, string][] = [
  ['#PROGRAM "Fortnox" 3.57', "#PROGRAMFortnox3.57"],
  ['#FORMAT PC8', "#FORMATPC8"],
  ['#GEN 20240115 "anna"', "#GEN20240115anna"],
  ["#SIETYP 4", "#SIETYP4"],
  ['#FNR "C:\\Bolag\\"', "#FNRC:\\Bolag\\"],
  ["#ORGNR 556677-8899", "#ORGNR556677-8899"],
  ["#FNAMN Övningsbolaget AB", "#FNAMNÖvningsbolagetAB"],
  ["#RAR 0 20230101 20231231", "#RAR02023010120231231"],
  ["#RAR -1 20220101 20221231", "#RAR-12022010120221231"],
  ['#KONTO 1930 "Företagskonto"', "#KONTO1930Företagskonto"],
  ['#KONTO 2440 "Leverantörsskulder"', "#KONTO2440Leverantörsskulder"],
  ['#KONTO 3001 "Försäljning"', "#KONTO3001Försäljning"],
  ['#KONTO 3001 "Försäljning 25%"', "#KONTO3001Försäljning 25%"],
  ['#KONTO 5010 "Lokalhyra"', "#KONTO5010Lokalhyra"],
  ["#IB 0 1930 10000.00", "#IB0193010000.00"],
  ["#IB 0 1930 500.50", "#IB01930500.50"],
  ["#UB 0 1930 9250.50", "#UB019309250.50"],
  ["#IB 0 2440 -2000", "#IB02440-2000"],
  ["#UB -1 2440 -2000.00", "#UB-12440-2000.00"],
  ["#UB -1 1930 10500.50", "#UB-1193010500.50"],
  ["#RES 0 3001 -1000.00", "#RES03001-1000.00"],
  ["#RES 0 5010 2500", "#RES050102500"],
  ['#VER A 1 20230110 "Hyra"', "#VERA120230110Hyra"],
  ["{", ""],
  ["  #TRANS 5010 {} 2500.00", "#TRANS50102500.00"],
  ["  #TRANS 1930 {} -2500.00", "#TRANS1930-2500.00"],
  ["}", ""],
  ['#VER A 2 20230115 "Faktura"', "#VERA220230115Faktura"],
  ["{", ""],
  ['\t#TRANS 1930 {} 1250.00 "" "" 0', "#TRANS19301250.000"],
  ["\t#TRANS 3001 {} -1000.00", "#TRANS3001-1000.00"],
  ['\t#RTRANS 2440 {} -250.00 "" "" 0 "Bo Ek"', "#RTRANS2440-250.000Bo Ek"],
  ['\t#TRANS 2440 {} -250.00 "" "" 0', "#TRANS2440-250.000"],
  ['\t#BTRANS 3001 {} -999.99 "" "" 0 "Bo Ek"', "#BTRANS3001-999.990Bo Ek"],
  ["}", ""],
  ['#VER B 1 20230120 "Avrundning"', "#VERB120230120Avrundning"],
  ["{", ""],
  ["#TRANS 1930 {} 0.005", "#TRANS19300.005"],
  ["#TRANS 3001 {} -0.00", "#TRANS3001-0.00"],
  ["}", ""],
];
const checksum = crc32(iconv.encode(body.map((b) => b[1]).join(""), "cp437"));
const fixture = ["#FLAGGA 0", "#KSUMMA", ...body.map((b) => b[0]), `#KSUMMA ${checksum}`].join("\r\n") + "\r\n";

const w = (line: number | null, code: string, message: string, extra: object = {}) =>
  ({ line, code, message, ...extra, text: line === null ? message : `line ${line}: ${message}` });

const expected = {
  sieType: "4",
  program: "Fortnox",
  encoding: "cp437",
  companyName: "Övningsbolaget AB",
  orgNr: "556677-8899",
  years: [{ index: 0, start: "2023-01-01", end: "2023-12-31" }, { index: -1, start: "2022-01-01", end: "2022-12-31" }],
  accounts: 4,
  vouchers: 3,
  transactions: 7, // A1: 2, A2: 2 + the RTRANS twin once, B1: 2; the BTRANS never counts
  unbalancedVouchers: 1,
  balanceCheck: { basis: "transactions", accounts: 4, mismatches: 2 },
  ksumma: "valid",
  balances: {
    "0": { "1930": { ib: 1050050, ub: 925050 }, "2440": { ib: -200000, ub: 0 } },
    "-1": { "2440": { ib: 0, ub: -200000 }, "1930": { ib: 0, ub: 1050050 } },
  },
  results: { "0": { "3001": -100000, "5010": 250000 } },
  turnover: { "5010": 250000, "1930": -124999, "3001": -100000, "2440": -25000 },
  warnings: [
    w(9, "unquoted_text", "Unquoted text with spaces was joined into one field"),
    w(15, "duplicate_account", "#KONTO 3001 repeated; the last name is used"),
    w(40, "amount_rounded", "Amount has more than two decimals and was rounded to öre"),
    w(38, "unbalanced_voucher", "unbalanced voucher B 1 (diff 0.01)", { series: "B", number: "1", difference: 1 }),
    w(null, "balance_mismatch", "account 1930: IB + transactions 9250.51 ≠ UB 9250.50 (diff 0.01)", { account: "1930", expected: 925050, actual: 925051, difference: 1 }),
    w(null, "balance_mismatch", "account 2440: IB + transactions -2250.00 ≠ UB 0.00 (diff -2250.00)", { account: "2440", expected: 0, actual: -225000, difference: -225000 }),
  ],
};

describe("CLI: sie summary", () => {
  it("prints the exact summary for a hand-computed fixture", async () => {
    const file = path.join(dir, "bolag.se");
    writeFileSync(file, iconv.encode(fixture, "cp437"));
    const { code, lines } = await run(file);
    expect(code).toBe(0);
    expect(lines).toEqual([expected]);
  });

  it("writes null for what a file does not say, and an absent field is not an empty one", async () => {
    const minimal = path.join(dir, "minimal.se"), bare = path.join(dir, "bare.se");
    writeFileSync(minimal, "#KONTO 1930 Bank\n");
    writeFileSync(bare, '#ORGNR\n#FNAMN\n#ORGNR ""\n#PROGRAM\n#SIETYP 1\n#RAR 0 "" ""\n');
    const { code, lines } = await run(minimal, bare);
    expect(code).toBe(0);
    expect(lines[0]).toEqual({
      sieType: null, program: null, encoding: "utf-8", companyName: null, orgNr: null, years: [], accounts: 1, vouchers: 0,
      transactions: 0, unbalancedVouchers: 0, balanceCheck: { basis: "not_applicable", accounts: 0, mismatches: 0 }, ksumma: "absent", balances: {}, results: {}, turnover: {}, warnings: [],
    });
    expect(lines[1]).toMatchObject({
      sieType: "1", program: null, companyName: null, orgNr: "", years: [{ index: 0, start: null, end: null }], accounts: 0,
      warnings: [{ line: 4, code: "missing_field" }],
    });
  });

  it("prints one line per file in order; missing → non-zero exit, non-SIE → warning only", async () => {
    const ok = path.join(dir, "ok.se"), text = path.join(dir, "notes.txt");
    writeFileSync(ok, "#SIETYP 2\n#KONTO 1930 Bank\n#UB 0 1930 5\n");
    writeFileSync(text, "hello\n");
    const missing = path.join(dir, "missing.se");
    const { code, lines } = await run(ok, missing, text);
    expect(code).toBe(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      sieType: "2", accounts: 1, balances: { "0": { "1930": { ib: 0, ub: 500 } } }, warnings: [],
      balanceCheck: { basis: "unavailable", accounts: 0, mismatches: 0 }, // a SIE 2 file without #PSALDO: nothing to check against
    });
    expect(lines[1]).toMatchObject({ sieType: null, encoding: null, years: [], accounts: 0, warnings: [{ code: "unreadable" }] });
    expect(lines[2]).toMatchObject({ sieType: null, vouchers: 0, warnings: [{ code: "not_a_record", line: 1 }, { code: "not_sie" }] });
    const onlyReadable = await run(ok, text);
    expect(onlyReadable.code).toBe(0);
  });
});
