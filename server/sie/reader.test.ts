// Long (~420 lines): the reader's contract, case by case (syntax, #RTRANS/#BTRANS, encodings, checksums); blocks are independent.
import { crc32 } from "node:zlib";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { buildLedgerSync } from "./stream";
import { HEADER, codes, ledgerOf, sie } from "./testing";
import { SieError } from "./warnings";

const voucher = (rows: string[], head = '#VER A 1 20230105 "Faktura"') => [head, "{", ...rows, "}"];

describe("syntax", () => {
  it("reads tabs as separators, also inside object lists, and indented sub-records", () => {
    const l = ledgerOf([...HEADER, "#KONTO\t1930\t\"Bank\"", "#VER\tA\t1\t20230105\t\"x\"", "\t{", "\t\t#TRANS\t1930\t{1\t\"Nord\"\t6\t\"0001\"}\t100.00", "\t\t#TRANS 2440 {} -100.00", "\t}"]);
    expect(l.accounts[0]).toMatchObject({ number: "1930", name: "Bank" });
    expect(l.vouchers).toHaveLength(1);
    expect(l.vouchers[0].rows[0].objects).toEqual([{ dim: "1", object: "Nord" }, { dim: "6", object: "0001" }]);
    expect(l.vouchers[0].rows.map((r) => r.amount)).toEqual([10000, -10000]);
    expect(l.warnings).toEqual([]);
  });

  it("reads every object list form: {} { } {1 \"Nord\"} {\"1\" \"456\"}", () => {
    const l = ledgerOf([...HEADER, ...voucher(['#TRANS 1930 {} 1', "#TRANS 1930 { } 2", '#TRANS 1930 {1 "Nord"} 3', '#TRANS 1930 {"1" "456"} -6'])]);
    expect(l.vouchers[0].rows.map((r) => r.objects)).toEqual([[], [], [{ dim: "1", object: "Nord" }], [{ dim: "1", object: "456" }]]);
  });

  it("accepts #FORMAT quoted, CRLF line ends, blank lines and trailing whitespace", () => {
    const lines = ["#FLAGGA 0   ", "", '#FORMAT "PC8"', "#SIETYP 4\t", "   ", ...voucher(["#TRANS 1930 {} 5   ", "#TRANS 3001 {} -5"])];
    for (const eol of ["\r\n", "\n"]) {
      const l = buildLedgerSync(sie(lines, "cp437", eol));
      expect(l.company.format).toBe("PC8");
      expect(l.company.sieType).toBe("4");
      expect(l.vouchers[0].rows.map((r) => r.amount)).toEqual([500, -500]);
      expect(l.warnings).toEqual([]);
    }
  });

  it("joins unquoted names with spaces, with a warning", () => {
    const l = ledgerOf(["#FNAMN Övningsbolaget AB", "#KONTO 1930 Bank och kassa"]);
    expect(l.company.name).toBe("Övningsbolaget AB");
    expect(l.accounts[0].name).toBe("Bank och kassa");
    expect(codes(l)).toEqual(["unquoted_text", "unquoted_text"]);
    expect(l.warnings[0].line).toBe(1);
  });

  it("unescapes \\\" inside quotes and keeps other backslashes literal (#FNR paths)", () => {
    const l = ledgerOf(['#FNR "C:\\ProgramData\\Bolag\\"', '#KONTO 1930 "Bank \\"Nord\\" \\ AB"', '#FNAMN "a\\b"']);
    expect(l.company.fnr).toBe("C:\\ProgramData\\Bolag\\");
    expect(l.accounts[0].name).toBe('Bank "Nord" \\ AB');
    expect(l.company.name).toBe("a\\b");
  });

  it("keeps quantities with 6 decimals and the row fields text/sign", () => {
    const l = ledgerOf([...HEADER, ...voucher(['#TRANS 1460 {} 100.00 20230106 "Lager" 12.345678 "anna"', "#TRANS 1930 {} -100"])]);
    expect(l.vouchers[0].rows[0]).toMatchObject({ quantity: 12.345678, text: "Lager", sign: "anna", date: "2023-01-06" });
    expect(l.vouchers[0].rows[1]).toMatchObject({ quantity: null, text: "", sign: "", date: "2023-01-05" });
  });

  it("keeps user names in the sign field of #RTRANS/#BTRANS and #VER, quoted or unquoted with spaces", async () => {
    const { aggregateSie } = await import("./stream");
    const bytes = sie([...HEADER, ...voucher([
      '#TRANS 1930 {} 100.00', '#TRANS 3001 {} -100.00',
      '#BTRANS 3001 {} -100.00 20230106 "" 0 "Örjan Åström"', '#RTRANS 3002 {} -100.00 20230106 "" 0 Anna Andersson',
      '#TRANS 3002 {} -100.00 20230106 "" 0', '#TRANS 3001 {} 100.00 "" "" 0 EVA',
    ], '#VER A 1 20230105 "Faktura" 20230107 Bo Ek')]);
    const l = buildLedgerSync(bytes);
    const v = l.vouchers[0];
    expect(v.sign).toBe("Bo Ek");
    expect(v.corrections.map((c) => [c.kind, c.sign])).toEqual([["removed", "Örjan Åström"], ["added", "Anna Andersson"]]);
    expect(v.rows.map((r) => [r.account, r.amount, r.sign])).toEqual([["1930", 10000, ""], ["3001", -10000, ""], ["3002", -10000, ""], ["3001", 10000, "EVA"]]);
    expect(l.warnings.map((w) => [w.code, w.line])).toEqual([["unquoted_text", 9], ["unquoted_text", 14]]);
    // Lean aggregation warns the same without building the texts.
    expect((await aggregateSie(bytes)).warnings).toEqual(l.warnings);
  });

  it("falls back to the voucher date for an empty \"\" row date (Fortnox)", () => {
    const l = ledgerOf([...HEADER, ...voucher(['#TRANS 1930 {} 1.00 "" "" 0', '#TRANS 3001 {} -1.00 "" ""'])]);
    expect(l.vouchers[0].rows.map((r) => r.date)).toEqual(["2023-01-05", "2023-01-05"]);
    expect(l.vouchers[0].rows[0].quantity).toBe(0);
  });

  it("treats -0.00 as zero (#UB -1 2641 -0.00)", () => {
    const l = ledgerOf([...HEADER, "#RAR -1 20220101 20221231", "#UB -1 2641 -0.00", "#IB 0 2641 -0.00"]);
    expect(Object.is(l.balances.ub["-1"]["2641"], 0)).toBe(true);
    expect(Object.is(l.balances.ib["0"]["2641"], 0)).toBe(true);
  });

  it("accepts ',' as decimal point with a warning and rounds beyond öre half away from zero", () => {
    const l = ledgerOf([...HEADER, ...voucher(["#TRANS 1930 {} 12,50", "#TRANS 3001 {} -12.495", "#TRANS 3001 {} -0.005"])]);
    expect(l.vouchers[0].rows.map((r) => r.amount)).toEqual([1250, -1250, -1]);
    expect(codes(l)).toEqual(["decimal_comma", "amount_rounded", "amount_rounded", "unbalanced_voucher"].slice(0, 3));
    expect(l.findings.map((f) => f.code)).toEqual(["unbalanced_voucher"]);
  });

  it("keeps vouchers with no rows and with only #BTRANS rows", () => {
    const l = ledgerOf([...HEADER, ...voucher([], "#VER A 1 20230105"), "#VER A 2 20230106", "{", "}",
      ...voucher(['#BTRANS 1930 {} 100 "" "" 0 "Eva Ek"', '#BTRANS 3001 {} -100 "" "" 0 "Eva Ek"'], "#VER A 3 20230107")]);
    expect(l.vouchers.map((v) => v.rows.length)).toEqual([0, 0, 0]);
    expect(l.vouchers[2].corrections).toMatchObject([{ kind: "removed", account: "1930", amount: 10000, sign: "Eva Ek" }, { kind: "removed", amount: -10000 }]);
    expect(l.transactionCount).toBe(0);
    expect(l.unbalancedVouchers).toBe(0);
    expect(l.warnings).toEqual([]);
  });

  it("reads #SIETYP 4 without vouchers and reports no reconciliation noise", () => {
    const l = ledgerOf([...HEADER, "#KONTO 1930 Bank", "#IB 0 1930 100", "#UB 0 1930 250"]);
    expect(l.company.sieType).toBe("4");
    expect(l.voucherCount).toBe(0);
    expect(l.findings).toEqual([]);
  });

  it("leaves sieType null when #SIETYP is absent", () => {
    expect(ledgerOf(["#FLAGGA 0", "#KONTO 1930 Bank"]).company.sieType).toBeNull();
  });

  it("keeps 5–8 digit accounts as strings", () => {
    const l = ledgerOf([...HEADER, '#KONTO 19301 "Bank 5"', '#KONTO 30011234 "Sales 8"', '#KONTO 0190 "Leading zero"',
      ...voucher(["#TRANS 19301 {} 1", "#TRANS 30011234 {} -1"])]);
    expect(l.accounts.map((a) => a.number)).toEqual(["19301", "30011234", "0190"]);
    expect(l.turnover).toEqual({ "19301": 100, "30011234": -100 });
  });

  it("warns on a duplicate #KONTO and keeps the last name", () => {
    const l = ledgerOf(['#KONTO 1930 "Bank"', '#KONTO 1930 "Företagskonto"']);
    expect(l.accounts).toHaveLength(1);
    expect(l.accounts[0].name).toBe("Företagskonto");
    expect(l.warnings).toMatchObject([{ line: 2, code: "duplicate_account" }]);
  });

  it("keeps #OMFATTN 19700101 as written and #RAR with empty dates", () => {
    const l = ledgerOf(["#SIETYP 4", "#OMFATTN 19700101", '#RAR 0 "" ""', "#RAR -1"]);
    expect(l.company.info.OMFATTN).toEqual(["19700101"]);
    expect(l.years).toEqual([{ index: 0, start: null, end: null }, { index: -1, start: null, end: null }]);
    expect(l.warnings).toEqual([]);
  });

  it("reads #KTYP, several #SRU, #ENHET, #DIM, #UNDERDIM, #OBJEKT, #OIB/#OUB, #PSALDO/#PBUDGET", () => {
    const l = ledgerOf([...HEADER, '#KONTO 1460 "Lager"', "#KTYP 1460 T", "#SRU 1460 7201", "#SRU 1460 7202", '#ENHET 1460 "st"',
      '#DIM 1 "Kostnadsställe"', '#UNDERDIM 21 "Avdelning" 1', '#OBJEKT 1 "Nord" "Region Nord"',
      '#OIB 0 1460 {1 "Nord"} 50.00 3', '#OUB 0 1460 {1 "Nord"} 75.00',
      '#PSALDO 0 202301 1460 {} 25.00 1', '#PBUDGET 0 202301 1460 {1 "Nord"} 30.00']);
    expect(l.accounts[0]).toMatchObject({ type: "T", sru: ["7201", "7202"], unit: "st", declared: true });
    expect(l.dimensions).toEqual([{ dim: "1", name: "Kostnadsställe", parent: null }, { dim: "21", name: "Avdelning", parent: "1" }]);
    expect(l.objects).toEqual([{ dim: "1", object: "Nord", name: "Region Nord" }]);
    expect(l.objectBalances).toEqual([
      { type: "OIB", year: 0, account: "1460", objects: [{ dim: "1", object: "Nord" }], amount: 5000, quantity: 3 },
      { type: "OUB", year: 0, account: "1460", objects: [{ dim: "1", object: "Nord" }], amount: 7500, quantity: null },
    ]);
    expect(l.periods.map((p) => [p.type, p.period, p.amount])).toEqual([["PSALDO", "202301", 2500], ["PBUDGET", "202301", 3000]]);
    expect(l.warnings).toEqual([]);
  });

  it("keeps an unescaped quote inside a quoted name (SoftOne XE) as part of the name, with a warning", () => {
    const l = ledgerOf([...HEADER, '#KONTO 1480 "F"rskott till Berg" Bygg"', '#KONTO\t2153 "Ack "veravskr, inv"', '#KONTO 1930 "Bank" "extra"']);
    expect(l.accounts.map((a) => a.name)).toEqual(['F"rskott till Berg" Bygg', 'Ack "veravskr, inv', "Bank"]);
    expect(l.warnings.map((w) => [w.line, w.code])).toEqual([[9, "unescaped_quote"], [10, "unescaped_quote"], [11, "unknown_fields"]]);
  });

  it("reads #SRU without a code, or with code 0, as no code, without a warning", () => {
    const l = ledgerOf([...HEADER, '#KONTO 1460 "Lager"', '#KONTO 2010 "Eget kapital"', "#SRU 1460 0", "#SRU 2010", '#SRU 1460 ""', "#SRU 1460 7201"]);
    expect(l.accounts.map((a) => [a.number, a.sru])).toEqual([["1460", ["7201"]], ["2010", []]]);
    expect(l.warnings).toEqual([]);
  });

  it("reads #PSALDO/#PBUDGET written without the {} of an objectless row, quantity and all", () => {
    const l = ledgerOf([...HEADER, "#PSALDO 0 202301 1460 25.00 2", "#PBUDGET 0 202302 4010 -1666.00", "#PSALDO 0 202303 1460"]);
    expect(l.periods.map((p) => [p.type, p.period, p.account, p.objects, p.amount, p.quantity])).toEqual([
      ["PSALDO", "202301", "1460", [], 2500, 2], ["PBUDGET", "202302", "4010", [], -166600, null],
    ]);
    expect(l.warnings.map((w) => [w.line, w.code])).toEqual([[11, "missing_field"]]);
  });

  it("adds up several #IB/#UB/#RES lines for the same account and year", () => {
    const l = ledgerOf([...HEADER, "#IB 0 1930 100", "#IB 0 1930 50.50", "#UB 0 1930 1", "#RES 0 3001 -5", "#RES 0 3001 -5"]);
    expect(l.balances).toEqual({ ib: { "0": { "1930": 15050 } }, ub: { "0": { "1930": 100 } }, res: { "0": { "3001": -1000 } } });
  });

  it("ignores unknown labels and unknown trailing fields with warnings", () => {
    const l = ledgerOf([...HEADER, "#FOOBAR 1 2 3", '#KONTO 1930 "Bank" extra', "#SIETYP 4 x", ...voucher(['#TRANS 1930 {} 1 "" "" 0 "sig" more', "#XTRANS 1", "#TRANS 3001 {} -1"])]);
    expect(l.warnings.map((w) => [w.line, w.code])).toEqual([[9, "unknown_label"], [10, "unknown_fields"], [11, "unknown_fields"], [14, "unknown_fields"], [15, "unknown_label"]]);
    expect(l.vouchers[0].rows).toHaveLength(2);
  });

  it("reads the same however the bytes are chunked", () => {
    const bytes = sie([...HEADER, '#KONTO 1930 "Företagskonto"', ...voucher(['#TRANS 1930 {1 "Nörd"} 1.5 "" "Åke"', "#TRANS 3001 {} -1.5"])]);
    const whole = buildLedgerSync(bytes);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
    const p = import("./stream").then(({ buildLedger }) => buildLedger(chunks));
    return p.then((bytewise) => {
      expect(bytewise).toEqual(whole);
      expect(whole.accounts[0].name).toBe("Företagskonto");
    });
  });

  it("skips an over-long line without holding it", () => {
    const big = Buffer.concat([sie(["#SIETYP 4"]), Buffer.alloc(3 << 20, 0x41), sie(["", '#KONTO 1930 "Bank"'])]);
    const l = buildLedgerSync(big);
    expect(codes(l)).toContain("line_too_long");
    expect(l.accounts[0].name).toBe("Bank");
  });
});

describe("#RTRANS / #BTRANS", () => {
  it("counts the #TRANS twin once and keeps the #RTRANS as an added correction", () => {
    const l = ledgerOf([...HEADER, ...voucher(["#TRANS 1930 {} 100", "#TRANS 3001 {} -100",
      '#RTRANS 3001 {} -20 "" "" 0 "Anna Andersson"', "#TRANS 3001 {} -20", '#BTRANS 1930 {} 20 "" "" 0 "Anna Andersson"', "#TRANS 1930 {} 20"])]);
    const v = l.vouchers[0];
    expect(v.rows.map((r) => [r.account, r.amount])).toEqual([["1930", 10000], ["3001", -10000], ["3001", -2000], ["1930", 2000]]);
    expect(v.corrections.map((c) => [c.kind, c.account, c.amount, c.sign])).toEqual([["added", "3001", -2000, "Anna Andersson"], ["removed", "1930", 2000, "Anna Andersson"]]);
    expect(l.transactionCount).toBe(4);
    expect(l.warnings).toEqual([]);
  });

  it("counts an #RTRANS without twin as a row, with a warning", () => {
    const l = ledgerOf([...HEADER, ...voucher(['#RTRANS 1930 {} 100 "" "" 0 "Bo"', "#TRANS 3001 {} -100", '#RTRANS 2440 {} 5 "" "" 0 "Bo"'])]);
    const v = l.vouchers[0];
    expect(v.rows.map((r) => [r.account, r.amount])).toEqual([["1930", 10000], ["3001", -10000], ["2440", 500]]);
    expect(v.corrections.map((c) => c.kind)).toEqual(["added", "added"]);
    expect(l.warnings.map((w) => [w.code, w.line])).toEqual([["rtrans_without_twin", 11], ["rtrans_without_twin", 13]]);
    expect(l.findings).toMatchObject([{ code: "unbalanced_voucher", series: "A", number: "1", difference: 500 }]);
  });

  it("an #RTRANS dated the day the row was added and its #TRANS twin dated the voucher's day are one row", () => {
    // As BL Administration and Fortnox write it: IB 1930 1000 + 250 − 50 = UB 1200 only if each pair counts once.
    const l = ledgerOf([...HEADER, "#IB 0 1930 1000", "#UB 0 1930 1200", "#IB 0 2440 -1000", "#UB 0 2440 -1200",
      ...voucher(['#RTRANS 1930 {} 250 20230312 "" "" "2 Eva Ek"', "#TRANS 1930 {} 250 20230105 \"\"",
        '#RTRANS 2440 {} -250 20230312 "rättad" 0 "Eva Ek"', '#TRANS 2440 {} -250 "" "" 0']),
      ...voucher(['#RTRANS 1930 {1 "N" 6 "P1"} -50 20230401 "" "" "Bo"', '#TRANS 1930 {6 "P1" 1 "N"} -50 "" "Kaffe"',
        '#RTRANS 2440 {} 50 20230401 "" 2 "Bo"', '#TRANS 2440 {} 50 "" ""'], '#VER A 2 20230106 "Kaffe" 20230106')]);
    expect(l.vouchers.map((v) => v.rows.map((r) => [r.account, r.amount, r.date]))).toEqual([
      [["1930", 25000, "2023-01-05"], ["2440", -25000, "2023-01-05"]],
      [["1930", -5000, "2023-01-06"], ["2440", 5000, "2023-01-06"]],
    ]);
    expect(l.vouchers[0].corrections.map((c) => [c.kind, c.date, c.sign])).toEqual([["added", "2023-03-12", "2 Eva Ek"], ["added", "2023-03-12", "Eva Ek"]]);
    expect(l.transactionCount).toBe(4);
    expect(l.turnover).toEqual({ "1930": 20000, "2440": -20000 });
    expect(l.warnings).toEqual([]);
    expect(l.findings).toEqual([]);
  });

  it("twin edge cases: two identical pairs are two rows; a conflicting quantity or a missing #TRANS is not a twin", () => {
    const l = ledgerOf([...HEADER, ...voucher([
      '#RTRANS 1930 {} 100 20230201 "" "" "Bo"', '#TRANS 1930 {} 100 "" ""',
      '#RTRANS 1930 {} 100 20230201 "" "" "Bo"', '#TRANS 1930 {} 100 "" ""',
      '#RTRANS 1460 {} 10 20230201 "" 3 "Bo"', '#TRANS 1460 {} 10 "" "" 4',
      '#RTRANS 1460 {} 20 20230201 "" "" "Bo"', '#RTRANS 1460 {} 30 20230201 "" "" "Bo"', '#TRANS 1460 {} 30 "" "" 1',
      '#TRANS 3001 {} -260',
    ])]);
    const v = l.vouchers[0];
    expect(v.rows.map((r) => [r.account, r.amount])).toEqual([
      ["1930", 10000], ["1930", 10000], ["1460", 1000], ["1460", 1000], ["1460", 2000], ["1460", 3000], ["3001", -26000],
    ]);
    expect(v.corrections).toHaveLength(5);
    // The #RTRANS of quantity 3 (its #TRANS says 4) and the #RTRANS followed by another #RTRANS count on their own.
    expect(l.warnings.map((w) => [w.code, w.line])).toEqual([["rtrans_without_twin", 15], ["rtrans_without_twin", 17]]);
    expect(l.findings).toMatchObject([{ code: "unbalanced_voucher", difference: 1000 }]);
  });

  it("does not take a #TRANS with a different amount or object list as the twin", () => {
    const l = ledgerOf([...HEADER, ...voucher(["#RTRANS 1930 {} 100", "#TRANS 1930 {} 99", '#RTRANS 1930 {1 "A"} 1', '#TRANS 1930 {1 "B"} 1'])]);
    expect(l.vouchers[0].rows).toHaveLength(4);
    expect(codes(l).filter((c) => c === "rtrans_without_twin")).toHaveLength(2);
  });

  it("warns on every malformed object list, also when it repeats", async () => {
    const { aggregateSie } = await import("./stream");
    const bytes = sie([...HEADER, ...voucher(['#TRANS 1930 {1 "A" 6} 1', '#TRANS 1930 {1 "A" 6} 1', '#TRANS 3001 {1 "A"} -2'])]);
    const full = buildLedgerSync(bytes);
    expect(full.warnings.map((w) => [w.code, w.line])).toEqual([["bad_object_list", 11], ["bad_object_list", 12]]);
    expect(full.vouchers[0].rows[0].objects).toEqual([{ dim: "1", object: "A" }]);
    expect((await aggregateSie(bytes)).warnings).toEqual(full.warnings);
  });

  it("lean aggregation gives the same counts as the full ledger", async () => {
    const { aggregateSie } = await import("./stream");
    const bytes = sie([...HEADER, ...voucher(["#RTRANS 1930 {} 100", "#TRANS 1930 {} 100", "#BTRANS 1930 {} 7", "#RTRANS 3001 {} -50", "#TRANS 3001 {} -100"])]);
    const lean = await aggregateSie(bytes);
    const full = buildLedgerSync(bytes);
    expect(lean.transactionCount).toBe(3);
    expect(lean.turnover).toEqual({ "1930": 10000, "3001": -15000 });
    for (const key of ["voucherCount", "transactionCount", "unbalancedVouchers", "findings", "balances", "company", "ksumma", "encoding"] as const)
      expect(lean[key]).toEqual(full[key]);
    expect(full.turnover).toEqual(lean.turnover);
    expect(full.warnings).toEqual(lean.warnings);
  });
});

describe("encoding", () => {
  const lines = ['#FORMAT PC8', '#FNAMN "Åkesson & Öberg AB"', '#KONTO 1930 "Företagskonto"', '#KONTO 2440 "Leverantörsskulder"'];
  it("detects CP437", () => {
    const l = ledgerOf(lines, "cp437");
    expect(l.encoding).toBe("cp437");
    expect(l.company.name).toBe("Åkesson & Öberg AB");
    expect(l.warnings).toEqual([]);
  });
  it("detects a Latin-1 file that claims PC8 and says so", () => {
    const l = ledgerOf(lines, "latin1");
    expect(l.encoding).toBe("latin1");
    expect(l.accounts.map((a) => a.name)).toEqual(["Företagskonto", "Leverantörsskulder"]);
    expect(codes(l)).toEqual(["encoding_mismatch"]);
  });
  it("detects a UTF-8 file that claims PC8, with or without BOM", () => {
    for (const bom of [false, true]) {
      const bytes = sie(lines, "utf8");
      const l = buildLedgerSync(bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);
      expect(l.encoding).toBe("utf-8");
      expect(l.company.name).toBe("Åkesson & Öberg AB");
      expect(l.company.format).toBe("PC8");
      expect(codes(l)).toEqual(["encoding_mismatch"]);
    }
  });
  it("decodes a mixed file line by line; the file is not UTF-8 and its letters point to Latin-1", () => {
    const bytes = Buffer.concat([sie(["#FORMAT PC8", '#KONTO 1930 "Företagskonto"'], "utf8"), sie(['#KONTO 2440 "Leverantörsskulder"'], "cp437"),
      sie(['#KONTO 3001 "Försäljning"', '#FNAMN "Åre Öl AB"'], "latin1"), sie(['#KONTO 4010 "Inköp varor Sverige å"'], "utf8")]);
    const l = buildLedgerSync(bytes);
    expect(l.accounts.map((a) => a.name)).toEqual(["Företagskonto", "Leverantörsskulder", "Försäljning", "Inköp varor Sverige å"]);
    expect(l.company.name).toBe("Åre Öl AB");
    // Strict UTF-8 fails for the file; the other lines hold 1 CP437 letter byte (ö) and 4 Latin-1 ones (ö ä Å Ö).
    expect(l.encoding).toBe("latin1");
    const mixed = l.warnings.find((w) => w.code === "mixed_encoding")!;
    expect(mixed.message).toContain("utf-8 2 lines (first at line 2)");
    expect(mixed.message).toContain("cp437 1 lines (first at line 3)");
    expect(mixed.message).toContain("latin1 2 lines (first at line 4)");
    expect(codes(l)).toEqual(["mixed_encoding", "encoding_mismatch"]);
  });
  it("does not call a CP437 file mixed for its #FNR path in the ANSI code page (as Visma writes it)", () => {
    const bytes = Buffer.concat([sie(["#FLAGGA 0", "#FORMAT PC8", '#FNAMN "Åkesson & Öberg AB"'], "cp437"),
      sie(['#FNR "C:\\Program\\Bokföring\\Företag\\Akesson"'], "latin1"), sie(['#KONTO 1930 "Företagskonto"'], "cp437")]);
    const l = buildLedgerSync(bytes);
    expect(l.encoding).toBe("cp437");
    expect(l.company.fnr).toBe("C:\\Program\\Bokföring\\Företag\\Akesson");
    expect(l.accounts[0].name).toBe("Företagskonto");
    expect(l.warnings).toEqual([]);
  });
  it("counts letter bytes, not lines, for the file's code page, and calls a tie CP437", () => {
    // Two Latin-1 lines with one letter each against one CP437 line with three.
    const cpWins = buildLedgerSync(Buffer.concat([sie(['#KONTO 1 "Bå"', '#KONTO 2 "Bä"'], "latin1"), sie(['#KONTO 3 "Åäö"'], "cp437")]));
    expect(cpWins.encoding).toBe("cp437");
    expect(cpWins.accounts.map((a) => a.name)).toEqual(["Bå", "Bä", "Åäö"]);
    const tie = buildLedgerSync(Buffer.concat([sie(['#KONTO 1 "Bå"'], "latin1"), sie(['#KONTO 3 "Bö"'], "cp437")]));
    expect(tie.encoding).toBe("cp437");
    expect(tie.accounts.map((a) => a.name)).toEqual(["Bå", "Bö"]);
    // One stray Latin-1 line makes an otherwise UTF-8 file a Latin-1 file (UTF-8 letters are not evidence).
    const oneLine = buildLedgerSync(Buffer.concat([sie(['#KONTO 1 "Åkesson Öberg"', '#KONTO 2 "Växjö"'], "utf8"), sie(['#KONTO 3 "Bå"'], "latin1")]));
    expect(oneLine.encoding).toBe("latin1");
    expect(oneLine.accounts.map((a) => a.name)).toEqual(["Åkesson Öberg", "Växjö", "Bå"]);
  });
  it("decodes a line without Swedish letters by the letters seen so far", () => {
    // é alone (0xE9) says nothing; after Latin-1 lines it is read as Latin-1, in a fresh file as CP437 (Θ).
    expect(buildLedgerSync(sie(['#KONTO 1 "Växjö"', '#KONTO 2 "Café"'], "latin1")).accounts[1].name).toBe("Café");
    expect(buildLedgerSync(sie(['#KONTO 2 "Café"'], "latin1")).accounts[0].name).toBe("CafΘ");
  });
  it("decodes the same object-list bytes by each line's own encoding", () => {
    // 0x94 is ö in CP437 and a right double quote in Windows-1252; the row texts decide each line's code page.
    const row = (text: number[]) => Buffer.concat([Buffer.from('#TRANS 1930 {1 "'), Buffer.from([0x94]), Buffer.from('"} 1 "" "'), Buffer.from(text), Buffer.from('"\n')]);
    const l = buildLedgerSync(Buffer.concat([Buffer.from("#VER A 1 20230105\n{\n"), row([0x94, 0x94]), row([0xe5, 0xe5, 0xe5]), row([0x94, 0x94]), Buffer.from("}\n")]));
    expect(l.vouchers[0].rows.map((r) => [r.objects[0].object, r.text])).toEqual([["ö", "öö"], ["\u201d", "ååå"], ["ö", "öö"]]);
  });
  it("picks CP437 on a tie of Swedish letters", () => {
    // 0x84 is ä in CP437; 0xE4 is ä in Latin-1: one of each, invalid UTF-8.
    const l = buildLedgerSync(Buffer.from('#FNAMN "\x84\xe4"\r\n', "latin1"));
    expect(l.encoding).toBe("cp437");
    expect(l.company.name).toBe("äΣ");
  });
  it("calls an ASCII-only file UTF-8 (it is valid strict UTF-8) without an encoding warning", () => {
    const l = ledgerOf(["#FORMAT PC8", '#KONTO 1930 "Bank"'], "cp437");
    expect(l.encoding).toBe("utf-8");
    expect(l.warnings).toEqual([]);
  });
});

describe("#KSUMMA", () => {
  // Checksum input: label and field texts, no quotes/braces/whitespace, `\"` as `"`, in CP437 bytes.
  const body = ['#PROGRAM "Mitt program" 1.0', "#FORMAT PC8", '#KONTO 1930 "Företags \\"konto\\""', '#VER A 1 20230105 ""', "{", '\t#TRANS 1930 {1 "Nörd"} 1.00', "\t#TRANS 3001 {} -1.00", "}"];
  const crcText = '#PROGRAMMitt program1.0#FORMATPC8#KONTO1930Företags "konto"#VERA120230105#TRANS19301Nörd1.00#TRANS3001-1.00';
  const expected = crc32(iconv.encode(crcText, "cp437"));
  const file = (closing: string | null, enc: "cp437" | "utf8" | "latin1" = "cp437") =>
    sie(["#FLAGGA 0", "#KSUMMA", ...body, ...(closing === null ? [] : [closing])], enc);

  it("is valid when the CRC matches (CP437 file)", () => {
    const l = buildLedgerSync(file(`#KSUMMA ${expected}`));
    expect(l.ksumma).toBe("valid");
    expect(l.warnings).toEqual([]);
  });
  it("is valid for UTF-8 and Latin-1 files after re-encoding to CP437", () => {
    expect(buildLedgerSync(file(`#KSUMMA ${expected}`, "utf8")).ksumma).toBe("valid");
    expect(buildLedgerSync(file(`#KSUMMA ${expected}`, "latin1")).ksumma).toBe("valid");
  });
  it("is invalid when the content changed", () => {
    const l = buildLedgerSync(file(`#KSUMMA ${expected + 1}`));
    expect(l.ksumma).toBe("invalid");
    expect(l.warnings).toMatchObject([{ code: "ksumma_invalid", line: 11 }]);
  });
  it("is invalid when a closing #KSUMMA has no opening", () => {
    const l = ledgerOf([...body, `#KSUMMA ${expected}`]);
    expect(l.ksumma).toBe("invalid");
    expect(codes(l)).toEqual(["ksumma_without_opening"]);
  });
  it("is absent without #KSUMMA", () => {
    expect(ledgerOf(body).ksumma).toBe("absent");
  });
  it("is an error when opened but never closed", () => {
    const l = buildLedgerSync(file(null));
    expect(l.ksumma).toBe("invalid");
    expect(codes(l)).toEqual(["ksumma_unclosed"]);
    expect(() => buildLedgerSync(file(null), { strict: true })).toThrow(SieError);
  });
});

describe("strict mode", () => {
  const cases: [string[], string, number][] = [
    [["#SIETYP 4", "#IB 0 1930 12x"], "bad_amount", 2],
    [["#SIETYP 4", "#BLAHA 1"], "unknown_label", 2],
    [["#SIETYP 4", '#VER A 1 20230101', "{", "#TRANS 1930 {} 1", "#TRANS 3001 {} -1"], "unclosed_voucher", 5],
    [["#SIETYP 4", "#TRANS 1930 {} 1"], "row_outside_voucher", 2],
    [["#SIETYP 4", '#KONTO 1930 "Bank'], "unterminated_quote", 2],
    [["#SIETYP 4", '#VER A 1 20231301', "{", "}"], "bad_date", 2],
    [["hello"], "not_a_record", 1],
    // Every forgiven problem is an error in strict mode, not only syntax errors.
    [["#SIETYP 4", '#KONTO 1930 "Bank"', '#KONTO 1930 "Bank 2"'], "duplicate_account", 3],
    [["#SIETYP 4", "#RAR 0 20230101 20231231", "#RAR 0 20240101 20241231"], "duplicate_year", 3],
    [["#SIETYP 4", "#IB 0 1930 12,50"], "decimal_comma", 2],
    [["#SIETYP 4", "#IB 0 1930 12.505"], "amount_rounded", 2],
    [["#FNAMN Övningsbolaget AB"], "unquoted_text", 1],
    [["#SIETYP 4", '#VER A 1 20230101', "{", "#RTRANS 1930 {} 1", "#TRANS 1930 {} 2", "}"], "rtrans_without_twin", 4],
    [["#FLAGGA 0", "#KSUMMA", "#SIETYP 4", "#KSUMMA 1"], "ksumma_invalid", 4],
    [["#SIETYP 4", "#KSUMMA 1"], "ksumma_without_opening", 2],
    [["#SIETYP 4", "#FOO"], "unknown_label", 2],
    [["#SIETYP 4 extra"], "unknown_fields", 1],
  ];
  it.each(cases)("%j → %s at line %d", (lines, code, line) => {
    let err: unknown;
    try { ledgerOf(lines); buildLedgerSync(sie(lines), { strict: true }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SieError);
    expect(err).toMatchObject({ code, line });
    // Tolerant mode reports the same problem as a warning instead.
    expect(ledgerOf(lines).warnings[0]).toMatchObject({ code, line });
  });
  it("accepts a clean file", () => {
    const l = buildLedgerSync(sie([...HEADER, ...voucher(["#TRANS 1930 {} 1", "#TRANS 3001 {} -1"])]), { strict: true });
    expect(l.voucherCount).toBe(1);
  });
  it("never throws in tolerant mode on a non-SIE file", () => {
    const l = buildLedgerSync(Buffer.from("just some text\nwith lines\n"));
    expect(codes(l)).toEqual(["not_a_record", "not_a_record", "not_sie"]);
  });
});
