import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { vouchersToSie4I } from "@/server/export/sie";
import { generateCompany } from "@/server/sandbox/data/generator";
import { DEFAULT_TENANTS, profileOf } from "@/server/sandbox/data/tenants";
import { sieChunks } from "@/server/sandbox/sie";
import { buildLedgerSync, writeSie } from "@/server/sie";
import { HEADER, sie } from "@/server/sie/testing";
import { demoSieBytes } from "@/server/testing/ledger";
import { PROBLEM_KEYS } from "./problems";
import { runSru } from "./run";

// The CLI over every kind of SIE file the project builds as fixtures: the sandbox's Fortnox exports (every demo
// company, SIE types 1–4, both years), the SIE engine's own writer (4E, 4I), the export's 4I file, the test
// helper's hand-written files and the broken inputs the engine's tests feed it. None may crash the CLI: each ends
// in files written (exit 0) or a reason (exit 1).

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "tax-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = new Map<string, Uint8Array | string>();
for (const tenant of DEFAULT_TENANTS) {
  const co = generateCompany({ profile: profileOf(tenant), vouchers: 80, previousVouchers: 60, currentYear: 2026, firstYearId: tenant.firstYearId });
  for (const type of [1, 2, 3, 4] as const) {
    for (const yearIdx of [0, 1]) files.set(`sandbox-${tenant.tenantId}-t${type}-y${yearIdx}.se`, new Uint8Array(Buffer.concat([...sieChunks(co, { type, yearIdx, generatedDay: 20_300 })])));
  }
}
const good = [
  ...HEADER.filter((l) => !l.startsWith("#RAR")), "#RAR 0 20250101 20251231", '#ADRESS "Anna" "Storgatan 1" "111 22 Stockholm" "08-123"',
  '#KONTO 1930 "Bank"', "#SRU 1930 7281", '#KONTO 2091 "Balanserad vinst"', "#SRU 2091 7302",
  '#KONTO 3001 "Försäljning"', "#SRU 3001 7410", '#KONTO 5010 "Lokalhyra"', "#SRU 5010 7513",
  "#IB 0 1930 1000.00", "#UB 0 1930 1500.50", "#IB 0 2091 -1000.00", "#UB 0 2091 -1000.00",
  "#RES 0 3001 -800.50", "#RES 0 5010 300.00",
];
files.set("helper-good.se", sie(good));
files.set("helper-latin1.se", sie(good, "latin1"));
files.set("helper-utf8-tabs.se", sie(good.map((l) => l.replace(/ /g, "\t")), "utf8", "\n"));
files.set("helper-header-only.se", sie(HEADER));
files.set("helper-no-sru.se", sie(good.filter((l) => !l.startsWith("#SRU"))));
// Mamut writes `#SRU <account> 0` for every account: that is no code, not an unknown one per account.
files.set("helper-sru-zero.se", sie(good.map((l) => l.replace(/^#SRU (\d+) \d+$/, "#SRU $1 0"))));
files.set("helper-orgnr-12.se", sie(good.map((l) => (l.startsWith("#ORGNR") ? "#ORGNR 16556677-8899" : l))));
files.set("helper-no-orgnr.se", sie(good.filter((l) => !l.startsWith("#ORGNR"))));
files.set("helper-bad-orgnr.se", sie(good.map((l) => (l.startsWith("#ORGNR") ? "#ORGNR 5566778898" : l))));
files.set("helper-no-year.se", sie(good.filter((l) => !l.startsWith("#RAR"))));
files.set("helper-empty-year.se", sie(good.map((l) => (l.startsWith("#RAR") ? '#RAR 0 "" ""' : l))));
files.set("helper-vouchers-only.se", sie([
  ...good.filter((l) => !/^#(UB|RES)/.test(l)), '#VER A 1 20250110 "Hyra"', "{", "#TRANS 5010 {} 300.00", "#TRANS 1930 {} -300.00", "}",
  '#VER A 2 20250115 "Faktura"', "{", "\t#TRANS 1930 {} 800.50", '\t#RTRANS 3001 {} -800.50 "" "" 0 "Bo"', "\t#TRANS 3001 {} -800.50", "}",
]));
files.set("helper-odd-accounts.se", sie([...good, '#KONTO 19300 "Femsiffrigt"', "#SRU 19300 9999", "#UB 0 19300 5.00", "#SRU 5010 7514", "#KONTO 9999 Sp", "#RES 0 9999 -5"]));
files.set("empty.se", new Uint8Array(0));
files.set("text.se", "hello\nworld\n");
files.set("binary.se", new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
files.set("cut.se", sie(good).subarray(0, 200));
files.set("demo-2025.se", demoSieBytes({ year: 2025, vouchers: 120 }));
const ledger = buildLedgerSync(sie(good));
files.set("writer-4e.se", writeSie(ledger, { type: "4E" }));
files.set("writer-4i.se", writeSie(ledger, { type: "4I" }));
files.set("export-4i.se", vouchersToSie4I(
  [{ id: "a", date: "2025-12-31", text: "Skatt", rows: [{ account: "8910", amountOre: 100 }, { account: "2512", amountOre: -100 }] } as never],
  { company: { name: "Demo", orgNr: "556677-8899" }, generated: { date: "2026-01-10" } },
));
for (const [name, bytes] of files) writeFileSync(path.join(dir, name), bytes);

describe("tax CLI over the project's SIE fixtures", () => {
  it(`never crashes: files written or a reason (${files.size} files)`, async () => {
    const outcomes: Record<string, string> = {};
    for (const name of files.keys()) {
      const out = path.join(dir, `out-${name}`);
      const { code, report } = await runSru(path.join(dir, name), out, new Date("2026-03-01T10:00:00Z"));
      for (const p of [...report.problems, ...(report.error ? [report.error] : [])]) expect(PROBLEM_KEYS as readonly string[]).toContain(p.key);
      if (code === 0) {
        expect(readFileSync(path.join(out, "INFO.SRU"), "latin1")).toMatch(/^#DATABESKRIVNING_START\r\n/);
        expect(readFileSync(path.join(out, "BLANKETTER.SRU"), "latin1")).toMatch(/#FIL_SLUT\r\n$/);
        expect(report.fields).toBeGreaterThan(2);
        outcomes[name] = "written";
      } else {
        expect(existsSync(path.join(out, "INFO.SRU"))).toBe(false);
        outcomes[name] = report.error!.key;
      }
    }
    expect(outcomes).toMatchObject({
      "helper-good.se": "written", "helper-latin1.se": "written", "helper-utf8-tabs.se": "written", "helper-vouchers-only.se": "written",
      "helper-odd-accounts.se": "written", "helper-orgnr-12.se": "written", "writer-4e.se": "written", "demo-2025.se": "written",
      "helper-header-only.se": "noSruCodes", "helper-no-sru.se": "noSruCodes", "helper-sru-zero.se": "noSruCodes", "helper-no-orgnr.se": "orgNrInvalid",
      "helper-bad-orgnr.se": "orgNrInvalid", "helper-no-year.se": "noYear", "helper-empty-year.se": "noYear",
      "empty.se": "noYear", "text.se": "noYear", "binary.se": "noYear", "export-4i.se": "noYear",
      // The sandbox's current year ends 2026-12-31: period 2026P4, whose field tables are not published yet.
      [`sandbox-${DEFAULT_TENANTS[0].tenantId}-t4-y1.se`]: "formVersionUnknown",
      [`sandbox-${DEFAULT_TENANTS[0].tenantId}-t4-y0.se`]: "written",
    });
  });

  it("a file with SRU codes yields the figures a hand check gives", async () => {
    const { code, report } = await runSru(path.join(dir, "helper-good.se"), path.join(dir, "good"), new Date("2026-03-01T10:00:00Z"));
    // Result 800,50 − 300,00 = 500,50 → 4.1 500 kr (öre dropped), 4.15 500; tax on 500 × 20,6 % = 103.
    expect(code).toBe(0);
    expect(report).toMatchObject({ orgNr: "556677-8899", year: { start: "2025-01-01", end: "2025-12-31" }, taxableResult: 500, tax: 103, fields: 14, problems: [] });
    // #SKAPAD is Swedish time: 10:00 UTC on 1 March is 11:00 in Stockholm.
    expect(readFileSync(path.join(dir, "good", "INFO.SRU"), "latin1")).toContain("#SKAPAD 20260301 110000\r\n");
  });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(path.join(root, "node_modules/.bin/tsx"), ["server/tax/cli.ts", ...args], { cwd: root }, (err, stdout) => {
      resolve({ code: err ? Number(err.code) : 0, stdout });
    });
  });
}

describe("tax CLI as a command", () => {
  it("prints one JSON line and exits 0 when written, 1 with the reason, 2 for a wrong command line", async () => {
    const ok = await cli("sru", path.join(dir, "demo-2025.se"), "--out", path.join(dir, "cmd"));
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ file: path.join(dir, "demo-2025.se"), orgNr: "556677-8899", year: { start: "2025-01-01", end: "2025-12-31" } });
    expect(existsSync(path.join(dir, "cmd", "BLANKETTER.SRU"))).toBe(true);
    const bad = await cli("sru", path.join(dir, "text.se"), "--out", path.join(dir, "cmd2"));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { key: "noYear" } });
    expect((await cli("sru", "x.se")).code).toBe(2);
  });
});
