import { FortnoxApiError } from "@/server/fortnox/errors";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { markersIn } from "./voucher";

// After an ambiguous POST the only way to know whether Fortnox has the voucher is to look for its marker, which
// travels in Comments. Voucher lists may carry no Comments at all (Fortnox's own documentation example of
// GET /3/vouchers has none, though the OpenAPI file's VoucherListItem lists it), so a list that does not show a
// marker proves nothing. Single
// vouchers always carry Comments, and voucher numbers of a series only grow: before each POST the exporter records
// the series' next number (the "floor"; see run/run.ts), so the voucher, if Fortnox made it, is one of the
// numbers from the floor up to the series' current next number. The lookup reads exactly those, one by one:
//
//   GET /3/voucherseries/{Code}?financialyear=      → NextVoucherNumber N
//   GET /3/vouchers/{Code}/{n}?financialyear=       for n = floor … N-1, then N, N+1 … until one is missing
//
// Reading on past N guards against a stale N; a missing number below N (a gap) is just not ours. Vouchers other
// users posted into the series meanwhile are read too, which keeps the lookup right and its cost bounded by what
// was posted since the floor. Items without a floor (queued before floors were recorded), a series without
// NextVoucherNumber, or a range wider than `maxRangeReads` fall back to the date-filtered list: a non-empty
// Comments there is trusted as positive evidence only; every listed voucher of the series and date without one is
// read singly.

export interface LookupTarget {
  marker: string;
  financialYearId: number;
  series: string;
  /** The date the voucher was posted with; null searches the whole year (list fallback only). */
  transactionDate: string | null;
  /** The series' next number read before the POST; null when unknown. */
  numberFloor: number | null;
}

export interface FoundVoucher {
  series: string;
  number: number;
  year: number;
}

export interface LookupResult {
  /** Every voucher carrying each marker, lowest number first (more than one would be a duplicate). */
  found: Map<string, FoundVoucher[]>;
  /** Per `${financialYearId}:${series}`: a number every voucher created from now on will reach (a floor). */
  nextNumbers: Map<string, number>;
  /** Requests made. */
  requests: number;
}

export interface LookupOptions {
  /** Longest run of single vouchers read before falling back to the list (default 300, a minute at Fortnox's limit). */
  maxRangeReads?: number;
}

export const seriesKey = (financialYearId: number, series: string) => `${financialYearId}:${series}`;

/**
 * A voucher number nobody has: Fortnox's status for it is not documented (404 in the sandbox; a 400 with an
 * ErrorInformation code is what other Fortnox resources answer), so both count as "no voucher with this number".
 */
function isMissing(err: unknown): boolean {
  return err instanceof FortnoxApiError && (err.status === 404 || (err.status === 400 && err.kind !== "invalid_login"));
}

export async function findByMarkers(api: FortnoxApi, targets: LookupTarget[], opts: LookupOptions = {}): Promise<LookupResult> {
  const maxRangeReads = opts.maxRangeReads ?? 300;
  const found = new Map<string, FoundVoucher[]>(targets.map((t) => [t.marker, []]));
  const nextNumbers = new Map<string, number>();
  let requests = 0;
  const groups = new Map<string, LookupTarget[]>();
  for (const t of targets) {
    const k = seriesKey(t.financialYearId, t.series);
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }

  for (const [key, group] of groups) {
    const { financialYearId: yearId, series } = group[0];
    const record = (number: number, comments: string) => {
      for (const m of markersIn(comments)) {
        const copies = found.get(m);
        if (copies && !copies.some((c) => c.number === number)) copies.push({ series, number, year: yearId });
      }
    };
    /** Reads one voucher; false when Fortnox has none with that number. */
    const read = async (n: number): Promise<boolean> => {
      requests++;
      try {
        record(n, (await api.getVoucher(series, n, yearId)).comments);
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    };

    const floors = group.map((t) => t.numberFloor).filter((f): f is number => f !== null);
    const from = floors.length ? Math.min(...floors) : null;
    let next: number | null = null;
    if (from !== null) {
      requests++;
      next = (await api.getVoucherSeries(series, yearId)).nextVoucherNumber ?? from;
    }
    const scanned = from !== null && next !== null && next - from <= maxRangeReads;
    // Targets the number range does not cover: they are looked for through the list.
    const viaList = group.filter((t) => t.numberFloor === null || !scanned);
    const seen = new Set<number>();
    if (viaList.length) {
      const dates = viaList.map((t) => t.transactionDate);
      const range = dates.every((d): d is string => d !== null)
        ? { fromdate: dates.reduce((a, b) => (a < b ? a : b)), todate: dates.reduce((a, b) => (a > b ? a : b)) }
        : {};
      requests++; // at least one page
      const listed = (await api.listVouchers(yearId, { ...range, series })).sort((a, b) => a.number - b.number);
      for (const v of listed) {
        if (v.comments) {
          // Comments present: it names the markers it carries, and no other.
          record(v.number, v.comments);
          seen.add(v.number);
          continue;
        }
        const mayBe = viaList.some(
          (t) => (t.transactionDate === null || t.transactionDate === v.transactionDate) && (t.numberFloor === null || v.number >= t.numberFloor),
        );
        if (mayBe && !(await read(v.number))) continue;
        seen.add(v.number);
      }
    }
    if (from !== null && next !== null) {
      if (scanned) for (let n = from; n < next; n++) if (!seen.has(n)) await read(n);
      // On past the series' next number until a number is missing: a stale NextVoucherNumber cannot hide ours.
      let n = Math.max(next, from);
      for (let probes = 0; probes <= maxRangeReads; probes++, n++) {
        if (!seen.has(n) && !(await read(n))) break;
      }
      nextNumbers.set(key, n);
    }
  }
  for (const list of found.values()) list.sort((a, b) => a.series.localeCompare(b.series) || a.number - b.number);
  return { found, nextNumbers, requests };
}

/**
 * Where an uploaded file is connected, after a connect whose answer was lost: from two witnesses, the connection by
 * file id and, when Fortnox does not know that id (a 404, or often a 400 with an ErrorInformation code: the status
 * is undocumented), the connections of our voucher. Only both saying nothing makes "none".
 */
export async function whereIsFileConnected(
  api: FortnoxApi,
  fileId: string,
  voucher: { series: string; number: number; financialYearId: number },
): Promise<{ where: "ours" | "none" | "elsewhere"; requests: number }> {
  const ours = (c: { voucherSeries: string; voucherNumber: number; voucherYear: number | null }) =>
    c.voucherSeries === voucher.series && c.voucherNumber === voucher.number && (c.voucherYear === null || c.voucherYear === voucher.financialYearId);
  let byId;
  try {
    byId = await api.getVoucherFileConnection(fileId);
  } catch (err) {
    if (!(err instanceof FortnoxApiError && err.status === 400)) throw err;
    byId = null;
  }
  if (byId) return { where: ours(byId) ? "ours" : "elsewhere", requests: 1 };
  // Filtered by voucher; matched here too, so a Fortnox that ignored the filter costs pages, not truth.
  const mine = (await api.listVoucherFileConnections(voucher)).filter((c) => c.fileId === fileId);
  return { where: mine.some(ours) ? "ours" : mine.length ? "elsewhere" : "none", requests: 2 };
}
