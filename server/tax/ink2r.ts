// INK2R, the räkenskapsschema: every account's balance summed into its field, oriented as the form prints it,
// with the accounts behind each field. The year's result is computed from the income-statement fields (3.26/3.27);
// the part of it not yet booked to equity (8999/2099) is shown on 2.28 Fritt eget kapital so the balance sheet
// balances before the closing entry exists.
import { isResultAccount } from "./data/bas";
import { FREE_EQUITY_ROW, INK2R_ROWS, ink2rRowOf, RESULT_LOSS, RESULT_PROFIT, type Ink2rRow } from "./data/forms";
import { kronor } from "./money";
import type { FieldLine, FormField, ResolvedAccount } from "./types";

export interface Ink2rOutcome {
  fields: FormField[];
  /** Income-statement rows summed, income positive: the result the form shows. */
  fieldsResultOre: number;
  /** Every income-statement account (mapped or not), income positive. */
  statementResultOre: number;
  /** What 899x already holds as the year's result (debit = a booked profit). */
  bookedResultOre: number;
  assetsOre: number;
  equityAndLiabilitiesOre: number;
  /** Accounts with a balance and no field. */
  unmapped: { account: string; amountOre: number }[];
  /** Net per row (asset debit +, equity credit +, income income +). */
  rowNet: Map<string, number>;
}

const isIncomeStatementAccount = (n: string) => /^[3-8]\d{3}$/.test(n);

/** An account that carries the result itself (899x, or one the import coded 7450/7550). */
export const carriesResult = (a: { number: string; code: string | null }) =>
  isResultAccount(a.number) || a.code === RESULT_PROFIT || a.code === RESULT_LOSS;

function orientation(row: Ink2rRow, code: string): number {
  if (row.side === "asset") return 1;
  if (row.side === "equity") return -1;
  return code === row.plus ? -1 : 1;
}

export function buildInk2r(accounts: ResolvedAccount[]): Ink2rOutcome {
  const byRow = new Map<string, ResolvedAccount[]>();
  const unmapped: { account: string; amountOre: number }[] = [];
  let statement = 0, booked = 0;
  for (const a of accounts) {
    if (carriesResult(a)) {
      booked += a.closingOre;
      continue;
    }
    const row = a.code ? ink2rRowOf(a.code) : null;
    if (row?.side === "income" || (!row && isIncomeStatementAccount(a.number))) statement -= a.closingOre;
    if (!row) {
      if (a.closingOre !== 0) unmapped.push({ account: a.number, amountOre: a.closingOre });
      continue;
    }
    byRow.set(row.row, [...(byRow.get(row.row) ?? []), a]);
  }

  const fields: FormField[] = [];
  const rowNet = new Map<string, number>();
  let assets = 0, equity = 0, fieldsResult = 0;
  const emit = (row: Ink2rRow, code: string, lines: FieldLine[]) => {
    const amountOre = lines.reduce((s, l) => s + l.amountOre, 0);
    if (amountOre === 0 && lines.every((l) => l.amountOre === 0)) return;
    fields.push({ form: "INK2R", row: row.row, code, label: row.label, amountOre, kronor: kronor(amountOre), lines });
  };
  const unbooked = statement - booked;
  for (const row of INK2R_ROWS) {
    const own = byRow.get(row.row) ?? [];
    if (!own.length && !(row.row === FREE_EQUITY_ROW && unbooked !== 0)) continue;
    const net = own.reduce((s, a) => s + (row.side === "asset" ? a.closingOre : -a.closingOre), 0)
      + (row.row === FREE_EQUITY_ROW ? unbooked : 0);
    rowNet.set(row.row, net);
    if (row.side === "asset") assets += net;
    else if (row.side === "equity") equity += net;
    else fieldsResult += net;
    const code = row.code ?? (row.plus && row.minus ? (net >= 0 ? row.plus : row.minus) : (row.plus ?? row.minus)!);
    const f = orientation(row, code);
    const lines: FieldLine[] = own.map((a) => ({
      account: a.number, name: a.name, amountOre: f * a.closingOre, plannedOre: f * a.plannedOre, source: a.source!,
    }));
    if (row.row === FREE_EQUITY_ROW && unbooked !== 0) {
      lines.push({ account: null, name: null, amountOre: unbooked, plannedOre: 0, source: "unbookedResult" });
    }
    emit(row, code, lines);
  }
  if (fieldsResult !== 0) {
    const profit = fieldsResult > 0;
    fields.push({
      form: "INK2R", row: profit ? "3.26" : "3.27", code: profit ? RESULT_PROFIT : RESULT_LOSS,
      label: profit ? "Årets resultat, vinst" : "Årets resultat, förlust",
      amountOre: Math.abs(fieldsResult), kronor: kronor(Math.abs(fieldsResult)),
      lines: [{ account: null, name: null, amountOre: Math.abs(fieldsResult), plannedOre: 0, source: "computed" }],
    });
  }
  return {
    fields, fieldsResultOre: fieldsResult, statementResultOre: statement, bookedResultOre: booked,
    assetsOre: assets, equityAndLiabilitiesOre: equity, unmapped, rowNet,
  };
}

/** A field's amount as the form shows it, by code; 0 when absent. */
export const fieldOre = (fields: FormField[], code: string) => fields.find((f) => f.code === code)?.amountOre ?? 0;
