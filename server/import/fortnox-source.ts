import type { FinancialYear } from "@/server/fortnox/schemas";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { FortnoxApiError, FortnoxNetworkError } from "@/server/fortnox/errors";
import { DEFAULT_LIMIT, DEFAULT_WINDOW_MS } from "@/server/fortnox/limiter";
import type { SieVoucher } from "@/server/sie";
import { EMPTY_OBJECTS } from "@/server/sie";
import { badRequest, DomainError } from "@/server/errors";
import type { LedgerAtDate } from "./ledger-at-date";
import type { ImportWriter, OpenItemInput } from "./writer";

// What only the Fortnox source does: find the financial year, fall back to REST when SIE is not available to
// the tenant. The customer and supplier ledgers as of the closing date: ledger-fetch.ts.

/** The Fortnox financial year with exactly the project's dates; none or a different split is the user's to fix. */
export function matchFinancialYear(years: FinancialYear[], start: string, end: string): FinancialYear {
  const exact = years.filter((y) => y.fromDate === start && y.toDate === end);
  if (exact.length === 1) return exact[0];
  const overlapping = years.filter((y) => y.fromDate <= end && y.toDate >= start);
  if (!overlapping.length) throw badRequest("fortnoxYearMissing", { start, end });
  throw badRequest("fortnoxYearMismatch", { start, end, years: overlapping.map((y) => `${y.fromDate} – ${y.toDate}`).join(", ") });
}

/** /3/sie answers with a scope or licence error, or not at all, for tenants without the SIE module. */
export function sieUnavailable(err: unknown): boolean {
  return (
    err instanceof FortnoxApiError &&
    (err.kind === "missing_scope" || err.kind === "no_licence_for_scope" || err.kind === "not_found" || err.status === 404)
  );
}

/** How many times one import asks Fortnox for the SIE file when the download breaks after its first byte. */
export const SIE_DOWNLOAD_ATTEMPTS = 3;

/**
 * A SIE download that broke once bytes flowed (a reset, a stall, fewer bytes than announced, a file cut before its
 * closing #KSUMMA): Fortnox had finished building the file, so asking again interrupts nothing. Failures before the
 * first byte never reach here: the HTTP client decides those (and never repeats a request Fortnox may still work on).
 */
export function sieBrokeMidway(err: unknown): boolean {
  if (err instanceof FortnoxNetworkError) return err.kind !== "first_byte_timeout";
  return err instanceof DomainError && err.key === "sieTruncated";
}

export function openItemsOf(ledger: LedgerAtDate): OpenItemInput[] {
  return ledger.items.map((i) => ({ side: ledger.side, ...i }));
}

/** Seconds the REST fallback needs at Fortnox's rate limit: one request per voucher. */
export function restFallbackSeconds(requests: number): number {
  return Math.ceil((requests * DEFAULT_WINDOW_MS) / DEFAULT_LIMIT / 1000);
}

export interface RestFallbackResult {
  accounts: { number: string; name: string; active: boolean; sru: string | null; ibOre: number }[];
  vouchers: number;
}

/**
 * Without SIE: accounts (with IB) and vouchers over REST, one request per voucher for its rows. Honest but slow
 * (about 5 vouchers a second at the rate limit); the progress bar says how long.
 */
export async function readRestInto(
  api: FortnoxApi,
  year: FinancialYear,
  writer: ImportWriter,
  onProgress: (p: { done: number; total: number; etaSeconds: number }) => void,
): Promise<RestFallbackResult> {
  const accounts = await api.listAccounts(year.id);
  const heads = await api.listVouchers(year.id);
  heads.sort((a, b) => a.series.localeCompare(b.series) || a.number - b.number);
  let done = 0;
  for (const head of heads) {
    const v = await api.getVoucher(head.series, head.number, year.id);
    let line = 0;
    const voucher: SieVoucher = {
      series: v.series, number: String(v.number), date: v.transactionDate, text: v.description, regDate: null, sign: "", line: 0,
      rows: [], corrections: [],
    };
    for (const r of v.rows) {
      const objects = [
        ...(r.costCenter ? [{ dim: "1", object: r.costCenter }] : []),
        ...(r.project ? [{ dim: "6", object: r.project }] : []),
      ];
      const row = {
        account: String(r.account), objects: objects.length ? objects : EMPTY_OBJECTS, amount: r.amountOre, date: v.transactionDate,
        text: r.transactionInformation || r.description, quantity: r.quantity, sign: "", line: ++line,
      };
      // A struck row is audit trail only, like SIE's #BTRANS.
      if (r.removed) voucher.corrections.push({ ...row, kind: "removed" });
      else voucher.rows.push(row);
    }
    await writer.addVoucher(voucher);
    done++;
    if (done % 10 === 0 || done === heads.length) {
      onProgress({ done, total: heads.length, etaSeconds: restFallbackSeconds(heads.length - done) });
    }
  }
  await writer.flush();
  return {
    accounts: accounts.map((a) => ({
      number: String(a.number), name: a.description, active: a.active, sru: a.sru === null ? null : String(a.sru), ibOre: a.balanceBroughtForwardOre,
    })),
    vouchers: heads.length,
  };
}
