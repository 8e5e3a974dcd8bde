// Periodiseringsfonder: which account holds which year's fund, the schablonintäkt on the funds at the start of the
// year, which funds must be reversed and the extra amount taxed when an old fund is reversed.
import { FUND_MAX_AGE_YEARS, reversalUpliftPercent, schablonRatePpm, slrFor } from "./data/years";
import { FUNDS_ROW } from "./data/forms";
import { formatOre } from "@/lib/money";
import { mulDivFloor } from "./money";
import { error, warning, type TaxProblem } from "./problems";
import type { Fund, ResolvedAccount, Schablon, TaxYear } from "./types";

const endYearOf = (y: TaxYear) => Number(y.end.slice(0, 4));

/**
 * The year a fund account's name states: "Periodiseringsfond 2021" → 2021; BAS's older names count the
 * taxeringsår, the year after: "Periodiseringsfonder vid 2010 års taxering" → 2009.
 */
export function fundYearFromName(name: string | null): number | null {
  if (!name) return null;
  const taxering = /(\d{4})\s+års\s+taxering/i.exec(name);
  if (taxering) return Number(taxering[1]) - 1;
  const year = /\b(19|20)\d{2}\b/.exec(name);
  return year ? Number(year[0]) : null;
}

/**
 * BAS 2025 numbers the funds by the last digit of their year: 212d "Periodiseringsfond 202d" (2128, 2129 for
 * 2018, 2019), 213d a second fund of the same year (BAS kontoplan 2025, group 21). The latest such year before
 * the current one for a fund the year starts with, the current year itself for an empty account.
 */
export function fundYearFromNumber(account: string, endYear: number, holdsOldFund: boolean): number | null {
  const m = /^21([23])(\d)$/.exec(account);
  if (!m) return null;
  const digit = Number(m[2]);
  let y = holdsOldFund ? endYear - 1 : endYear;
  while (y % 10 !== digit) y--;
  return y;
}

/** The tax year start of a fund's year, assuming it began in the same month as the current year (see README). */
function fundYearStart(fundYear: number, year: TaxYear): string {
  const span = endYearOf(year) - Number(year.start.slice(0, 4));
  return `${fundYear - span}${year.start.slice(4)}`;
}

export function identifyFunds(accounts: ResolvedAccount[], year: TaxYear, fundYears: Record<string, number> | undefined): { funds: Fund[]; problems: TaxProblem[] } {
  const problems: TaxProblem[] = [];
  const endYear = endYearOf(year);
  const funds: Fund[] = [];
  for (const a of accounts) {
    if (a.row !== FUNDS_ROW) continue;
    const ib = -a.ibOre, closing = -a.closingOre;
    if (ib === 0 && closing === 0) continue;
    const fundYear = fundYears?.[a.number] ?? fundYearFromName(a.name) ?? fundYearFromNumber(a.number, endYear, ib !== 0);
    if (fundYear === null && ib !== 0) problems.push(warning("fundYearUnknown", { account: a.number }));
    const reversed = Math.max(0, ib - closing);
    const booked = Math.max(0, ib - (closing + a.plannedOre));
    const mustReverse = fundYear !== null && ib > 0 && endYear - fundYear >= FUND_MAX_AGE_YEARS;
    const upliftPercent = fundYear === null || ib === 0 ? 0 : reversalUpliftPercent(fundYearStart(fundYear, year), year.start);
    funds.push({
      account: a.number, name: a.name, year: fundYear, ibOre: ib, closingOre: closing, bookedReversalOre: booked,
      reversedOre: reversed, mustReverse, upliftPercent, upliftOre: mulDivFloor(reversed, upliftPercent, 100),
    });
  }
  for (const f of funds) {
    if (f.mustReverse && f.closingOre > 0) {
      problems.push(error("fundMustBeReversed", { account: f.account, year: f.year!, amount: formatOre(f.closingOre) }));
    }
  }
  return { funds, problems };
}

/**
 * The account for this year's new fund: one whose name states the year, else BAS's 212d, else 213d when 212d
 * still holds an older fund. Null when both hold one.
 */
export function fundAccountFor(endYear: number, accounts: ResolvedAccount[]): { number: string; name: string; exists: boolean } | null {
  const inRange = accounts.filter((a) => /^21[1-4]\d$/.test(a.number));
  const named = inRange.find((a) => fundYearFromName(a.name) === endYear && !/taxering/i.test(a.name ?? ""));
  if (named) return { number: named.number, name: named.name ?? `Periodiseringsfond ${endYear}`, exists: true };
  for (const prefix of ["212", "213"]) {
    const number = `${prefix}${endYear % 10}`;
    const a = accounts.find((x) => x.number === number);
    if (!a) return { number, name: `Periodiseringsfond ${endYear}${prefix === "213" ? " – nr 2" : ""}`, exists: false };
    const holdsOld = a.ibOre !== 0 && fundYearFromName(a.name) !== endYear;
    if (!holdsOld) return { number, name: a.name ?? `Periodiseringsfond ${endYear}`, exists: true };
  }
  return null;
}

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** Whole months when the year runs from a month's first day to a month's last, else null. */
export function monthsOfYear(year: TaxYear): number | null {
  const s = year.start, e = year.end;
  const lastDay = new Date(Date.UTC(Number(e.slice(0, 4)), Number(e.slice(5, 7)), 0)).getUTCDate();
  if (s.slice(8) !== "01" || Number(e.slice(8)) !== lastDay) return null;
  return (Number(e.slice(0, 4)) * 12 + Number(e.slice(5, 7))) - (Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7))) + 1;
}

/**
 * Schablonintäkt (INK2S 4.6a): funds at the start of the year × the rate, "justeras i motsvarande mån" for a year
 * longer or shorter than 12 months (30 kap. 6 a § andra stycket IL): × months / 12, or × days / 365 for a year that
 * does not follow month boundaries (only a company's first year can; it has no funds to start with).
 */
export function schablonintakt(accounts: ResolvedAccount[], year: TaxYear, typedSlrBp: number | undefined): { schablon: Schablon; problems: TaxProblem[] } {
  const problems: TaxProblem[] = [];
  const fundsAtStart = accounts.filter((a) => a.row === FUNDS_ROW).reduce((s, a) => s - a.ibOre, 0);
  const novemberYear = endYearOf(year) - 1;
  const row = slrFor(novemberYear);
  const slrBp = typedSlrBp ?? row?.bp ?? null;
  const months = monthsOfYear(year);
  const days = dayNumber(year.end) - dayNumber(year.start) + 1;
  let source = typedSlrBp !== undefined ? "typed" : row?.source ?? "";
  if (fundsAtStart > 0 && slrBp === null) problems.push(error("slrUnknown", { year: novemberYear }));
  if (fundsAtStart > 0 && typedSlrBp === undefined && row && !row.confirmed) problems.push(warning("slrUnconfirmed", { year: novemberYear, rate: (row.bp / 100).toFixed(2) }));
  const ratePpm = slrBp === null ? 0 : schablonRatePpm(year.start, slrBp);
  const amountOre = fundsAtStart <= 0 || ratePpm <= 0 ? 0
    : months !== null ? mulDivFloor(fundsAtStart, ratePpm * months, 12_000_000) : mulDivFloor(fundsAtStart, ratePpm * days, 365_000_000);
  if (!source) source = "–";
  return { schablon: { fundsAtStartOre: fundsAtStart, novemberYear, slrBp, ratePpm, months, days, amountOre, source }, problems };
}
