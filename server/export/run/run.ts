import * as outbox from "../outbox";
import { scheduleAttachments } from "./attachments";
import { classify } from "./classify";
import { ExportRun } from "./export-run";
import { finish } from "./finish";
import type { ExportRunOptions, ExportRunResult } from "./options";
import { Fatal } from "./verdict";
import { sendItem } from "./vouchers";

// The exporter: sends a project's export items to Fortnox, each exactly once.
//
// Per item: pre-checks → queued→sending (committed, with the series' next number as its "floor") → POST →
// exported. Whatever interrupts that — a reset, a timeout, a 5xx, this process dying between Fortnox's answer and
// our commit — leaves the item in `sending`, and an item in `sending` is only ever resolved by looking for its
// marker in Fortnox (lookup.ts: the single vouchers from its floor on): found → exported with that number, not
// found → queued and sent again. Attachments follow the same pattern with the file id as their handle. The happy
// path makes one request per voucher and two per attachment, plus a few for the pre-checks and one per series
// and financial year for its next number (every later floor comes from Fortnox's answer to the previous POST).
//
// One ExportRun (export-run.ts) holds what a run shares between its steps (settings, tallies, floors, the first
// fatal error); the steps live beside it: classify.ts (stale items, pre-checks), vouchers.ts (POST, and the lookup
// after an ambiguous answer), attachments.ts (upload, connect, report to the source), finish.ts (what is left).

export async function runExport(opts: ExportRunOptions): Promise<ExportRunResult> {
  const run = new ExportRun(opts);
  try {
    run.report("prechecks");
    const { toSend, exportedEarlier, vouchers } = await classify(run);

    // Vouchers one by one, in the user's order (Fortnox numbers them as they arrive); attachments beside them.
    run.progress.vouchers.total = toSend.length;
    const pendingAttachments = await outbox.attachmentsOf(run.db, exportedEarlier.map((i) => i.id));
    run.progress.attachments.total =
      pendingAttachments.filter((r) => r.state !== "connected" && r.state !== "failed").length +
      toSend.reduce((n, s) => n + s.voucher.attachments.length, 0);
    run.report("vouchers");
    for (const item of exportedEarlier) await scheduleAttachments(run, item.id, vouchers.get(item.voucherId) ?? null);
    for (const s of toSend) {
      if (run.fatal) break;
      const locked = run.autoLock.through !== null && s.voucher.date <= run.autoLock.through;
      if (locked && (await outbox.markFailed(run.db, s.item.id, { state: "queued" }, "fortnox.error.period_auto_locked", { date: s.voucher.date }))) {
        run.result.failed++;
      }
      const ok = !locked && (await sendItem(run, s.item.id, s.voucher, s.yearId));
      run.progress.vouchers.done++;
      // Not ours to attach to (refused, or another worker has it): its files leave this run's count.
      if (!ok) run.progress.attachments.total -= s.voucher.attachments.length;
      run.report();
      if (ok) await scheduleAttachments(run, s.item.id, s.voucher);
    }
    if (run.progress.attachments.total) run.report("attachments");
    await Promise.all(run.running);
  } catch (err) {
    if (!(err instanceof Fatal)) run.fatal ??= err;
    await Promise.allSettled(run.running);
  }
  return finish(run);
}
