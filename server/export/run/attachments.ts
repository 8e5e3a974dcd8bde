import { describeError } from "@/server/errors";
import { whereIsFileConnected } from "../lookup";
import * as outbox from "../outbox";
import type { ExportAttachmentRow, ExportItem } from "../outbox";
import type { ExportVoucher } from "../types";
import type { ExportRun } from "./export-run";
import { backOff, classifyWriteError, Fatal } from "./verdict";

// Attachments of an exported voucher: upload to the inbox (the file id is stored before connecting, so a crash in
// between never uploads again), connect exactly once (a lost answer is looked up), and when every file is done,
// tell the source the voucher is exported.

async function connectionMatches(run: ExportRun, fileId: string, item: ExportItem) {
  const { where, requests } = await whereIsFileConnected(run.api, fileId, {
    series: item.fortnoxSeries!, number: item.fortnoxNumber!, financialYearId: item.fortnoxYear!,
  });
  run.result.lookupRequests += requests;
  return where;
}

async function processAttachment(run: ExportRun, item: ExportItem, row0: ExportAttachmentRow, voucher: ExportVoucher | null): Promise<void> {
  const { db, api, owner, hooks, leaseMs } = run;
  let ambiguous = 0;
  let notApplied = 0;
  const giveUp = async (err: unknown, holder: string) => {
    const { key, params } = describeError(err);
    await outbox.failAttachment(db, row0.id, holder, key, params);
  };
  for (;;) {
    if (run.fatal) return;
    const row = await outbox.getAttachment(db, row0.id);
    if (!row || row.state === "connected" || row.state === "failed") return;
    const foreign = row.leaseOwner !== null && row.leaseOwner !== owner && (row.state === "uploading" || row.state === "connecting");
    if (foreign) {
      const freed = await run.waitForLease("export_attachments", row.id, async () => {
        const r = await outbox.getAttachment(db, row.id);
        return r?.state === row.state && r.leaseOwner === row.leaseOwner;
      });
      if (!freed) return;
    }

    if (row.state === "pending" || row.state === "uploading") {
      const source = voucher?.attachments.find((a) => a.id === row.attachmentId);
      if (!source) {
        const claimed = await outbox.claimUpload(db, row.id, owner, leaseMs);
        if (claimed) await outbox.failAttachment(db, row.id, owner, "exportAttachmentMissing", { fileName: row.fileName });
        continue;
      }
      // Read before claiming: a storage error here is ours, not an upload whose fate is unknown.
      const bytes = await source.read();
      const claimed = await outbox.claimUpload(db, row.id, owner, leaseMs);
      if (!claimed) continue;
      let fileId: string;
      try {
        await hooks.beforeUpload?.({ itemId: item.id, attachmentId: row.attachmentId });
        const file = await api.uploadToInbox({ name: row.fileName, bytes, contentType: source.contentType });
        fileId = file.id;
      } catch (err) {
        const verdict = classifyWriteError(err);
        if (verdict === "ambiguous") {
          // The inbox cannot be searched through the documented API: upload again; a copy may stay unconnected.
          await outbox.releaseUpload(db, row.id, owner, true);
          if (++ambiguous >= run.maxSendAttempts) run.stop(err);
          continue;
        }
        if (verdict === "notApplied") {
          await outbox.releaseUpload(db, row.id, owner, false);
          if (++notApplied > run.maxNotApplied) run.stop(err);
          await backOff(err, notApplied, run.sleep);
          continue;
        }
        if (verdict === "fatal") {
          await outbox.releaseUpload(db, row.id, owner, false);
          run.stop(err);
        }
        await giveUp(err, owner);
        continue;
      }
      await hooks.afterUpload?.({ itemId: item.id, attachmentId: row.attachmentId, fileId });
      await outbox.markUploaded(db, row.id, owner, fileId);
      continue;
    }

    // uploaded, or connecting (abandoned by a dead worker, or ours after a lost answer): connect exactly once.
    const resumed = row.state === "connecting";
    const claimed = await outbox.claimConnect(db, row.id, owner, leaseMs, resumed ? "connecting" : "uploaded");
    if (!claimed) continue;
    const fileId = claimed.fortnoxFileId!;
    if (resumed) {
      let where;
      try {
        where = await connectionMatches(run, fileId, item);
      } catch (err) {
        run.stop(err);
      }
      run.result.lookups++;
      if (where === "ours") {
        await outbox.markConnected(db, row.id, owner, true);
        continue;
      }
      if (where === "elsewhere") {
        await outbox.failAttachment(db, row.id, owner, "exportAttachmentConnectedElsewhere", { fileName: row.fileName });
        continue;
      }
      await outbox.releaseConnect(db, row.id, owner, true);
      continue;
    }
    try {
      await hooks.beforeConnect?.({ itemId: item.id, attachmentId: row.attachmentId, fileId });
      await api.connectFileToVoucher(fileId, item.fortnoxSeries!, item.fortnoxNumber!, item.fortnoxYear ?? undefined);
    } catch (err) {
      const verdict = classifyWriteError(err);
      if (verdict === "notApplied") {
        await outbox.releaseConnect(db, row.id, owner, false);
        if (++notApplied > run.maxNotApplied) run.stop(err);
        await backOff(err, notApplied, run.sleep);
        continue;
      }
      if (verdict === "fatal") {
        // Leave it in `connecting`: the next run looks it up first.
        run.stop(err);
      }
      if (verdict === "ambiguous") {
        if (++ambiguous >= run.maxSendAttempts) run.stop(err);
        await run.settleAfter(err);
      }
      // Ambiguous, or refused: an earlier attempt may have connected it ("already connected"). Look before
      // deciding; the row stays `connecting`, so the next loop does exactly that.
      if (verdict === "rejected") {
        let where;
        try {
          where = await connectionMatches(run, fileId, item);
        } catch (e) {
          run.stop(e);
        }
        run.result.lookups++;
        if (where === "ours") await outbox.markConnected(db, row.id, owner, true);
        else await giveUp(err, owner);
      }
      continue;
    }
    await hooks.afterConnect?.({ itemId: item.id, attachmentId: row.attachmentId, fileId });
    await outbox.markConnected(db, row.id, owner, false);
  }
}

async function reportIfComplete(run: ExportRun, itemId: string, voucherId: string) {
  const { db } = run;
  const item = await outbox.getItem(db, itemId);
  if (!item || item.state !== "exported" || item.reportedAt) return;
  const rows = await outbox.attachmentsOf(db, [itemId]);
  if (rows.some((r) => r.state !== "connected" && r.state !== "failed")) return;
  const fileIds: Record<string, string> = {};
  for (const r of rows) if (r.state === "connected" && r.fortnoxFileId) fileIds[r.attachmentId] = r.fortnoxFileId;
  await run.source.markExported(voucherId, { series: item.fortnoxSeries!, number: item.fortnoxNumber!, financialYearId: item.fortnoxYear!, fileIds });
  await outbox.markReported(db, itemId);
}

/**
 * Starts the open attachments of an exported item as one task beside the vouchers, at most `concurrency` tasks at
 * a time (waits for a free slot); the client's limiter paces them all.
 */
export async function scheduleAttachments(run: ExportRun, itemId: string, voucher: ExportVoucher | null): Promise<void> {
  const { db, running } = run;
  const item = await outbox.getItem(db, itemId);
  if (!item || item.state !== "exported") return;
  const rows = (await outbox.attachmentsOf(db, [itemId])).filter((r) => r.state !== "connected" && r.state !== "failed");
  const task = (async () => {
    for (const row of rows) {
      if (run.fatal) return;
      await processAttachment(run, item, row, voucher);
      run.progress.attachments.done++;
      run.report();
    }
    if (!run.fatal) await reportIfComplete(run, itemId, item.voucherId);
  })().catch((err) => {
    if (!(err instanceof Fatal)) run.fatal ??= err;
  });
  running.add(task);
  void task.finally(() => running.delete(task));
  while (running.size >= run.concurrency) await Promise.race(running);
}
