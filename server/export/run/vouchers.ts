import { describeError } from "@/server/errors";
import { FortnoxApiError } from "@/server/fortnox/errors";
import { voucherBody } from "@/server/fortnox/resources";
import { findByMarkers } from "../lookup";
import * as outbox from "../outbox";
import type { ExportItem } from "../outbox";
import type { ExportVoucher } from "../types";
import { toVoucherInput } from "../voucher";
import type { ExportRun } from "./export-run";
import { backOff, classifyWriteError } from "./verdict";

// Vouchers: claim (queued → sending, with the number floor), POST, and after an answer that may or may not have
// been applied, the lookup by marker that decides — never a blind second POST.

/**
 * Resolves items this worker holds in `sending` by their markers (lookup.ts): found → exported with Fortnox's
 * number, absent → queued. Returns the ids found.
 */
export async function resolveByLookup(run: ExportRun, items: ExportItem[]): Promise<Set<string>> {
  const { db, result, owner } = run;
  const exported = new Set<string>();
  if (!items.length) return exported;
  let lookup;
  try {
    lookup = await findByMarkers(
      run.api,
      items.map((i) => ({
        marker: i.marker, financialYearId: i.financialYearId!, series: i.series, transactionDate: i.transactionDate, numberFloor: i.numberFloor,
      })),
      { maxRangeReads: run.maxRangeReads },
    );
  } catch (err) {
    // Without an answer the items stay in `sending` for a later run; sending them again would risk a duplicate.
    run.stop(err);
  }
  const { found, nextNumbers, requests } = lookup;
  result.lookups++;
  result.lookupRequests += requests;
  for (const [k, n] of nextNumbers) {
    const [yearId, series] = [Number(k.slice(0, k.indexOf(":"))), k.slice(k.indexOf(":") + 1)];
    run.raiseFloor(yearId, series, n);
  }
  await outbox.countLookup(db, items.map((i) => i.id));
  for (const item of items) {
    const copies = found.get(item.marker) ?? [];
    if (copies.length) {
      const v = copies[0];
      if (copies.length > 1) {
        result.duplicatesFound += copies.length - 1;
        console.error(`[export] item ${item.id}: ${copies.length} vouchers carry marker ${item.marker}`);
      }
      for (const c of copies) run.raiseFloor(c.year, c.series, c.number + 1);
      if (await outbox.markExported(db, item.id, owner, { series: v.series, number: v.number, year: v.year, duplicates: copies.length - 1 })) {
        exported.add(item.id);
        result.exported++;
        result.resolvedByLookup++;
      }
    } else {
      await outbox.releaseToQueued(db, item.id, owner);
    }
  }
  return exported;
}

/** Sends one queued item until it is exported, failed, or not ours; true when exported. */
export async function sendItem(run: ExportRun, itemId: string, voucher: ExportVoucher, yearId: number): Promise<boolean> {
  const { db, result, owner, hooks } = run;
  let ambiguousRounds = 0;
  let notApplied = 0;
  for (;;) {
    const item0 = await outbox.getItem(db, itemId);
    if (!item0) return false;
    const input = toVoucherInput(voucher, item0.series, item0.marker);
    let body: Record<string, unknown>;
    try {
      body = voucherBody(input);
    } catch (err) {
      const { key, params } = describeError(err);
      if (await outbox.markFailed(db, itemId, { state: "queued" }, key, params)) result.failed++;
      return false;
    }
    const numberFloor = await run.floorFor(yearId, item0.series);
    const claimStarted = performance.now();
    const item = await outbox.claimForSending(db, itemId, owner, run.leaseMs, {
      financialYearId: yearId, transactionDate: voucher.date, numberFloor, body, jobId: run.jobId,
      attachments: voucher.attachments.map((a) => ({ id: a.id, fileName: a.fileName })),
    });
    if (!item) return false; // another worker has it, or it is no longer queued
    await hooks.beforeVoucherPost?.({ itemId, voucherId: item.voucherId, marker: item.marker });
    if (performance.now() - claimStarted > run.postGuardMs) {
      // We stalled after claiming: our lease may be running out, so this POST is not started at all.
      await outbox.releaseToQueued(db, itemId, owner);
      continue;
    }
    let created;
    try {
      created = await run.api.createVoucher(yearId, input);
    } catch (err) {
      const verdict = classifyWriteError(err);
      if (verdict === "ambiguous") {
        await run.settleAfter(err);
        const found = await resolveByLookup(run, [item]);
        if (found.has(itemId)) return true;
        if (++ambiguousRounds >= run.maxSendAttempts) run.stop(err);
        continue;
      }
      if (verdict === "notApplied") {
        await outbox.releaseToQueued(db, itemId, owner);
        if (++notApplied > run.maxNotApplied) run.stop(err);
        await backOff(err, notApplied, run.sleep);
        continue;
      }
      if (verdict === "fatal") {
        await outbox.releaseToQueued(db, itemId, owner);
        run.stop(err);
      }
      const { key, params } = describeError(err);
      if (err instanceof FortnoxApiError && err.kind === "period_auto_locked") {
        // Fortnox names no date: ours says which, and every later voucher up to it would be refused the same way.
        params.date = voucher.date;
        if (!run.autoLock.through || voucher.date > run.autoLock.through) run.autoLock.through = voucher.date;
      }
      if (await outbox.markFailed(db, itemId, { state: "sending", owner }, key, params)) result.failed++;
      return false;
    }
    run.raiseFloor(yearId, created.series, created.number + 1); // posted with financialyear=yearId
    await hooks.afterVoucherPost?.({ itemId, voucherId: item.voucherId, marker: item.marker, number: created.number });
    const ok = await outbox.markExported(db, itemId, owner, { series: created.series, number: created.number, year: created.year ?? yearId });
    if (ok) {
      result.exported++;
      return true;
    }
    // Only possible if we outlived our lease and another worker resolved the item meanwhile.
    const now = await outbox.getItem(db, itemId);
    if (now?.state !== "exported" || now.fortnoxNumber !== created.number || now.fortnoxSeries !== created.series) {
      console.error(`[export] item ${itemId} was taken over while its POST succeeded (${created.series} ${created.number}); state ${now?.state}`);
    }
    return now?.state === "exported";
  }
}
