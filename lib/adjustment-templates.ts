// Templates for the common adjustments: rows with their usual BAS accounts and sides; the user gives the amount
// and the accounts left blank. Pure data, shared by the editor and the router's list of kinds.

export interface AdjustmentTemplate {
  key: "accruedExpense" | "prepaidExpense" | "accruedIncome" | "deferredIncome" | "depreciation" | "auditFee" | "incomeTax";
  rows: { account: string; side: "debit" | "credit" }[];
}

export const ADJUSTMENT_TEMPLATES: readonly AdjustmentTemplate[] = [
  // Periodiseringar: a cost or income that belongs to another year than the one it was booked in.
  { key: "accruedExpense", rows: [{ account: "", side: "debit" }, { account: "2990", side: "credit" }] },
  { key: "prepaidExpense", rows: [{ account: "1790", side: "debit" }, { account: "", side: "credit" }] },
  { key: "accruedIncome", rows: [{ account: "1790", side: "debit" }, { account: "", side: "credit" }] },
  { key: "deferredIncome", rows: [{ account: "", side: "debit" }, { account: "2990", side: "credit" }] },
  // Avskrivning enligt plan på inventarier.
  { key: "depreciation", rows: [{ account: "7832", side: "debit" }, { account: "1229", side: "credit" }] },
  { key: "auditFee", rows: [{ account: "6420", side: "debit" }, { account: "2991", side: "credit" }] },
  { key: "incomeTax", rows: [{ account: "8910", side: "debit" }, { account: "2512", side: "credit" }] },
];

export const ADJUSTMENT_KINDS = ["manual", ...ADJUSTMENT_TEMPLATES.map((t) => t.key)] as [string, ...string[]];

/** The template's rows for an amount in öre (debit positive, credit negative). */
export function templateRows(t: AdjustmentTemplate, amountOre: number) {
  return t.rows.map((r) => ({ account: r.account, amountOre: r.side === "debit" ? amountOre : -amountOre }));
}
