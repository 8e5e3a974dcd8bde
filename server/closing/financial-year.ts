/**
 * Financial-year rules (bokföringslagen 3 kap.): a year starts on the first day of a month and ends on the last
 * day of a month; normally 12 months, 1–18 allowed for first, last and changed years. Dates are ISO strings.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(s: string): { y: number; m: number; d: number } | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const y = +m[1], mo = +m[2], d = +m[3];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export type YearProblem = "dateInvalid" | "yearStartNotFirst" | "yearEndNotLast" | "yearEndBeforeStart" | "yearLength";

export function checkFinancialYear(start: string, end: string): YearProblem | null {
  const s = parseIsoDate(start);
  const e = parseIsoDate(end);
  if (!s || !e) return "dateInvalid";
  if (s.d !== 1) return "yearStartNotFirst";
  if (e.d !== lastDayOfMonth(e.y, e.m)) return "yearEndNotLast";
  if (end < start) return "yearEndBeforeStart";
  const months = (e.y * 12 + e.m) - (s.y * 12 + s.m) + 1;
  if (months < 1 || months > 18) return "yearLength";
  return null;
}

export function monthsOf(start: string, end: string): number {
  const s = parseIsoDate(start)!;
  const e = parseIsoDate(end)!;
  return (e.y * 12 + e.m) - (s.y * 12 + s.m) + 1;
}

/** Closed intervals [aStart, aEnd] and [bStart, bEnd] share at least one day. ISO strings compare as dates. */
export function overlaps(aStart: string, aEnd: string, bStart: string, bEnd: string): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}
