import * as outbox from "../outbox";
import type { ExportItem } from "../outbox";
import { precheckVouchers } from "../prechecks";
import type { ExportVoucher } from "../types";
import type { ExportRun } from "./export-run";
import { resolveByLookup } from "./vouchers";

// The run's first step: settle what earlier runs left in `sending`, then sort the unfinished items into those to
// send (their pre-checks passed), those that fail here (never sent), and those exported earlier whose attachments
// or report to the source are still open.

export interface ToSend {
  item: ExportItem;
  voucher: ExportVoucher;
  yearId: number;
}

export interface Classified {
  toSend: ToSend[];
  exportedEarlier: ExportItem[];
  /** The source's vouchers of the items to send and of those exported earlier. */
  vouchers: Map<string, ExportVoucher>;
}

export async function classify(run: ExportRun): Promise<Classified> {
  const { db, api, projectId, itemIds, result } = run;
  let items = await outbox.unfinishedItems(db, projectId, itemIds);

  // 1. Items left in `sending` by a dead or stalled worker: wait out its lease, then look them up.
  const stale = items.filter((i) => i.state === "sending");
  const taken: ExportItem[] = [];
  for (const i of stale) {
    const freed = await run.waitForLease("export_items", i.id, async () => (await outbox.getItem(db, i.id))?.state === "sending");
    if (!freed) continue;
    const t = await outbox.takeOverSending(db, i.id, run.owner, run.leaseMs);
    if (t) taken.push(t);
  }
  await resolveByLookup(run, taken);

  items = await outbox.unfinishedItems(db, projectId, itemIds);
  const queued = items.filter((i) => i.state === "queued");
  const exportedEarlier = items.filter((i) => i.state === "exported");
  const needed = [...new Set([...queued, ...exportedEarlier].map((i) => i.voucherId))];
  const vouchers = new Map((needed.length ? await run.source.loadVouchers(needed) : []).map((v) => [v.id, v]));

  // 2. Pre-checks of everything still to send; items with a problem fail here and are never sent.
  const toSend: ToSend[] = [];
  for (const item of queued) {
    if (!vouchers.has(item.voucherId)) {
      if (await outbox.markFailed(db, item.id, { state: "queued" }, "exportVoucherMissing")) result.failed++;
    }
  }
  const present = queued.filter((i) => vouchers.has(i.voucherId));
  if (present.length) {
    const seriesOf = new Map(present.map((i) => [i.voucherId, i.series]));
    let checks;
    try {
      checks = await precheckVouchers(api, present.map((i) => vouchers.get(i.voucherId)!), (id) => seriesOf.get(id)!);
    } catch (err) {
      run.stop(err);
    }
    result.problems = checks.problems;
    for (const item of present) {
      const first = checks.problems.find((p) => p.voucherId === item.voucherId);
      if (first) {
        if (await outbox.markFailed(db, item.id, { state: "queued" }, first.key, first.params)) result.failed++;
      } else {
        toSend.push({ item, voucher: vouchers.get(item.voucherId)!, yearId: checks.yearOf.get(item.voucherId)! });
      }
    }
  }
  return { toSend, exportedEarlier, vouchers };
}
