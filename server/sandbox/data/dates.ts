// Dates are day numbers (days since 1970-01-01 UTC): small integers that fit typed arrays.
const DAY = 86_400_000;

export function dayOf(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY);
}

export function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** YYYYMMDD as SIE writes it. */
export function sieDate(day: number): string {
  return isoDate(day).replaceAll("-", "");
}

export function parseIsoDate(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const day = dayOf(+m[1], +m[2], +m[3]);
  return isoDate(day) === s ? day : null;
}

export function yearMonthOf(day: number): { y: number; m: number; d: number } {
  const dt = new Date(day * DAY);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export function lastDayOfMonth(y: number, m: number): number {
  return dayOf(y, m + 1, 1) - 1;
}
