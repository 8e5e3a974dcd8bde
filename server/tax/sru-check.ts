// The checks before the SRU files are written: what Skatteverket's reception refuses (an invalid organisation
// number, an unknown blankett version, zero or duplicate fields, both fields of an exclusive pair, a negative
// amount in a field that takes none) and what would make the return wrong (INK2R not balancing, the result not
// matching the income statement, INK2 page 1 not matching 4.15/4.16).
import iconv from "iconv-lite";
import { luhnValid } from "@/lib/org-nr";
import { EXCLUSIVE_PAIRS, INK2, INK2R_ROWS, INK2S, NON_NEGATIVE, RESULT_LOSS, RESULT_PROFIT } from "./data/forms";
import { KNOWN_PERIODS } from "./data/years";
import { error, warning, type TaxProblem } from "./problems";
import type { SruDocument } from "./sru";

const validOrgNr12 = (s: string) => /^\d{12}$/.test(s) && luhnValid(s.slice(2));
const isLatin1 = (s: string) => iconv.decode(iconv.encode(s, "latin1"), "latin1") === s;

function textProblems(what: string, value: string | undefined, out: TaxProblem[]) {
  if (!value) return;
  if (value.includes("#")) out.push(warning("textHasHash", { field: what }));
  if (!isLatin1(value)) out.push(warning("textNotLatin1", { field: what }));
  if (value.length > 250) out.push(warning("textTooLong", { field: what, max: 250 }));
}

export function checkSru(doc: SruDocument): TaxProblem[] {
  const out: TaxProblem[] = [];
  if (!validOrgNr12(doc.orgNr)) out.push(error("orgNrInvalid", { orgNr: doc.orgNr }));
  if (!validOrgNr12(doc.sender.orgNr)) out.push(error("orgNrInvalid", { orgNr: doc.sender.orgNr }));
  if (!KNOWN_PERIODS.includes(doc.period)) out.push(error("formVersionUnknown", { period: doc.period }));
  if (!doc.sender.name.trim()) out.push(error("senderNameMissing"));
  if (!/^\d{5}$/.test(doc.sender.postalCode.replace(/\s/g, ""))) out.push(error("postalCodeInvalid", { postalCode: doc.sender.postalCode || "–" }));
  if (!doc.sender.city.trim()) out.push(error("cityMissing"));
  textProblems("NAMN", doc.name, out);
  for (const [k, v] of Object.entries(doc.sender)) textProblems(k, v, out);

  const values = new Map<string, number>();
  for (const b of doc.blocks) {
    const seen = new Set<string>();
    for (const f of b.fields) {
      if (seen.has(f.code)) out.push(error("duplicateField", { form: b.form, code: f.code }));
      seen.add(f.code);
      if (f.code === INK2.yearStart || f.code === INK2.yearEnd) continue;
      const n = Number(f.value);
      if (!/^-?\d+$/.test(f.value) || n === 0) out.push(error("zeroField", { form: b.form, code: f.code }));
      if (n < 0 && NON_NEGATIVE.has(f.code)) out.push(error("negativeNotAllowed", { code: f.code, row: b.form }));
      values.set(f.code, n);
    }
  }
  for (const [a, b] of EXCLUSIVE_PAIRS) if (values.has(a) && values.has(b)) out.push(error("exclusivePair", { a, b }));

  // Whole kronor drop up to one krona a field: the sums may differ by as many kronor as there are fields.
  let assets = 0, equity = 0, income = 0, nAssets = 0, nEquity = 0, nIncome = 0;
  for (const r of INK2R_ROWS) {
    if (r.code && values.has(r.code)) {
      if (r.side === "asset") { assets += values.get(r.code)!; nAssets++; } else { equity += values.get(r.code)!; nEquity++; }
    }
    if (r.plus && values.has(r.plus)) { income += values.get(r.plus)!; nIncome++; }
    if (r.minus && values.has(r.minus)) { income -= values.get(r.minus)!; nIncome++; }
  }
  if (Math.abs(assets - equity) > nAssets + nEquity) {
    out.push(error("balanceSheetUnbalanced", { assets: `${assets}`, equity: `${equity}`, difference: `${assets - equity}` }));
  }
  const result = (values.get(RESULT_PROFIT) ?? 0) - (values.get(RESULT_LOSS) ?? 0);
  if (Math.abs(result - income) > nIncome + 1) out.push(error("resultMismatch", { fields: `${income}`, statement: `${result}` }));
  if ((values.get(INK2.surplus) ?? 0) !== (values.get(INK2S.surplus) ?? 0) || (values.get(INK2.deficit) ?? 0) !== (values.get(INK2S.deficit) ?? 0)) {
    out.push(error("ink2Mismatch"));
  }
  return out;
}
