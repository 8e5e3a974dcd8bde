/**
 * SIE 1–4 engine (pure: no DB, no network). Rules: /work/shared/sie.md. Money is integer öre.
 *
 * Streaming import (an importer batching vouchers into the DB without holding the file):
 *
 *   import { createReadStream } from "node:fs";
 *   import { parseSieStream } from "@/server/sie";
 *   let batch: SieVoucher[] = [];
 *   const result = await parseSieStream(createReadStream(path), {
 *     onRecord: (r) => { if (r.kind === "account") accounts.push(r); },          // chart, balances, PSALDO…
 *     onVoucher: async (v) => { batch.push(v); if (batch.length >= 500) await insert(batch.splice(0)); },
 *   });
 *   await insert(batch);
 *   // result.balances.{ib,ub,res}, result.turnover, result.findings (checks), result.warnings, result.encoding
 *
 * - `parseSieStream(source, {onVoucher, onRecord, onWarning, strict})`: chunks (AsyncIterable/Iterable of
 *   Uint8Array, a Node stream, or one Uint8Array) → callbacks. `onVoucher` promises are awaited before more
 *   input is read (back-pressure). Resolves to aggregates + findings; vouchers themselves are not retained.
 * - `aggregateSie(source)`: the same aggregates without building voucher objects (fastest path).
 * - `summarizeSie(source)` / `summarizeFile(path)`: the CLI summary JSON (`npm run -s sie -- summary FILE…`).
 * - `buildLedger(source)` / `buildLedgerSync(bytes)`: the whole normalised ledger in memory.
 * - `SieReader` (push(chunk)/end()) with a `SieSink`: the synchronous core, for custom consumers.
 * - `writeSie(ledger, {type: "4E" | "4I"})`: CP437 bytes with #FORMAT PC8 and #KSUMMA.
 *
 * Tolerant by default: problems become `SieWarning {line, code, message}` (codes in WARNING_CODES, stable for
 * translation). `strict: true` throws `SieError {code, line}` at the first problem. Ledger checks (unbalanced
 * vouchers, IB+Σ≠UB, Σ≠RES, undeclared accounts, dates outside year 0) come back as `findings`.
 * Effective rows: every #TRANS, plus an #RTRANS not followed by its #TRANS twin; #BTRANS only in `corrections`.
 */
export { SieReader, isTwin, EMPTY_OBJECTS, type ReaderOptions } from "./reader";
export {
  parseSieStream, aggregateSie, buildLedger, buildLedgerSync,
  type ByteSource, type SieStreamOptions, type SieStreamResult, type SieLedger, type YearMap,
  type SieDimension, type SieObject, type SieObjectBalance, type SiePeriodBalance,
} from "./stream";
export { summarizeSie, summarizeFile, type SieSummary } from "./summary";
export { writeSie, type SieWriteInput, type SieWriteOptions, type SieWriteVoucher } from "./writer";
export { accountClass, type SieFinding, type SieAccount, type SieCompany, type SieYear } from "./checks";
export { SieError, WARNING_CODES, formatWarning, type SieWarning, type SieWarningCode } from "./warnings";
export { parseAmountText, formatAmount } from "./bytes";
export type * from "./types";
