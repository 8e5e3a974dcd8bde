import type { Db } from "@/db/client";
import type { FortnoxApi } from "@/server/fortnox/resources";
import type { ExportHooks, ExportProblem, ExportSource } from "../types";

// What a caller gives an export run and gets back from it.

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
