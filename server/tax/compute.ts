// computeTax: from the trial balance and the user's choices to INK2R, INK2S, the planning figures and the entries
// the vouchers must book. Pure and fast: the page recomputes it on every change.
import { VOUCHER_ACCOUNTS } from "./data/bas";
import { ALLOCATION_ROW, INK2, INK2S, ink2rRowOf, TAX_ROW } from "./data/forms";
import { ALLOCATION_MAX_PERCENT, periodOf, taxRateFor } from "./data/years";
import { formatOre } from "@/lib/money";
import { resolveCode } from "./codes";
import { fundAccountFor, identifyFunds, monthsOfYear, schablonintakt } from "./funds";
import { buildInk2r, fieldOre } from "./ink2r";
import { buildInk2s } from "./ink2s";
import { mulDivFloor } from "./money";
import { error, type TaxProblem } from "./problems";
import type { FormField, PlannedEntry, ResolvedAccount, TaxComputation, TaxInput } from "./types";

interface Book {
  name: string | null;
  sru: string | null;
  ibOre: number;
  closingOre: number;
  plannedOre: number;
}

function resolveAll(book: Map<string, Book>, input: TaxInput, problems: TaxProblem[] | null): ResolvedAccount[] {
  return [...book.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([number, b]) => {
    const c = resolveCode(number, b.sru, input.sruOverrides?.[number], b.closingOre);
    if (c.problem && problems) problems.push(c.problem);
    const row = c.code ? ink2rRowOf(c.code)?.row ?? null : null;
    return { number, name: b.name, code: c.code, source: c.source, row, ibOre: b.ibOre, closingOre: b.closingOre, plannedOre: b.plannedOre };
  });
}

function post(book: Map<string, Book>, account: string, name: string, amountOre: number) {
  if (!amountOre) return;
  const b = book.get(account) ?? { name, sru: null, ibOre: 0, closingOre: 0, plannedOre: 0 };
  book.set(account, { ...b, closingOre: b.closingOre + amountOre, plannedOre: b.plannedOre + amountOre });
}

const pick = (book: Map<string, Book>, preferred: string, fallback: string) => (book.has(preferred) || !book.has(fallback) ? preferred : fallback);

export function computeTax(input: TaxInput): TaxComputation {
  const problems: TaxProblem[] = [];
  const { year } = input;
  const months = monthsOfYear(year);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(year.start) || !/^\d{4}-\d{2}-\d{2}$/.test(year.end) || year.end < year.start) {
    problems.push(error("yearInvalid", { start: year.start, end: year.end }));
  }
  const endYear = Number(year.end.slice(0, 4));
  const choices = input.choices ?? {};

  const books = new Map<string, Book>();
  for (const a of input.accounts) {
    const b = books.get(a.number);
    books.set(a.number, b
      ? { ...b, ibOre: b.ibOre + a.ibOre, closingOre: b.closingOre + a.closingOre, sru: b.sru ?? a.sru }
      : { name: a.name, sru: a.sru, ibOre: a.ibOre, closingOre: a.closingOre, plannedOre: 0 });
  }
  const booked = resolveAll(books, input, problems);
  const bookedR = buildInk2r(booked);
  const bookedAllocation = fieldOre(bookedR.fields.filter((f) => f.row === ALLOCATION_ROW), "7525");
  const bookedTax = bookedR.fields.find((f) => f.row === TAX_ROW)?.amountOre ?? 0;
  const { funds: bookedFunds } = identifyFunds(booked, year, input.fundYears);

  // Planned reversals: what the user chose, on top of what the books already reverse.
  const book = new Map([...books].map(([k, v]) => [k, { ...v }]));
  const reversals: PlannedEntry[] = [];
  const reversalAccount = pick(book, VOUCHER_ACCOUNTS.reversal.number, VOUCHER_ACCOUNTS.fundChange);
  for (const f of bookedFunds) {
    const wanted = choices.reversals === "required" ? (f.mustReverse ? f.ibOre : f.bookedReversalOre)
      : typeof choices.reversals === "object" ? choices.reversals[f.account] ?? f.bookedReversalOre : f.bookedReversalOre;
    if (wanted < 0 || wanted > f.ibOre) {
      problems.push(error("fundReversalInvalid", { account: f.account, amount: formatOre(wanted), max: formatOre(f.ibOre) }));
      continue;
    }
    const delta = wanted - f.bookedReversalOre;
    if (!delta) continue;
    post(book, f.account, f.name ?? f.account, delta);
    post(book, reversalAccount, VOUCHER_ACCOUNTS.reversal.name, -delta);
    reversals.push({ account: f.account, name: f.name ?? f.account, amountOre: delta, counterAccount: reversalAccount, counterName: VOUCHER_ACCOUNTS.reversal.name, year: f.year });
  }

  // Planned allocation: the difference between the chosen total and what the books hold.
  let allocation: PlannedEntry | null = null;
  const allocationTarget = choices.allocationOre ?? bookedAllocation;
  if (allocationTarget < 0) problems.push(error("allocationNegative"));
  const fundAccount = fundAccountFor(endYear, booked);
  const allocationDelta = Math.max(allocationTarget, 0) - bookedAllocation;
  if (allocationDelta) {
    if (!fundAccount) problems.push(error("fundAccountTaken", { year: endYear }));
    else {
      const acc = pick(book, VOUCHER_ACCOUNTS.allocation.number, VOUCHER_ACCOUNTS.fundChange);
      post(book, acc, VOUCHER_ACCOUNTS.allocation.name, allocationDelta);
      post(book, fundAccount.number, fundAccount.name, -allocationDelta);
      allocation = { account: acc, name: VOUCHER_ACCOUNTS.allocation.name, amountOre: allocationDelta, counterAccount: fundAccount.number, counterName: fundAccount.name, year: endYear };
    }
  }

  // The tax: computed from INK2S, which adds the booked tax back, so booking it changes nothing but 4.1 and 4.3a.
  // A user's own 4.3a amount breaks that symmetry, hence the loop (it settles in a few rounds).
  const rate = taxRateFor(year.start);
  let taxOre = 0, tax: PlannedEntry | null = null;
  let state = evaluate(book, input, year);
  for (let round = 0; round < 10; round++) {
    taxOre = taxFor(state.totalKronor, rate.bp);
    if (!choices.bookTax) break;
    const current = state.ink2r.find((f) => f.row === TAX_ROW)?.amountOre ?? 0;
    if (current === taxOre) break;
    const taxBook = new Map([...book].map(([k, v]) => [k, { ...v }]));
    const delta = taxOre - bookedTax;
    post(taxBook, VOUCHER_ACCOUNTS.tax.number, VOUCHER_ACCOUNTS.tax.name, delta);
    post(taxBook, VOUCHER_ACCOUNTS.taxLiability.number, VOUCHER_ACCOUNTS.taxLiability.name, -delta);
    tax = delta ? { account: VOUCHER_ACCOUNTS.tax.number, name: VOUCHER_ACCOUNTS.tax.name, amountOre: delta, counterAccount: VOUCHER_ACCOUNTS.taxLiability.number, counterName: VOUCHER_ACCOUNTS.taxLiability.name, year: null } : null;
    state = evaluate(taxBook, input, year);
    if (round === 9) problems.push(error("taxNotStable"));
  }
  problems.push(...state.problems);

  const allocationNow = fieldOre(state.ink2r.filter((f) => f.row === ALLOCATION_ROW), "7525");
  const basisKronor = state.totalKronor + Math.trunc(allocationNow / 100);
  const maxAllocationOre = basisKronor > 0 ? mulDivFloor(basisKronor, ALLOCATION_MAX_PERCENT, 100) * 100 : 0;
  if (allocationNow > maxAllocationOre) problems.push(error("allocationAboveMax", { amount: formatOre(allocationNow), max: formatOre(maxAllocationOre) }));
  const taxableOre = state.totalKronor * 100;
  const bookedTaxNow = state.ink2r.find((f) => f.row === TAX_ROW)?.amountOre ?? 0;
  const resultBeforeTax = state.r.statementResultOre + bookedTaxNow;

  const ink2: FormField[] = [];
  const surplus = state.ink2s.find((f) => f.code === INK2S.surplus)!, deficit = state.ink2s.find((f) => f.code === INK2S.deficit)!;
  if (surplus.amountOre) ink2.push({ ...surplus, form: "INK2", row: "1.1", code: INK2.surplus, label: "Överskott av näringsverksamhet", lines: [] });
  if (deficit.amountOre) ink2.push({ ...deficit, form: "INK2", row: "1.2", code: INK2.deficit, label: "Underskott av näringsverksamhet", lines: [] });

  return {
    year: { ...year, months, period: periodOf(year.end) },
    accounts: state.accounts,
    ink2,
    ink2r: state.ink2r,
    ink2s: state.ink2s,
    funds: state.funds,
    schablon: state.schablon,
    planning: {
      basisOre: basisKronor * 100, maxAllocationOre, allocationOre: allocationNow,
      allocationAccount: allocation?.counterAccount ?? fundAccount?.number ?? null,
      taxableOre, taxBaseOre: Math.floor(Math.max(state.totalKronor, 0) / 10) * 1000, taxRateBp: rate.bp, taxOre,
      bookedTaxOre: bookedTax, resultBeforeTaxOre: resultBeforeTax, resultAfterTaxOre: resultBeforeTax - taxOre,
    },
    planned: { allocation, reversals, tax },
    checks: {
      assetsOre: state.r.assetsOre, equityAndLiabilitiesOre: state.r.equityAndLiabilitiesOre,
      balanceOk: state.r.assetsOre === state.r.equityAndLiabilitiesOre,
      fieldsResultOre: state.r.fieldsResultOre, statementResultOre: state.r.statementResultOre,
      resultOk: state.r.fieldsResultOre === state.r.statementResultOre,
    },
    problems: dedupe(problems),
  };
}

/** The tax on a surplus in kronor: rounded down to whole tens of kronor (1 kap. 7 § IL), × the rate, öre dropped. */
export function taxFor(surplusKronor: number, rateBp: number): number {
  if (surplusKronor <= 0) return 0;
  const base = Math.floor(surplusKronor / 10) * 10;
  return mulDivFloor(base, rateBp, 10_000) * 100;
}

function evaluate(book: Map<string, Book>, input: TaxInput, year: TaxInput["year"]) {
  const problems: TaxProblem[] = [];
  const accounts = resolveAll(book, input, null);
  const r = buildInk2r(accounts);
  for (const u of r.unmapped) problems.push(error("accountWithoutCode", { account: u.account, amount: formatOre(u.amountOre) }));
  if (r.assetsOre !== r.equityAndLiabilitiesOre) {
    problems.push(error("balanceSheetUnbalanced", { assets: formatOre(r.assetsOre), equity: formatOre(r.equityAndLiabilitiesOre), difference: formatOre(r.assetsOre - r.equityAndLiabilitiesOre) }));
  }
  if (r.fieldsResultOre !== r.statementResultOre) {
    problems.push(error("resultMismatch", { fields: formatOre(r.fieldsResultOre), statement: formatOre(r.statementResultOre) }));
  }
  const f = identifyFunds(accounts, year, input.fundYears);
  const s = schablonintakt(accounts, year, input.slrBp);
  const ink2s = buildInk2s({ ink2r: r.fields, accounts, funds: f.funds, schablon: s.schablon, previousLossOre: input.previousLossOre ?? 0, edits: input.ink2sEdits ?? {} });
  problems.push(...f.problems, ...s.problems, ...ink2s.problems);
  return { accounts, r, ink2r: r.fields, ink2s: ink2s.fields, totalKronor: ink2s.totalKronor, funds: f.funds, schablon: s.schablon, problems };
}

function dedupe(problems: TaxProblem[]): TaxProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = JSON.stringify([p.key, p.params]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
