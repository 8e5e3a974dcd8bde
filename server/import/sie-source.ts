import { parseSieStream, type SieRecord, type SieStreamResult, type SieWarning } from "@/server/sie";
import { badRequest } from "@/server/errors";
import type { ImportCheck } from "@/db/schema";
import type { ImportWriter, ObjectBalanceInput } from "./writer";

// A SIE file, from an upload or from Fortnox's /3/sie/4, into the import's staging rows: the one path both
// sources share. The engine streams; vouchers go to the writer as they are parsed.

export interface SieReadProgress {
  bytes: number;
  vouchers: number;
}

async function* counting(source: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const chunk of source) {
    n += chunk.length;
    onBytes(n);
    yield chunk;
  }
}

export interface ReadSieOptions {
  /** The project's financial year: a file for another year is refused as soon as its #RAR 0 is read. */
  year?: { start: string; end: string };
  onProgress?: (p: SieReadProgress) => void;
}

export async function readSieInto(source: AsyncIterable<Uint8Array>, writer: ImportWriter, opts: ReadSieOptions = {}): Promise<SieStreamResult> {
  const onProgress = opts.onProgress ?? (() => {});
  const objectBalances: ObjectBalanceInput[] = [];
  const dims: { dim: string; object: string | null; name: string; parent: string | null }[] = [];
  let bytes = 0;
  const onRecord = (r: SieRecord) => {
    if (r.kind === "year" && r.index === 0 && opts.year && r.start && r.end && (r.start !== opts.year.start || r.end !== opts.year.end)) {
      throw badRequest("sieYearMismatch", { fileStart: r.start, fileEnd: r.end, start: opts.year.start, end: opts.year.end });
    }
    if (r.kind === "objectBalance" || r.kind === "period") {
      objectBalances.push({
        kind: r.type, yearIndex: r.year, period: r.kind === "period" ? r.period : null, account: r.account,
        objects: r.objects, amountOre: r.amount, quantity: r.quantity,
      });
    } else if (r.kind === "dimension") dims.push({ dim: r.dim, object: null, name: r.name, parent: r.parent });
    else if (r.kind === "object") dims.push({ dim: r.dim, object: r.object, name: r.name, parent: null });
  };
  const result = await parseSieStream(counting(source, (n) => (bytes = n)), {
    onRecord,
    onVoucher: async (v) => {
      await writer.addVoucher(v);
      if (writer.voucherCount % 500 === 0) onProgress({ bytes, vouchers: writer.voucherCount });
    },
  });
  await writer.flush();
  onProgress({ bytes, vouchers: writer.voucherCount });

  refuseBrokenFile(result);
  await writer.writeYears(result.years);
  await writer.writeAccounts(
    result.accounts.map((a) => ({ number: a.number, name: a.declared ? a.name : null, type: a.type, sru: a.sru.length ? a.sru.join(",") : null })),
  );
  const balances = [];
  for (const [kind, map] of [["IB", result.balances.ib], ["UB", result.balances.ub], ["RES", result.balances.res]] as const) {
    for (const [year, accounts] of Object.entries(map)) {
      for (const [account, amountOre] of Object.entries(accounts)) balances.push({ kind, yearIndex: Number(year), account, amountOre, quantity: null });
    }
  }
  await writer.writeBalances(balances);
  await writer.writeObjectBalances(objectBalances);
  await writer.writeDimensions(dims);
  return result;
}

const has = (warnings: SieWarning[], code: string) => warnings.some((w) => w.code === code);

/**
 * What makes a file unusable rather than merely imperfect: no SIE at all, a cut-off file (an opening #KSUMMA
 * without its closing one: the usual sign of a truncated download), or a checksum that says the content changed.
 * Everything else the engine forgave becomes a warning the user sees.
 */
function refuseBrokenFile(result: SieStreamResult) {
  if (has(result.warnings, "not_sie") || has(result.warnings, "unreadable")) throw badRequest("sieNotSie");
  if (has(result.warnings, "ksumma_unclosed")) throw badRequest("sieTruncated");
  if (result.ksumma === "invalid") throw badRequest("sieChecksumInvalid");
}

/** The file's year 0 must be the project's financial year; a file without dates is accepted with a warning. */
export function checkSieYear(result: SieStreamResult, start: string, end: string): ImportCheck {
  const y0 = result.years.find((y) => y.index === 0);
  if (!y0 || !y0.start || !y0.end) return { key: "sieYear", status: "warning", params: { start, end } };
  if (y0.start !== start || y0.end !== end) {
    throw badRequest("sieYearMismatch", { fileStart: y0.start, fileEnd: y0.end, start, end });
  }
  return { key: "sieYear", status: "ok", params: { start, end } };
}
