// Streaming entry points: bytes in chunks → typed records and whole vouchers, with back-pressure.
import { Aggregator, type BalanceCheck, type SieAccount, type SieCompany, type SieFinding, type SieYear } from "./checks";
import { SieReader } from "./reader";
import type {
  KsummaResult, SieEncoding, SieObjectRef, SieRecord, SieRow, SieSink, SieVoucher, SieVoucherHead,
} from "./types";
import { SieError, WarningList, type SieWarning } from "./warnings";

export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface SieStreamOptions {
  strict?: boolean;
  /** Called for every non-voucher record (header, chart, balances, period balances), in file order with vouchers. */
  onRecord?: (r: SieRecord) => void;
  /** Called once per voucher, in file order; a returned promise is awaited before anything else is delivered or read. */
  onVoucher?: (v: SieVoucher) => void | Promise<void>;
  onWarning?: (w: SieWarning) => void;
  /** Keep at most this many warnings/findings in the result (default 1000 / 10000); the rest are counted. */
  warningCap?: number;
}

export type YearMap = Record<string, Record<string, number>>;

export interface SieStreamResult {
  encoding: SieEncoding;
  ksumma: KsummaResult;
  company: SieCompany;
  years: SieYear[];
  /** #KONTO accounts in file order, then accounts only named by #KTYP/#SRU/#ENHET (declared: false). */
  accounts: SieAccount[];
  /** IB/UB/RES per year index then account, in öre; repeated lines add up. */
  balances: { ib: YearMap; ub: YearMap; res: YearMap };
  /** Σ effective rows per account, in öre. */
  turnover: Record<string, number>;
  voucherCount: number;
  /** Effective rows. */
  transactionCount: number;
  unbalancedVouchers: number;
  /** What IB + change = UB was checked against (vouchers, period balances, nothing) and how it went. */
  balanceCheck: BalanceCheck;
  findings: SieFinding[];
  warnings: SieWarning[];
  /** Warnings and findings left out by the caps. */
  droppedWarnings: number;
  droppedFindings: number;
}

/** Materialises vouchers from reader events. Plain literals, not spreads: this runs once per voucher and row. */
class VoucherBuilder {
  current: SieVoucher | null = null;
  start(h: SieVoucherHead): void {
    this.current = {
      series: h.series, number: h.number, date: h.date, text: h.text, regDate: h.regDate, sign: h.sign, line: h.line,
      rows: [], corrections: [],
    };
  }
  row(r: SieRow): void {
    this.current?.rows.push(r);
  }
  correction(kind: "added" | "removed", r: SieRow): void {
    this.current?.corrections.push({
      kind, account: r.account, objects: r.objects, amount: r.amount, date: r.date, text: r.text,
      quantity: r.quantity, sign: r.sign, line: r.line,
    });
  }
  end(): SieVoucher | null {
    const v = this.current;
    this.current = null;
    return v;
  }
}

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    // Feed big buffers in slices so back-pressure and memory behave as for a file stream.
    for (let i = 0; i < source.length; i += 1 << 20) yield source.subarray(i, i + (1 << 20));
    return;
  }
  yield* source as AsyncIterable<Uint8Array>;
}

function yearMap(m: Map<number, Map<string, number>>): YearMap {
  const out: YearMap = {};
  for (const [year, accounts] of m) out[String(year)] = Object.fromEntries(accounts);
  return out;
}

/** One unit of a parse, in file order: what `readSie` yields. */
export type SieItem =
  | { kind: "record"; record: SieRecord }
  | { kind: "voucher"; voucher: SieVoucher }
  /** Last item: aggregates, checks and warnings of the whole file. */
  | { kind: "end"; result: SieStreamResult };

interface Pipeline {
  reader: SieReader;
  agg: Aggregator;
  warnings: WarningList;
  /** Records and finished vouchers of the chunks pushed so far, in file order, waiting to be handed over. */
  items: SieItem[];
}

function pipeline(opts: SieStreamOptions, lean: boolean, want: { records: boolean; vouchers: boolean }): Pipeline {
  const warnings = new WarningList(opts.warningCap ?? 1000);
  const onWarning = (w: SieWarning) => {
    warnings.add(w);
    opts.onWarning?.(w);
  };
  // The aggregator's warnings (#KONTO or #RAR repeated) are parse warnings too: errors in strict mode.
  const agg = new Aggregator(opts.strict ? (w) => { throw new SieError(w.code, w.line, w.message); } : onWarning);
  const builder = new VoucherBuilder();
  const items: SieItem[] = [];
  const { records, vouchers } = want;
  const sink: SieSink = {
    record(r) { agg.record(r); if (records) items.push({ kind: "record", record: r }); },
    voucherStart(v) { agg.voucherStart(v); if (vouchers) builder.start(v); },
    row(r) { agg.row(r); if (vouchers) builder.row(r); },
    correction(kind, r) { if (vouchers) builder.correction(kind, r); },
    voucherEnd() {
      agg.voucherEnd();
      if (vouchers) { const v = builder.end(); if (v) items.push({ kind: "voucher", voucher: v }); }
    },
  };
  const reader = new SieReader(sink, { strict: opts.strict, lean, onWarning });
  return { reader, agg, warnings, items };
}

function result(p: Pipeline, encoding: SieEncoding, ksumma: KsummaResult): SieStreamResult {
  const { agg, warnings } = p;
  agg.finish();
  const turnover: Record<string, number> = {};
  for (const [a, t] of agg.turnover) turnover[a] = t.sum;
  return {
    encoding, ksumma,
    company: agg.company,
    years: agg.years,
    accounts: [...agg.accounts.values(), ...agg.extraInfo.values()],
    balances: { ib: yearMap(agg.balances.IB), ub: yearMap(agg.balances.UB), res: yearMap(agg.balances.RES) },
    turnover,
    voucherCount: agg.vouchers,
    transactionCount: agg.transactions,
    unbalancedVouchers: agg.unbalancedVouchers,
    balanceCheck: agg.balanceCheck,
    findings: agg.findings.items as SieFinding[],
    warnings: warnings.items,
    droppedWarnings: warnings.dropped,
    droppedFindings: agg.findings.dropped,
  };
}

/**
 * Parses a SIE file from chunks and yields its records and vouchers one by one, in file order, then one `end` item
 * with the aggregates and checks. The next chunk is read only when the consumer asks for more, so a slow consumer
 * (a database insert) holds back the reading; breaking out of the loop stops reading (a Node stream is destroyed).
 */
export async function* readSie(
  source: ByteSource, opts: Pick<SieStreamOptions, "strict" | "onWarning" | "warningCap"> = {},
): AsyncGenerator<SieItem, void, undefined> {
  const p = pipeline(opts, false, { records: true, vouchers: true });
  for await (const chunk of chunksOf(source)) {
    p.reader.push(chunk);
    for (const item of p.items.splice(0)) yield item;
  }
  const end = p.reader.end();
  for (const item of p.items.splice(0)) yield item;
  yield { kind: "end", result: result(p, end.encoding, end.ksumma) };
}

/**
 * Parses a SIE file from chunks, calling `onRecord` per record and `onVoucher` per voucher in file order; a promise
 * returned by `onVoucher` is awaited before anything else is delivered or read (use it to batch inserts). The same
 * as `readSie` with callbacks, and a little faster. Memory stays bounded by the chart of accounts plus one chunk.
 */
export async function parseSieStream(source: ByteSource, opts: SieStreamOptions = {}): Promise<SieStreamResult> {
  const p = pipeline(opts, false, { records: !!opts.onRecord, vouchers: !!opts.onVoucher });
  const drain = async () => {
    for (const item of p.items.splice(0)) {
      if (item.kind === "record") opts.onRecord!(item.record);
      else if (item.kind === "voucher") {
        const pending = opts.onVoucher!(item.voucher);
        if (pending) await pending;
      }
    }
  };
  for await (const chunk of chunksOf(source)) {
    p.reader.push(chunk);
    if (p.items.length > 0) await drain();
  }
  const end = p.reader.end();
  await drain();
  return result(p, end.encoding, end.ksumma);
}

/** Aggregates only (no voucher objects, lean rows): what the summary and quick checks need. */
export async function aggregateSie(source: ByteSource, opts: Omit<SieStreamOptions, "onVoucher"> = {}): Promise<SieStreamResult> {
  const p = pipeline(opts, true, { records: !!opts.onRecord, vouchers: false });
  const drain = () => { for (const item of p.items.splice(0)) if (item.kind === "record") opts.onRecord!(item.record); };
  for await (const chunk of chunksOf(source)) {
    p.reader.push(chunk);
    if (p.items.length > 0) drain();
  }
  const end = p.reader.end();
  drain();
  return result(p, end.encoding, end.ksumma);
}

export interface SieDimension { dim: string; name: string; parent: string | null }
export interface SieObject { dim: string; object: string; name: string }
export interface SieObjectBalance {
  type: "OIB" | "OUB"; year: number; account: string; objects: readonly SieObjectRef[]; amount: number; quantity: number | null;
}
export interface SiePeriodBalance {
  type: "PSALDO" | "PBUDGET"; year: number; period: string; account: string; objects: readonly SieObjectRef[];
  amount: number; quantity: number | null;
}

export interface SieLedger extends SieStreamResult {
  dimensions: SieDimension[];
  objects: SieObject[];
  objectBalances: SieObjectBalance[];
  periods: SiePeriodBalance[];
  vouchers: SieVoucher[];
}

function ledgerCollector() {
  const dimensions: SieDimension[] = [], objects: SieObject[] = [];
  const objectBalances: SieObjectBalance[] = [], periods: SiePeriodBalance[] = [];
  const vouchers: SieVoucher[] = [];
  const onRecord = (r: SieRecord) => {
    if (r.kind === "dimension") dimensions.push({ dim: r.dim, name: r.name, parent: r.parent });
    else if (r.kind === "object") objects.push({ dim: r.dim, object: r.object, name: r.name });
    else if (r.kind === "objectBalance")
      objectBalances.push({ type: r.type, year: r.year, account: r.account, objects: r.objects, amount: r.amount, quantity: r.quantity });
    else if (r.kind === "period")
      periods.push({ type: r.type, year: r.year, period: r.period, account: r.account, objects: r.objects, amount: r.amount, quantity: r.quantity });
  };
  const finish = (res: SieStreamResult): SieLedger => ({ ...res, dimensions, objects, objectBalances, periods, vouchers });
  return { onRecord, onVoucher: (v: SieVoucher) => { vouchers.push(v); }, finish };
}

/** The whole normalised ledger in memory (vouchers included). */
export async function buildLedger(source: ByteSource, opts: Pick<SieStreamOptions, "strict" | "onWarning" | "warningCap"> = {}): Promise<SieLedger> {
  const c = ledgerCollector();
  return c.finish(await parseSieStream(source, { ...opts, onRecord: c.onRecord, onVoucher: c.onVoucher }));
}

/** Synchronous variant for bytes already in memory. */
export function buildLedgerSync(bytes: Uint8Array, opts: Pick<SieStreamOptions, "strict" | "onWarning" | "warningCap"> = {}): SieLedger {
  const c = ledgerCollector();
  const p = pipeline(opts, false, { records: true, vouchers: true });
  const drain = () => {
    for (const item of p.items.splice(0)) {
      if (item.kind === "record") c.onRecord(item.record);
      else if (item.kind === "voucher") c.onVoucher(item.voucher);
    }
  };
  for (let i = 0; i < bytes.length; i += 1 << 20) {
    p.reader.push(bytes.subarray(i, i + (1 << 20)));
    drain();
  }
  const end = p.reader.end();
  drain();
  return c.finish(result(p, end.encoding, end.ksumma));
}
