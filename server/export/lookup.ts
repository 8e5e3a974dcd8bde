import type { FortnoxApi } from "@/server/fortnox/resources";
import type { VoucherSummary } from "@/server/fortnox/schemas";
import { markersIn } from "./voucher";

// After an ambiguous POST the only way to know whether Fortnox has the voucher is to look for its marker. Voucher
// lists carry Comments (rows need one request per voucher; heads do not), and a date filter keeps the list to
// the vouchers of the export's dates: one or two pages however large the year is, and one listing resolves every
// open item of the same financial year at once.

export interface LookupTarget {
  marker: string;
  financialYearId: number;
  /** The date the voucher was posted with; null searches the whole year. */
  transactionDate: string | null;
}

/** Every voucher carrying each marker, oldest number first (more than one would be a duplicate). */
export async function findByMarkers(api: FortnoxApi, targets: LookupTarget[]): Promise<Map<string, VoucherSummary[]>> {
  const found = new Map<string, VoucherSummary[]>(targets.map((t) => [t.marker, []]));
  const byYear = new Map<number, LookupTarget[]>();
  for (const t of targets) byYear.set(t.financialYearId, [...(byYear.get(t.financialYearId) ?? []), t]);
  for (const [yearId, list] of byYear) {
    const dates = list.map((t) => t.transactionDate);
    const range = dates.every((d): d is string => d !== null)
      ? { fromdate: dates.reduce((a, b) => (a < b ? a : b)), todate: dates.reduce((a, b) => (a > b ? a : b)) }
      : {};
    const vouchers = await api.listVouchers(yearId, range);
    for (const v of vouchers) {
      for (const m of markersIn(v.comments)) found.get(m)?.push(v);
    }
  }
  for (const list of found.values()) list.sort((a, b) => a.series.localeCompare(b.series) || a.number - b.number);
  return found;
}
