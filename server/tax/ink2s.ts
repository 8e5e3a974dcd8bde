// INK2S, the tax adjustments: the year's result from INK2R, suggestions from the accounts (booked tax, costs that
// are not deductible, income that is not taxable), the schablonintäkt, the uplift on reversed old funds and last
// year's loss; every adjustment can be replaced by the user's amount with a comment. The outcome, 4.15 överskott
// or 4.16 underskott, is the sum of the fields in whole kronor, as the form adds them.
import { NON_DEDUCTIBLE_ACCOUNTS, NON_TAXABLE_ACCOUNTS } from "./data/bas";
import { INK2S, INK2S_FIELDS, NON_NEGATIVE, RESULT_LOSS, RESULT_PROFIT, TAX_ROW } from "./data/forms";
import { fieldOre } from "./ink2r";
import { kronor } from "./money";
import { error, warning, type TaxProblem } from "./problems";
import type { FieldLine, FormField, Fund, Ink2sEdit, Ink2sField, ResolvedAccount, Schablon } from "./types";

export interface Ink2sInput {
  ink2r: FormField[];
  accounts: ResolvedAccount[];
  funds: Fund[];
  schablon: Schablon;
  previousLossOre: number;
  edits: Record<string, Ink2sEdit>;
}

export interface Ink2sOutcome {
  fields: Ink2sField[];
  /** Σ sign × kronor over every field but the outcome: positive = överskott. */
  totalKronor: number;
  problems: TaxProblem[];
}

const line = (account: string | null, name: string | null, amountOre: number, source: FieldLine["source"]): FieldLine =>
  ({ account, name, amountOre, plannedOre: 0, source });

function accountLines(accounts: ResolvedAccount[], numbers: readonly string[], orient: 1 | -1): FieldLine[] {
  return accounts
    .filter((a) => numbers.includes(a.number) && a.closingOre !== 0)
    .map((a) => ({ ...line(a.number, a.name, orient * a.closingOre, a.source ?? "bas"), plannedOre: orient * a.plannedOre }));
}

function suggestions(input: Ink2sInput): Map<string, FieldLine[]> {
  const out = new Map<string, FieldLine[]>();
  const put = (code: string, lines: FieldLine[]) => { if (lines.length) out.set(code, [...(out.get(code) ?? []), ...lines]); };
  const taxField = input.ink2r.find((f) => f.row === TAX_ROW);
  const profit = fieldOre(input.ink2r, RESULT_PROFIT), loss = fieldOre(input.ink2r, RESULT_LOSS);
  if (profit) put(INK2S.profit, [line(null, null, profit, "computed")]);
  if (loss) put(INK2S.loss, [line(null, null, loss, "computed")]);
  // The booked tax is not deductible (4.3a); a booked tax income is not taxable (4.5c).
  if (taxField && taxField.amountOre > 0) put(INK2S.bookedTax, taxField.lines);
  if (taxField && taxField.amountOre < 0) put(INK2S.nonTaxable, taxField.lines.map((l) => ({ ...l, amountOre: -l.amountOre, plannedOre: -l.plannedOre })));
  put(INK2S.nonDeductible, accountLines(input.accounts, NON_DEDUCTIBLE_ACCOUNTS, 1));
  put(INK2S.nonTaxable, accountLines(input.accounts, NON_TAXABLE_ACCOUNTS, -1));
  const s = input.schablon;
  if (s.amountOre) {
    put(INK2S.schablon, input.accounts.filter((a) => a.row === "2.29" && a.ibOre !== 0).map((a) => line(a.number, a.name, -a.ibOre, a.source ?? "bas")));
  }
  put(INK2S.uplift, input.funds.filter((f) => f.upliftOre).map((f) => line(f.account, f.name, f.upliftOre, "computed")));
  if (input.previousLossOre) put(INK2S.previousLoss, [line(null, null, input.previousLossOre, "typed")]);
  return out;
}

export function buildInk2s(input: Ink2sInput): Ink2sOutcome {
  const problems: TaxProblem[] = [];
  const suggested = suggestions(input);
  const known = new Set(INK2S_FIELDS.map((f) => f.code));
  for (const code of Object.keys(input.edits)) {
    const def = INK2S_FIELDS.find((f) => f.code === code);
    if (!known.has(code)) problems.push(error("adjustmentUnknownCode", { code }));
    else if (def!.kind !== "adjustment") problems.push(error("adjustmentNotEditable", { code, row: def!.row }));
  }
  const fields: Ink2sField[] = [];
  let total = 0;
  for (const def of INK2S_FIELDS) {
    if (def.kind === "outcome") continue;
    const lines = suggested.get(def.code) ?? [];
    let suggestedOre = lines.reduce((s, l) => s + l.amountOre, 0);
    // Only what the form can take: an add-back or deduction the accounts net to below zero is no suggestion.
    if (def.kind === "adjustment" && suggestedOre < 0) suggestedOre = 0;
    if (def.code === INK2S.schablon) suggestedOre = input.schablon.amountOre;
    const edit = def.kind === "adjustment" ? input.edits[def.code] : undefined;
    if (edit && !edit.comment.trim()) problems.push(warning("adjustmentCommentMissing", { code: def.code, row: def.row }));
    const amountOre = edit ? edit.amountOre : suggestedOre;
    if (amountOre < 0 && NON_NEGATIVE.has(def.code)) problems.push(error("negativeNotAllowed", { code: def.code, row: def.row }));
    total += def.sign * kronor(amountOre);
    fields.push({
      form: "INK2S", row: def.row, code: def.code, label: def.label, sign: def.sign, amountOre, kronor: kronor(amountOre),
      lines, suggestedOre, edited: !!edit, comment: edit?.comment.trim() || null, editable: def.kind === "adjustment",
    });
  }
  for (const def of INK2S_FIELDS.filter((f) => f.kind === "outcome")) {
    const kr = def.code === INK2S.surplus ? Math.max(total, 0) : Math.max(-total, 0);
    fields.push({
      form: "INK2S", row: def.row, code: def.code, label: def.label, sign: def.sign, amountOre: kr * 100, kronor: kr,
      lines: kr ? [line(null, null, kr * 100, "computed")] : [], suggestedOre: kr * 100, edited: false, comment: null, editable: false,
    });
  }
  return { fields, totalKronor: total, problems };
}
