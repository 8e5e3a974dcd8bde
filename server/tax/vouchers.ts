// The vouchers the Skatt step books, as drafts of ordinary closing adjustments (server/closing/adjustments.ts):
// the periodiseringsfond allocation (8811 against the year's 21xx), reversals (21xx against 8819) and the tax
// (8910 against 2512), each only for what the books do not hold yet. The year's result (8999/2099) is the existing
// closing entry, generated after these.
import type { AdjustmentInput } from "@/server/closing/adjustments";
import type { PlannedEntry, TaxComputation } from "./types";

export type TaxVoucherKind = "taxFundAllocation" | "taxFundReversal" | "incomeTaxCalculated";

export interface TaxVoucherDraft extends AdjustmentInput {
  kind: TaxVoucherKind;
}

/** Accounts a draft uses that the chart lacks, with BAS names, for the user to confirm. */
function newAccounts(entries: PlannedEntry[], chart: ReadonlySet<string>) {
  const out = new Map<string, string>();
  for (const e of entries) {
    if (!chart.has(e.account)) out.set(e.account, e.name);
    if (!chart.has(e.counterAccount)) out.set(e.counterAccount, e.counterName);
  }
  return [...out].map(([number, name]) => ({ number, name }));
}

const rowsOf = (e: PlannedEntry, text?: string) => [
  { account: e.account, amountOre: e.amountOre, ...(text ? { text } : {}) },
  { account: e.counterAccount, amountOre: -e.amountOre, ...(text ? { text } : {}) },
];

/**
 * Drafts for what `computeTax` planned, dated the year's last day. `chart` is the set of account numbers the
 * project's chart has. An empty list means the books already hold everything.
 */
export function taxVouchers(c: TaxComputation, chart: ReadonlySet<string>): TaxVoucherDraft[] {
  const date = c.year.end;
  const year = c.year.end.slice(0, 4);
  const out: TaxVoucherDraft[] = [];
  const { allocation, reversals, tax } = c.planned;
  if (reversals.length) {
    const years = [...new Set(reversals.map((r) => r.year ?? "?"))].join(", ");
    out.push({
      kind: "taxFundReversal", date, text: `Återföring av periodiseringsfond ${years}`,
      rows: reversals.flatMap((r) => rowsOf(r, r.year ? `Periodiseringsfond ${r.year}` : undefined)),
      newAccounts: newAccounts(reversals, chart),
    });
  }
  if (allocation) {
    out.push({
      kind: "taxFundAllocation", date, text: `Avsättning till periodiseringsfond ${year}`,
      rows: rowsOf(allocation), newAccounts: newAccounts([allocation], chart),
    });
  }
  if (tax) {
    out.push({ kind: "incomeTaxCalculated", date, text: `Skatt på årets resultat ${year}`, rows: rowsOf(tax), newAccounts: newAccounts([tax], chart) });
  }
  return out;
}
