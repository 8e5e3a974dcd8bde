import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { FortnoxNetworkError } from "@/server/fortnox/errors";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { seriesKey } from "../lookup";
import * as outbox from "../outbox";
import type { ExportHooks, ExportSource } from "../types";
import type { ExportRunOptions, ExportRunResult, ExportStep } from "./options";
import { Fatal } from "./verdict";

// What one export run shares between its steps (run.ts puts them in order): settings, tallies, the series' number
// floors, leases to wait for, and the first fatal error. The steps take it; it imports none of them.

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ExportRun {
  readonly db: Db;
  readonly api: FortnoxApi;
  readonly source: ExportSource;
  readonly projectId: string;
  readonly itemIds: string[] | undefined;
  /** This run's name in leases; a random suffix makes two runs in one process distinct. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly postGuardMs: number;
  readonly settleMs: number;
  readonly timeoutSettleMs: number;
  readonly maxSendAttempts: number;
  readonly maxNotApplied: number;
  readonly maxLeaseWaitMs: number;
  readonly maxRangeReads: number | undefined;
  readonly concurrency: number;
  readonly hooks: ExportHooks;
  readonly sleep: (ms: number) => Promise<void>;
  readonly jobId: string | null;
  private readonly onProgress: ExportRunOptions["onProgress"];

  readonly result: ExportRunResult = {
    exported: 0, resolvedByLookup: 0, failed: 0, pending: 0, attachmentsConnected: 0, attachmentsFailed: 0, attachmentsPending: 0,
    strayUploads: 0, duplicatesFound: 0, lookups: 0, lookupRequests: 0, problems: [], fatal: null,
  };
  /** The first reason the run cannot go on; once set, no new request starts. */
  fatal: unknown = null;
  readonly progress = { vouchers: { done: 0, total: 0 }, attachments: { done: 0, total: 0 } };
  /** Latest date Fortnox refused for its automatic period lock (2002141) in this run. */
  readonly autoLock: { through: string | null } = { through: null };
  /** Attachment tasks in flight (attachments.ts). */
  readonly running = new Set<Promise<void>>();
  private step: ExportStep = "prechecks";
  // The series' next number per financial year and series, as far as this run knows it: read once from Fortnox,
  // then raised by every number Fortnox gives out or a lookup sees. Recorded on each item before its POST.
  private readonly floors = new Map<string, number | null>();

  constructor(opts: ExportRunOptions) {
    this.db = opts.db;
    this.api = opts.api;
    this.source = opts.source;
    this.projectId = opts.projectId;
    this.itemIds = opts.itemIds;
    this.owner = `${opts.workerId ?? `pid${process.pid}`}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.postGuardMs = opts.postGuardMs ?? 10_000;
    this.settleMs = opts.settleMs ?? 2_000;
    this.timeoutSettleMs = Math.max(this.settleMs, opts.timeoutSettleMs ?? 15_000);
    this.maxSendAttempts = opts.maxSendAttempts ?? 5;
    this.maxNotApplied = opts.maxNotApplied ?? 8;
    this.maxLeaseWaitMs = opts.maxLeaseWaitMs ?? this.leaseMs + 15_000;
    this.maxRangeReads = opts.maxRangeReads;
    this.concurrency = Math.max(1, opts.attachmentConcurrency ?? 2);
    this.hooks = opts.hooks ?? {};
    this.sleep = opts.sleep ?? defaultSleep;
    this.jobId = opts.jobId ?? null;
    this.onProgress = opts.onProgress;
  }

  /** Records the first fatal error and unwinds to execute(). */
  stop(err: unknown): never {
    this.fatal ??= err;
    throw new Fatal(err);
  }

  report(s: ExportStep = this.step): void {
    this.step = s;
    const p = s === "prechecks" ? { done: 0, total: 1 } : this.progress[s];
    this.onProgress?.({ step: s, done: p.done, total: p.total });
  }

  /** The pause after an ambiguous failure, before a lookup (longer after a timeout). */
  settleAfter(err: unknown): Promise<void> {
    return this.sleep(err instanceof FortnoxNetworkError && err.kind === "timeout" ? this.timeoutSettleMs : this.settleMs);
  }

  /** Waits while another worker's lease on the row is live; false when it outlasted maxLeaseWaitMs. */
  async waitForLease(table: "export_items" | "export_attachments", id: string, still: () => Promise<boolean>): Promise<boolean> {
    const started = Date.now();
    for (;;) {
      if (!(await still())) return true;
      const ms = await outbox.leaseRemainingMs(this.db, table, id);
      if (ms <= 0) return true;
      if (Date.now() - started > this.maxLeaseWaitMs) return false;
      await this.sleep(Math.min(ms + 20, 1_000));
    }
  }

  raiseFloor(yearId: number, series: string, n: number): void {
    const k = seriesKey(yearId, series);
    const cur = this.floors.get(k);
    if (cur === undefined || cur === null || n > cur) this.floors.set(k, n);
  }

  async floorFor(yearId: number, series: string): Promise<number | null> {
    const k = seriesKey(yearId, series);
    if (!this.floors.has(k)) {
      try {
        this.floors.set(k, (await this.api.getVoucherSeries(series, yearId)).nextVoucherNumber);
      } catch (err) {
        this.stop(err); // nothing is claimed yet: the items stay queued
      }
    }
    return this.floors.get(k)!;
  }
}
