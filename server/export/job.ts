import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { exportItems } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import { getProject } from "@/server/closing/projects";
import { badRequest, describeError, DomainError } from "@/server/errors";
import type { FortnoxApi } from "@/server/fortnox/resources";
import { enqueueJob, getJob, type Job } from "@/server/jobs/queue";
import { kickWorker, processWorkerId, type JobHandler } from "@/server/jobs/runner";
import { EXPORT_STEPS, runExport, type ExportRunOptions } from "./run";
import * as outbox from "./outbox";
import type { ExportSource } from "./types";
import type { ProjectActor } from "@/server/scope";

export interface ExportJobPayload {
  /** The vouchers (adjustment ids) the user chose, the series, and the outbox items they became. */
  voucherIds: string[];
  series: string;
  itemIds: string[];
}

export interface ExportDeps {
  /** A Fortnox API client for the project's client, with a valid token (the connection module). */
  fortnoxFor(db: Db, firmId: string, clientId: string): Promise<FortnoxApi>;
  /** The vouchers of a project (the adjustments module). */
  sourceFor(db: Db, firmId: string, projectId: string): ExportSource | Promise<ExportSource>;
  /** Engine settings (leases, pauses, hooks); production uses the defaults. */
  options?: Partial<Omit<ExportRunOptions, "db" | "api" | "source" | "projectId" | "onProgress" | "jobId">>;
}

/**
 * The "export" job: runs the exporter over every unfinished item of the project — the outbox is the queue, a job
 * only drives it, so items left behind by a crashed or stopped job are finished by the next one. Steps:
 * prechecks, vouchers, attachments. Fails with the reason the run stopped (the connection died…); everything
 * already sent stays recorded.
 */
export function exportJobHandler(deps: ExportDeps): JobHandler {
  return async (ctx) => {
    const { db, job } = ctx;
    const { project, client } = await getProject(db, job.firmId, job.projectId!);
    const payload = job.payload as unknown as Partial<ExportJobPayload>;
    const log = (outcome: "success" | "failure", details: Record<string, unknown>) =>
      logActivity(db, { firmId: job.firmId, clientId: client.id, projectId: project.id, userId: job.createdBy, action: outcome === "success" ? "export.completed" : "export.failed", outcome, details });
    let api: FortnoxApi;
    try {
      api = await deps.fortnoxFor(db, job.firmId, client.id);
    } catch (err) {
      await log("failure", { series: payload.series, error: describeError(err).key });
      throw err;
    }
    const source = await deps.sourceFor(db, job.firmId, project.id);
    const r = await runExport({
      workerId: processWorkerId,
      ...deps.options,
      db, api, source, projectId: project.id, jobId: job.id,
      onProgress: (p) => ctx.progress({ step: p.step, stepIndex: EXPORT_STEPS.indexOf(p.step), stepCount: EXPORT_STEPS.length, done: p.done, total: p.total }),
    });
    const summary = {
      exported: r.exported, failed: r.failed, pending: r.pending, resolvedByLookup: r.resolvedByLookup,
      attachmentsConnected: r.attachmentsConnected, attachmentsFailed: r.attachmentsFailed, attachmentsPending: r.attachmentsPending,
      strayUploads: r.strayUploads, duplicatesFound: r.duplicatesFound, problems: r.problems.slice(0, 200),
    };
    if (r.fatal) {
      const { key, params } = describeError(r.fatal);
      if (key === "internal") console.error(`[export] job ${job.id} stopped:`, r.fatal);
      await log("failure", { series: payload.series, ...summary, problems: undefined, error: key, ...params });
      throw r.fatal;
    }
    await log("success", { series: payload.series, ...summary, problems: r.problems.length });
    return summary;
  };
}

export interface StartExportResult {
  /** The job that exports them; null when every chosen voucher was already exported. */
  job: Job | null;
  items: outbox.ExportItem[];
}

const SERIES = /^[^\s]{1,10}$/;

/**
 * Queues the chosen vouchers for export into `series` and starts the job, in one transaction: either both or
 * neither. Safe to call twice (double click, second tab): vouchers already queued or exported get no new item,
 * and while the first job is active the same request returns that job.
 */
export async function startExport(db: Db, ref: ProjectActor, input: { voucherIds: string[]; series: string }): Promise<StartExportResult> {
  const voucherIds = [...new Set(input.voucherIds)];
  if (!voucherIds.length) throw badRequest("exportNothingSelected");
  if (!SERIES.test(input.series)) throw badRequest("exportSeriesInvalid");
  await getProject(db, ref.firmId, ref.projectId);
  try {
    const res = await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      const { items } = await outbox.enqueueItems(t, { firmId: ref.firmId, projectId: ref.projectId, voucherIds, series: input.series, createdBy: ref.userId });
      await outbox.retryFailedAttachments(t, items.filter((i) => i.state === "exported").map((i) => i.id));
      const work = await outbox.unfinishedItems(t, ref.projectId, items.map((i) => i.id));
      if (!work.length) return { job: null, items };
      const payload: ExportJobPayload = { voucherIds, series: input.series, itemIds: items.map((i) => i.id) };
      const job = await enqueueJob(t, { firmId: ref.firmId, projectId: ref.projectId, kind: "export", createdBy: ref.userId, payload: payload as unknown as Record<string, unknown> });
      await t.update(exportItems).set({ jobId: job.id }).where(inArray(exportItems.id, work.map((i) => i.id)));
      return { job, items };
    });
    if (res.job) kickWorker();
    return res;
  } catch (err) {
    if (!(err instanceof DomainError && err.key === "jobAlreadyActive")) throw err;
    // A second click while the first export runs: if it asked for nothing new, it is the same export.
    const items = await outbox.liveItems(db, ref.projectId, voucherIds);
    const active = items.find((i) => i.jobId)?.jobId;
    const job = active ? await getJob(db, active) : null;
    if (job && job.kind === "export" && (job.state === "queued" || job.state === "running") && items.length === voucherIds.length) {
      return { job, items };
    }
    throw err;
  }
}

/** Queued items the user takes back before the job reached them (never an item already being sent). */
export async function cancelQueued(db: Db, projectId: string, itemIds: string[]): Promise<number> {
  let n = 0;
  for (const id of itemIds) {
    const [row] = await db.select({ id: exportItems.id }).from(exportItems).where(and(eq(exportItems.id, id), eq(exportItems.projectId, projectId)));
    if (row && (await outbox.markFailed(db, id, { state: "queued" }, "exportCancelled"))) n++;
  }
  return n;
}

export interface ExportStatus {
  voucherId: string;
  itemId: string;
  state: outbox.ExportItemState;
  series: string;
  marker: string;
  /** "B 12" once exported. */
  fortnox: { series: string; number: number; financialYearId: number } | null;
  error: { key: string; params: Record<string, string | number> } | null;
  attachments: { attachmentId: string; fileName: string; state: outbox.AttachmentState; fileId: string | null; error: { key: string; params: Record<string, string | number> } | null }[];
}

/** The newest item of each voucher of the project, for the list ("Exporterad som B 12") and the dialog. */
export async function exportStatus(db: Db, projectId: string): Promise<ExportStatus[]> {
  const items = await outbox.itemsOfProject(db, projectId);
  const newest = new Map<string, outbox.ExportItem>();
  for (const i of items) {
    const cur = newest.get(i.voucherId);
    // A live item wins over failed ones; among equals the later one.
    if (!cur || (cur.state === "failed" && (i.state !== "failed" || i.seq > cur.seq))) newest.set(i.voucherId, i);
  }
  const list = [...newest.values()];
  const atts = await outbox.attachmentsOf(db, list.map((i) => i.id));
  return list.map((i) => ({
    voucherId: i.voucherId,
    itemId: i.id,
    state: i.state,
    series: i.series,
    marker: i.marker,
    fortnox: i.state === "exported" ? { series: i.fortnoxSeries!, number: i.fortnoxNumber!, financialYearId: i.fortnoxYear! } : null,
    error: i.errorKey ? { key: i.errorKey, params: i.errorParams ?? {} } : null,
    attachments: atts
      .filter((a) => a.itemId === i.id)
      .map((a) => ({ attachmentId: a.attachmentId, fileName: a.fileName, state: a.state, fileId: a.fortnoxFileId, error: a.errorKey ? { key: a.errorKey, params: a.errorParams ?? {} } : null })),
  }));
}
