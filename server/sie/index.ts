/**
 * SIE 1–4 engine (pure: no DB, no network). Rules: docs/sie.md. Money is integer öre; dates `YYYY-MM-DD`.
 *
 * ## Streaming import (what an importer uses)
 * The file is read chunk by chunk and handed over record by record and voucher by voucher, in file order; nothing
 * holds the whole file or all vouchers. Two equivalent forms:
 *
 * 1. An async iterator — `readSie(source, {strict?, onWarning?, warningCap?}): AsyncGenerator<SieItem>`:
 *
 *      import { createReadStream } from "node:fs";
 *      import { readSie, type SieVoucher } from "@/server/sie";
 *      let batch: SieVoucher[] = [];
 *      for await (const item of readSie(createReadStream(path))) {
 *        if (item.kind === "record") { if (item.record.kind === "account") accounts.push(item.record); }
 *        else if (item.kind === "voucher") { batch.push(item.voucher); if (batch.length >= 500) await insert(batch.splice(0)); }
 *        else { await insert(batch); checks = item.result; } // kind "end": always last
 *      }
 *
 *    The next chunk is read only when the loop asks for more (an awaited insert holds back the reading); `break`
 *    or a throw stops reading and destroys a Node stream.
 *
 * 2. Callbacks — `parseSieStream(source, {onRecord?, onVoucher?, onWarning?, strict?, warningCap?})`: the same
 *    items in the same order; a promise returned by `onVoucher` is awaited before anything else is delivered or
 *    read. Resolves to the `SieStreamResult` (the `end` item's result). Slightly faster than the iterator.
 *
 *      const result = await parseSieStream(stream, {
 *        onRecord: (r) => { … },                                   // header, chart, balances, objects, PSALDO…
 *        onVoucher: async (v) => { batch.push(v); if (batch.length >= 500) await insert(batch.splice(0)); },
 *      });
 *
 * `source` (ByteSource) is a Node Readable, any (async) iterable of Uint8Array chunks, or one Uint8Array.
 * A voucher (`SieVoucher`) carries its effective `rows` (every #TRANS, plus an #RTRANS not followed by its #TRANS
 * twin) and its `corrections` (#RTRANS "added", #BTRANS "removed": audit trail, never counted). The result holds
 * company, years, accounts, IB/UB/RES per year, turnover, counts, `findings` (unbalanced vouchers, IB + Σ ≠ UB,
 * Σ ≠ RES, undeclared accounts, dates outside year 0), `warnings`, `encoding` and `ksumma`. `balanceCheck` says what
 * IB + change = UB was checked against: the rows (a file with vouchers), the year's #PSALDO (SIE 2/3), nothing
 * (SIE 1 holds year-end balances only; a file with neither). An #RTRANS twins the next #TRANS when account, amount,
 * objects and quantity agree: real programs date and sign the two differently (see `isTwin`).
 *
 * ## Other entry points
 * - `aggregateSie(source)`: the result without building vouchers (fastest; what the CLI summary uses).
 * - `summarizeSie(source)` / `summarizeFile(path)`: the CLI summary JSON (`npm run -s sie -- summary FILE…`).
 * - `buildLedger(source)` / `buildLedgerSync(bytes)`: the whole normalised ledger in memory (tests, small files).
 * - `SieReader` (push(chunk)/end()) with a `SieSink`: the synchronous core, for custom consumers.
 * - `writeSie(ledger, {type: "4E" | "4I"})`: CP437 bytes with #FORMAT PC8 and #KSUMMA.
 *
 * Tolerant by default: problems become `SieWarning {line, code, message}` (codes in WARNING_CODES, stable for
 * translation). `strict: true` throws `SieError {code, line}` at the first problem. Ledger checks are `findings`,
 * never errors: real exports contain unbalanced vouchers, and users need to see them, not a refusal.
 */
export { SieReader, EMPTY_OBJECTS, type ReaderOptions } from "./reader";
export { isTwin } from "./twin-rows";
export {
  readSie, parseSieStream, aggregateSie, buildLedger, buildLedgerSync,
  type ByteSource, type SieItem, type SieStreamOptions, type SieStreamResult, type SieLedger, type YearMap,
  type SieDimension, type SieObject, type SieObjectBalance, type SiePeriodBalance,
} from "./stream";
export { summarizeSie, summarizeFile, type SieSummary } from "./summary";
export { writeSie, type SieWriteInput, type SieWriteOptions, type SieWriteVoucher } from "./writer";
export { accountClass, type BalanceCheck, type BalanceCheckBasis, type SieFinding, type SieAccount, type SieCompany, type SieYear } from "./checks";
export { SieError, WARNING_CODES, formatWarning, warningDetail, type SieWarning, type SieWarningCode } from "./warnings";
export { parseAmountText, formatAmount } from "./bytes";
export type * from "./types";
