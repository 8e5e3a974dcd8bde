import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { describeError, DomainError } from "@/server/errors";
import { FortnoxApiError, FortnoxAuthError, FortnoxNetworkError, isAmbiguousCommit } from "@/server/fortnox/errors";
import { type FortnoxApi, FortnoxVoucherInputError, voucherBody } from "@/server/fortnox/resources";
import { ConnectionNeedsReconnectError, ConnectionNotFoundError } from "@/server/fortnox/token-manager";
import { findByMarkers, seriesKey, whereIsFileConnected } from "./lookup";
import * as outbox from "./outbox";
import type { ExportAttachmentRow, ExportItem } from "./outbox";
import { precheckVouchers } from "./prechecks";
import type { ExportHooks, ExportProblem, ExportSource, ExportVoucher } from "./types";
import { toVoucherInput } from "./voucher";

// The exporter: sends a project's export items to Fortnox, each exactly once.
//
// Per item: pre-checks → queued→sending (committed, with the series' next number as its "floor") → POST →
// exported. Whatever interrupts that — a reset, a timeout, a 5xx, this process dying between Fortnox's answer and
// our commit — leaves the item in `sending`, and an item in `sending` is only ever resolved by looking for its
// marker in Fortnox (lookup.ts: the single vouchers from its floor on): found → exported with that number, not
// found → queued and sent again. Attachments follow the same pattern with the file id as their handle. The happy
// path makes one request per voucher and two per attachment, plus a few for the pre-checks and one per series
// and financial year for its next number (every later floor comes from Fortnox's answer to the previous POST).

export type ExportStep = "prechecks" | "vouchers" | "attachments";
export const EXPORT_STEPS: readonly ExportStep[] = ["prechecks", "vouchers", "attachments"];

export interface ExportProgress {
  step: ExportStep;
  done: number;
  total: number;
}

export interface ExportRunOptions {
  db: Db;
  api: FortnoxApi;
  source: ExportSource;
  projectId: string;
  /** Only these items (default: every unfinished item of the project). */
  itemIds?: string[];
  /** Identifies this worker in leases; a random suffix makes two runs in one process distinct. */
  workerId?: string;
  jobId?: string | null;
  /**
   * How long a worker holds an item it is sending. Another worker looks the item up only after this, so it must
   * cover the longest a POST can take (client timeout 30 s) with room to spare.
   */
  leaseMs?: number;
  /** A POST not started within this after its item was claimed is not started at all (the process stalled). */
  postGuardMs?: number;
  /** Pause after an ambiguous failure before looking up, so that a request still inside Fortnox can land. */
  settleMs?: number;
  /** The same after a timeout: Fortnox was already slow with that request and may still be working on it. */
  timeoutSettleMs?: number;
  /** Ambiguous rounds (POST, lookup says absent) per item and run before the run gives up on it. */
  maxSendAttempts?: number;
  /** Repeats per request after answers that certainly did not apply it (429, refused connection). */
  maxNotApplied?: number;
  /** Longest wait for another worker's lease before leaving the item for a later run. */
  maxLeaseWaitMs?: number;
  /** Longest run of single vouchers a lookup reads before it narrows by the voucher list (lookup.ts). */
  maxRangeReads?: number;
  /** Attachments handled side by side with the vouchers (uploads do not depend on voucher order). */
  attachmentConcurrency?: number;
  hooks?: ExportHooks;
  onProgress?(p: ExportProgress): void;
  sleep?(ms: number): Promise<void>;
}

export interface ExportRunResult {
  /** Items exported by this run (by answer or by lookup). */
  exported: number;
  /** Of those, exported because a lookup found them after an ambiguous failure or a crash. */
  resolvedByLookup: number;
  failed: number;
  /** Items left queued or sending (the run stopped early, or another worker holds them). */
  pending: number;
  attachmentsConnected: number;
  attachmentsFailed: number;
  attachmentsPending: number;
  /** Lost upload answers: unconnected copies Fortnox may keep in its inbox. */
  strayUploads: number;
  duplicatesFound: number;
  lookups: number;
  /** Requests the lookups of vouchers and file connections made. */
  lookupRequests: number;
  problems: ExportProblem[];
  /** Why the run stopped early (the connection died, Fortnox kept refusing): the job fails with it. */
  fatal: unknown;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Verdict = "ambiguous" | "notApplied" | "fatal" | "rejected";

// Errors that say nothing is wrong with the voucher but the run cannot go on (the connection or its licence).
const FATAL_KINDS = new Set(["unauthorized", "invalid_login", "missing_scope", "no_licence_for_scope", "no_api_licence"]);

/** What a failed write tells us about whether Fortnox applied it. */
export function classifyWriteError(err: unknown): Verdict {
  if (isAmbiguousCommit(err)) return "ambiguous";
  // The token layer fails before a request leaves (or after a 401, which Fortnox refused unprocessed).
  if (err instanceof FortnoxAuthError || err instanceof ConnectionNeedsReconnectError || err instanceof ConnectionNotFoundError) return "fatal";
  if (err instanceof DomainError) return "fatal";
  if (err instanceof FortnoxNetworkError) return "notApplied"; // not maybeCommitted: no connection was made
  if (err instanceof FortnoxVoucherInputError) return "rejected";
  if (err instanceof FortnoxApiError) {
    // A 2xx whose body we could not read: Fortnox did apply something.
    if (err.status >= 200 && err.status < 300) return "ambiguous";
    if (err.status === 429) return "notApplied";
    if (err.status === 401 || FATAL_KINDS.has(err.kind)) return "fatal";
    if (err.status >= 500) return "ambiguous";
    return "rejected";
  }
  // Anything else (a bug, the database) may have struck after the request left: assume it did.
  return "ambiguous";
}

class Fatal extends Error {
  constructor(readonly inner: unknown) {
    super("export stopped");
  }
}

export async function runExport(opts: ExportRunOptions): Promise<ExportRunResult> {
  const { db, api, source, projectId } = opts;
  const owner = `${opts.workerId ?? `pid${process.pid}`}:${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 120_000;
  const postGuardMs = opts.postGuardMs ?? 10_000;
  const settleMs = opts.settleMs ?? 2_000;
  const timeoutSettleMs = Math.max(settleMs, opts.timeoutSettleMs ?? 15_000);
  const maxSendAttempts = opts.maxSendAttempts ?? 5;
  const maxNotApplied = opts.maxNotApplied ?? 8;
  const maxLeaseWaitMs = opts.maxLeaseWaitMs ?? leaseMs + 15_000;
  const concurrency = Math.max(1, opts.attachmentConcurrency ?? 2);
  const hooks = opts.hooks ?? {};
  const sleep = opts.sleep ?? defaultSleep;
  const settleAfter = (err: unknown) => sleep(err instanceof FortnoxNetworkError && err.kind === "timeout" ? timeoutSettleMs : settleMs);
  const jobId = opts.jobId ?? null;

  const result: ExportRunResult = {
    exported: 0, resolvedByLookup: 0, failed: 0, pending: 0, attachmentsConnected: 0, attachmentsFailed: 0, attachmentsPending: 0,
    strayUploads: 0, duplicatesFound: 0, lookups: 0, lookupRequests: 0, problems: [], fatal: null,
  };
  let fatal: unknown = null;
  const stop = (err: unknown): never => {
    fatal ??= err;
    throw new Fatal(err);
  };
  const progress = { vouchers: { done: 0, total: 0 }, attachments: { done: 0, total: 0 } };
  /** Latest date Fortnox refused for its automatic period lock (2002141) in this run. */
  const autoLock: { through: string | null } = { through: null };
  let step: ExportStep = "prechecks";
  const report = (s: ExportStep = step) => {
    step = s;
    const p = s === "prechecks" ? { done: 0, total: 1 } : progress[s];
    opts.onProgress?.({ step: s, done: p.done, total: p.total });
  };

  /** Waits while another worker's lease on the row is live; false when it outlasted maxLeaseWaitMs. */
  async function waitForLease(table: "export_items" | "export_attachments", id: string, still: () => Promise<boolean>): Promise<boolean> {
    const started = Date.now();
    for (;;) {
      if (!(await still())) return true;
      const ms = await outbox.leaseRemainingMs(db, table, id);
      if (ms <= 0) return true;
      if (Date.now() - started > maxLeaseWaitMs) return false;
      await sleep(Math.min(ms + 20, 1_000));
    }
  }

  // The series' next number per financial year and series, as far as this run knows it: read once from Fortnox,
  // then raised by every number Fortnox gives out or a lookup sees. Recorded on each item before its POST.
  const floors = new Map<string, number | null>();
  const raiseFloor = (yearId: number, series: string, n: number) => {
    const k = seriesKey(yearId, series);
    const cur = floors.get(k);
    if (cur === undefined || cur === null || n > cur) floors.set(k, n);
  };
  async function floorFor(yearId: number, series: string): Promise<number | null> {
    const k = seriesKey(yearId, series);
    if (!floors.has(k)) {
      try {
        floors.set(k, (await api.getVoucherSeries(series, yearId)).nextVoucherNumber);
      } catch (err) {
        stop(err); // nothing is claimed yet: the items stay queued
      }
    }
    return floors.get(k)!;
  }

  /**
   * Resolves items this worker holds in `sending` by their markers (lookup.ts): found → exported with Fortnox's
   * number, absent → queued. Returns the ids found.
   */
  async function resolveByLookup(items: ExportItem[]): Promise<Set<string>> {
    const exported = new Set<string>();
    if (!items.length) return exported;
    let lookup;
    try {
      lookup = await findByMarkers(
        api,
        items.map((i) => ({
          marker: i.marker, financialYearId: i.financialYearId!, series: i.series, transactionDate: i.transactionDate, numberFloor: i.numberFloor,
        })),
        { maxRangeReads: opts.maxRangeReads },
      );
    } catch (err) {
      // Without an answer the items stay in `sending` for a later run; sending them again would risk a duplicate.
      stop(err);
    }
    const { found, nextNumbers, requests } = lookup!;
    result.lookups++;
    result.lookupRequests += requests;
    for (const [k, n] of nextNumbers) {
      const [yearId, series] = [Number(k.slice(0, k.indexOf(":"))), k.slice(k.indexOf(":") + 1)];
      raiseFloor(yearId, series, n);
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
        for (const c of copies) raiseFloor(c.year, c.series, c.number + 1);
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

  // ---------------------------------------------------------------------------------------------
  // Vouchers

  async function sendItem(itemId: string, voucher: ExportVoucher, yearId: number): Promise<boolean> {
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
      const numberFloor = await floorFor(yearId, item0.series);
      const claimStarted = performance.now();
      const item = await outbox.claimForSending(db, itemId, owner, leaseMs, {
        financialYearId: yearId, transactionDate: voucher.date, numberFloor, body, jobId,
        attachments: voucher.attachments.map((a) => ({ id: a.id, fileName: a.fileName })),
      });
      if (!item) return false; // another worker has it, or it is no longer queued
      await hooks.beforeVoucherPost?.({ itemId, voucherId: item.voucherId, marker: item.marker });
      if (performance.now() - claimStarted > postGuardMs) {
        // We stalled after claiming: our lease may be running out, so this POST is not started at all.
        await outbox.releaseToQueued(db, itemId, owner);
        continue;
      }
      let created;
      try {
        created = await api.createVoucher(yearId, input);
      } catch (err) {
        const verdict = classifyWriteError(err);
        if (verdict === "ambiguous") {
          await settleAfter(err);
          const found = await resolveByLookup([item]);
          if (found.has(itemId)) return true;
          if (++ambiguousRounds >= maxSendAttempts) stop(err);
          continue;
        }
        if (verdict === "notApplied") {
          await outbox.releaseToQueued(db, itemId, owner);
          if (++notApplied > maxNotApplied) stop(err);
          // A 429 has already paused the client's limiter for Retry-After; anything else backs off here.
          if (!(err instanceof FortnoxApiError && err.status === 429)) await sleep(Math.min(200 * 2 ** notApplied, 5_000));
          continue;
        }
        if (verdict === "fatal") {
          await outbox.releaseToQueued(db, itemId, owner);
          stop(err);
        }
        const { key, params } = describeError(err);
        if (err instanceof FortnoxApiError && err.kind === "period_auto_locked") {
          // Fortnox names no date: ours says which, and every later voucher up to it would be refused the same way.
          params.date = voucher.date;
          if (!autoLock.through || voucher.date > autoLock.through) autoLock.through = voucher.date;
        }
        if (await outbox.markFailed(db, itemId, { state: "sending", owner }, key, params)) result.failed++;
        return false;
      }
      raiseFloor(yearId, created.series, created.number + 1); // posted with financialyear=yearId
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

  // ---------------------------------------------------------------------------------------------
  // Attachments

  async function connectionMatches(fileId: string, item: ExportItem) {
    const { where, requests } = await whereIsFileConnected(api, fileId, {
      series: item.fortnoxSeries!, number: item.fortnoxNumber!, financialYearId: item.fortnoxYear!,
    });
    result.lookupRequests += requests;
    return where;
  }

  async function processAttachment(item: ExportItem, row0: ExportAttachmentRow, voucher: ExportVoucher | null): Promise<void> {
    let ambiguous = 0;
    let notApplied = 0;
    const giveUp = async (err: unknown, holder: string) => {
      const { key, params } = describeError(err);
      await outbox.failAttachment(db, row0.id, holder, key, params);
    };
    for (;;) {
      if (fatal) return;
      const row = await outbox.getAttachment(db, row0.id);
      if (!row || row.state === "connected" || row.state === "failed") return;
      const foreign = row.leaseOwner !== null && row.leaseOwner !== owner && (row.state === "uploading" || row.state === "connecting");
      if (foreign) {
        const freed = await waitForLease("export_attachments", row.id, async () => {
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
            if (++ambiguous >= maxSendAttempts) stop(err);
            continue;
          }
          if (verdict === "notApplied") {
            await outbox.releaseUpload(db, row.id, owner, false);
            if (++notApplied > maxNotApplied) stop(err);
            if (!(err instanceof FortnoxApiError && err.status === 429)) await sleep(Math.min(200 * 2 ** notApplied, 5_000));
            continue;
          }
          if (verdict === "fatal") {
            await outbox.releaseUpload(db, row.id, owner, false);
            stop(err);
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
          where = await connectionMatches(fileId, item);
        } catch (err) {
          stop(err);
        }
        result.lookups++;
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
          if (++notApplied > maxNotApplied) stop(err);
          if (!(err instanceof FortnoxApiError && err.status === 429)) await sleep(Math.min(200 * 2 ** notApplied, 5_000));
          continue;
        }
        if (verdict === "fatal") {
          // Leave it in `connecting`: the next run looks it up first.
          stop(err);
        }
        if (verdict === "ambiguous") {
          if (++ambiguous >= maxSendAttempts) stop(err);
          await settleAfter(err);
        }
        // Ambiguous, or refused: an earlier attempt may have connected it ("already connected"). Look before
        // deciding; the row stays `connecting`, so the next loop does exactly that.
        if (verdict === "rejected") {
          let where;
          try {
            where = await connectionMatches(fileId, item);
          } catch (e) {
            stop(e);
          }
          result.lookups++;
          if (where === "ours") await outbox.markConnected(db, row.id, owner, true);
          else await giveUp(err, owner);
        }
        continue;
      }
      await hooks.afterConnect?.({ itemId: item.id, attachmentId: row.attachmentId, fileId });
      await outbox.markConnected(db, row.id, owner, false);
    }
  }

  async function reportIfComplete(itemId: string, voucherId: string) {
    const item = await outbox.getItem(db, itemId);
    if (!item || item.state !== "exported" || item.reportedAt) return;
    const rows = await outbox.attachmentsOf(db, [itemId]);
    if (rows.some((r) => r.state !== "connected" && r.state !== "failed")) return;
    const fileIds: Record<string, string> = {};
    for (const r of rows) if (r.state === "connected" && r.fortnoxFileId) fileIds[r.attachmentId] = r.fortnoxFileId;
    await source.markExported(voucherId, { series: item.fortnoxSeries!, number: item.fortnoxNumber!, financialYearId: item.fortnoxYear!, fileIds });
    await outbox.markReported(db, itemId);
  }

  // Attachments run beside the vouchers, at most `concurrency` at a time; the client's limiter paces them all.
  const running = new Set<Promise<void>>();
  async function scheduleAttachments(itemId: string, voucher: ExportVoucher | null) {
    const item = await outbox.getItem(db, itemId);
    if (!item || item.state !== "exported") return;
    const rows = (await outbox.attachmentsOf(db, [itemId])).filter((r) => r.state !== "connected" && r.state !== "failed");
    const task = (async () => {
      for (const row of rows) {
        if (fatal) return;
        await processAttachment(item, row, voucher);
        progress.attachments.done++;
        report();
      }
      if (!fatal) await reportIfComplete(itemId, item.voucherId);
    })().catch((err) => {
      if (!(err instanceof Fatal)) fatal ??= err;
    });
    running.add(task);
    void task.finally(() => running.delete(task));
    while (running.size >= concurrency) await Promise.race(running);
  }

  // ---------------------------------------------------------------------------------------------
  // The run

  try {
    report("prechecks");
    let items = await outbox.unfinishedItems(db, projectId, opts.itemIds);

    // 1. Items left in `sending` by a dead or stalled worker: wait out its lease, then look them up.
    const stale = items.filter((i) => i.state === "sending");
    const taken: ExportItem[] = [];
    for (const i of stale) {
      const freed = await waitForLease("export_items", i.id, async () => (await outbox.getItem(db, i.id))?.state === "sending");
      if (!freed) continue;
      const t = await outbox.takeOverSending(db, i.id, owner, leaseMs);
      if (t) taken.push(t);
    }
    await resolveByLookup(taken);

    items = await outbox.unfinishedItems(db, projectId, opts.itemIds);
    const queued = items.filter((i) => i.state === "queued");
    const exportedEarlier = items.filter((i) => i.state === "exported");
    const needed = [...new Set([...queued, ...exportedEarlier].map((i) => i.voucherId))];
    const vouchers = new Map((needed.length ? await source.loadVouchers(needed) : []).map((v) => [v.id, v]));

    // 2. Pre-checks of everything still to send; items with a problem fail here and are never sent.
    const toSend: { item: ExportItem; voucher: ExportVoucher; yearId: number }[] = [];
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
        stop(err);
      }
      result.problems = checks!.problems;
      for (const item of present) {
        const first = checks!.problems.find((p) => p.voucherId === item.voucherId);
        if (first) {
          if (await outbox.markFailed(db, item.id, { state: "queued" }, first.key, first.params)) result.failed++;
        } else {
          toSend.push({ item, voucher: vouchers.get(item.voucherId)!, yearId: checks!.yearOf.get(item.voucherId)! });
        }
      }
    }

    // 3. Vouchers one by one, in the user's order (Fortnox numbers them as they arrive); attachments beside them.
    progress.vouchers.total = toSend.length;
    const pendingAttachments = await outbox.attachmentsOf(db, exportedEarlier.map((i) => i.id));
    progress.attachments.total =
      pendingAttachments.filter((r) => r.state !== "connected" && r.state !== "failed").length +
      toSend.reduce((n, s) => n + s.voucher.attachments.length, 0);
    report("vouchers");
    for (const item of exportedEarlier) await scheduleAttachments(item.id, vouchers.get(item.voucherId) ?? null);
    for (const s of toSend) {
      if (fatal) break;
      const locked = autoLock.through !== null && s.voucher.date <= autoLock.through;
      if (locked && (await outbox.markFailed(db, s.item.id, { state: "queued" }, "fortnox.error.period_auto_locked", { date: s.voucher.date }))) result.failed++;
      const ok = !locked && (await sendItem(s.item.id, s.voucher, s.yearId));
      progress.vouchers.done++;
      // Not ours to attach to (refused, or another worker has it): its files leave this run's count.
      if (!ok) progress.attachments.total -= s.voucher.attachments.length;
      report();
      if (ok) await scheduleAttachments(s.item.id, s.voucher);
    }
    if (progress.attachments.total) report("attachments");
    await Promise.all(running);
  } catch (err) {
    if (!(err instanceof Fatal)) fatal ??= err;
    await Promise.allSettled(running);
  }
  await outbox.dropLeases(db, owner);

  // What is left, as the outbox now says.
  const scope = opts.itemIds ?? null;
  const left = await outbox.unfinishedItems(db, projectId, scope ?? undefined);
  result.pending = left.filter((i) => i.state === "queued" || i.state === "sending").length;
  const touched = await outbox.attachmentsOf(db, left.map((i) => i.id));
  result.attachmentsPending = touched.filter((r) => r.state !== "connected" && r.state !== "failed").length;
  const counts = await attachmentCounts(db, projectId, opts.itemIds);
  result.attachmentsConnected = counts.connected;
  result.attachmentsFailed = counts.failed;
  result.strayUploads = counts.stray;
  result.fatal = fatal;
  return result;
}

async function attachmentCounts(db: Db, projectId: string, itemIds?: string[]) {
  const items = itemIds ? await outbox.getItems(db, itemIds) : await outbox.itemsOfProject(db, projectId);
  const rows = await outbox.attachmentsOf(db, items.map((i) => i.id));
  return {
    connected: rows.filter((r) => r.state === "connected").length,
    failed: rows.filter((r) => r.state === "failed").length,
    stray: rows.reduce((n, r) => n + r.strayUploads, 0),
  };
}
