// Test helpers: build SIE fixtures in code (never copied from public examples).
import iconv from "iconv-lite";
import { buildLedgerSync, type SieLedger } from "./stream";

export type FixtureEncoding = "cp437" | "utf8" | "latin1";

/** Joins lines with CRLF (or LF) and encodes them. */
export function sie(lines: string[], enc: FixtureEncoding = "cp437", eol = "\r\n"): Buffer {
  const text = lines.join(eol) + eol;
  return enc === "utf8" ? Buffer.from(text, "utf8") : iconv.encode(text, enc === "latin1" ? "win1252" : "cp437");
}

export const HEADER = [
  "#FLAGGA 0",
  '#PROGRAM "Testprogram" 1.0',
  "#FORMAT PC8",
  "#GEN 20240110",
  "#SIETYP 4",
  '#FNAMN "Testbolaget AB"',
  "#ORGNR 5566778899",
  "#RAR 0 20230101 20231231",
];

export function ledgerOf(lines: string[], enc: FixtureEncoding = "cp437"): SieLedger {
  return buildLedgerSync(sie(lines, enc));
}

export function codes(l: { warnings: { code: string }[] }): string[] {
  return l.warnings.map((w) => w.code);
}

/** Strips line numbers so ledgers from different texts compare equal. */
export function withoutLines<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "line" ? undefined : v)));
}
