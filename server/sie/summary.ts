// The CLI summary: aggregates only, computed in one streaming pass (memory does not grow with vouchers).
import { createReadStream } from "node:fs";
import type { BalanceCheck } from "./checks";
import { aggregateSie, type ByteSource } from "./stream";
import type { KsummaResult, SieEncoding } from "./types";
import { formatWarning, type SieWarning } from "./warnings";

export interface SieSummary {
  sieType: string | null;
  program: string | null;
  encoding: SieEncoding | null;
  companyName: string | null;
  orgNr: string | null;
  years: { index: number; start: string | null; end: string | null }[];
  accounts: number;
  vouchers: number;
  transactions: number;
  unbalancedVouchers: number;
  /** IB + change = UB: against transactions (SIE 4), period balances (SIE 2/3), not applicable (SIE 1) or unavailable. */
  balanceCheck: BalanceCheck;
  ksumma: KsummaResult;
  balances: Record<string, Record<string, { ib: number; ub: number }>>;
  results: Record<string, Record<string, number>>;
  turnover: Record<string, number>;
  /** Parse warnings then check findings; each `{line, code, message, text}` (text = "line N: message"). */
  warnings: (SieWarning & { text: string })[];
}

const WARNING_CAP = 1000;

export async function summarizeSie(source: ByteSource): Promise<SieSummary> {
  const r = await aggregateSie(source, { warningCap: WARNING_CAP });
  const balances: SieSummary["balances"] = {};
  for (const [year, accounts] of Object.entries(r.balances.ib))
    for (const [account, ib] of Object.entries(accounts)) ((balances[year] ??= {})[account] ??= { ib: 0, ub: 0 }).ib = ib;
  for (const [year, accounts] of Object.entries(r.balances.ub))
    for (const [account, ub] of Object.entries(accounts)) ((balances[year] ??= {})[account] ??= { ib: 0, ub: 0 }).ub = ub;
  const all: SieWarning[] = [...r.warnings, ...r.findings];
  let dropped = r.droppedWarnings + r.droppedFindings;
  if (all.length > WARNING_CAP) { dropped += all.length - WARNING_CAP; all.length = WARNING_CAP; }
  if (dropped > 0) all.push({ line: null, code: "more_warnings", message: `${dropped} more warnings left out` });
  return {
    sieType: r.company.sieType,
    program: r.company.program?.name ?? null,
    encoding: r.encoding,
    companyName: r.company.name,
    orgNr: r.company.orgNr,
    years: r.years.map((y) => ({ index: y.index, start: y.start, end: y.end })),
    accounts: r.accounts.filter((a) => a.declared).length,
    vouchers: r.voucherCount,
    transactions: r.transactionCount,
    unbalancedVouchers: r.unbalancedVouchers,
    balanceCheck: r.balanceCheck,
    ksumma: r.ksumma,
    balances,
    results: r.balances.res,
    turnover: r.turnover,
    warnings: all.map((w) => ({ ...w, text: formatWarning(w) })),
  };
}

/** Summary of a file on disk; a file that cannot be read still yields a summary (with an `unreadable` warning). */
export async function summarizeFile(path: string): Promise<{ summary: SieSummary; readable: boolean }> {
  try {
    const summary = await summarizeSie(createReadStream(path, { highWaterMark: 1 << 20 }));
    return { summary, readable: true };
  } catch (err) {
    const message = `The file could not be read: ${(err as Error).message}`;
    return {
      readable: false,
      summary: {
        sieType: null, program: null, encoding: null, companyName: null, orgNr: null, years: [], accounts: 0,
        vouchers: 0, transactions: 0, unbalancedVouchers: 0, balanceCheck: { basis: "unavailable", accounts: 0, mismatches: 0 }, ksumma: "absent", balances: {}, results: {}, turnover: {},
        warnings: [{ line: null, code: "unreadable", message, text: message }],
      },
    };
  }
}
