import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { adjustments, clients } from "@/db/schema";
import { adjustmentExportSource, loadAdjustmentsForExport, lockForExport, releaseExportLock } from "@/server/closing/adjustments-for-export";
import { getProject } from "@/server/closing/projects";
import { fortnoxApiForClient, grantedScopes, type ConnectionRuntime } from "@/server/connections";
import { badRequest, DomainError } from "@/server/errors";
import { missingAttachmentScopes } from "@/server/fortnox/scopes";
import type { JobHandler } from "@/server/jobs/runner";
import { exportJobHandler, exportStatus, startExport } from "./job";
import { precheckVouchers } from "./prechecks";
import { vouchersToSie4I } from "./sie";
import type { ProjectActor, ProjectScope } from "@/server/scope";
import { toVoucherInput } from "./voucher";

// The export engine (server/export) put to work on the closing adjustments (server/closing) over the client's
// Fortnox connection (server/connections): what the export dialog and the job worker call.

/** Every export job holds the adjustments it was given: nobody can change what is on its way to Fortnox. */
const EXPORT_LOCK = "export";

/** The export job for adjustments; locks of vouchers Fortnox refused for certain are released at its end. */
export function adjustmentExportJobHandler(runtime?: ConnectionRuntime): JobHandler {
  const inner = exportJobHandler({
    fortnoxFor: async (db, firmId, clientId) => (await fortnoxApiForClient(db, firmId, clientId, { runtime })).api,
    sourceFor: (db, _firmId, projectId) => adjustmentExportSource(db, projectId),
  });
  return async (ctx) => {
    try {
      return await inner(ctx);
    } finally {
      await releaseRefused(ctx.db, ctx.job.projectId!);
    }
  };
}

/** Adjustments whose newest export item failed (so they are not in Fortnox) become editable again. */
export async function releaseRefused(db: Db, projectId: string) {
  for (const s of await exportStatus(db, projectId)) {
    if (s.state === "failed") await releaseExportLock(db, projectId, s.voucherId, EXPORT_LOCK);
  }
}

/** The series the client's last export went to, or null. */
export async function lastSeries(db: Db, firmId: string, clientId: string): Promise<string | null> {
  const [c] = await db.select({ s: clients.exportSeries }).from(clients).where(and(eq(clients.id, clientId), eq(clients.firmId, firmId)));
  return c?.s ?? null;
}

/**
 * What the dialog shows before anything is sent: the series Fortnox has (manual ones selectable), and per
 * selected voucher the problems Fortnox would refuse it for and the voucher as Fortnox will receive it.
 */
export async function prepareExport(db: Db, ref: ProjectActor, adjustmentIds: string[], series: string | null, runtime?: ConnectionRuntime) {
  const { project } = await getProject(db, ref.firmId, ref.projectId);
  const { api, connection } = await fortnoxApiForClient(db, ref.firmId, project.clientId, { runtime });
  const allSeries = await api.listVoucherSeries();
  const chosen = series ?? (await lastSeries(db, ref.firmId, project.clientId));
  const vouchers = await loadAdjustmentsForExport(db, ref.projectId, adjustmentIds);
  const checks = vouchers.length && chosen ? await precheckVouchers(api, vouchers, chosen) : null;
  return {
    series: allSeries.map((s) => ({ code: s.code, description: s.description, manual: s.manual })),
    chosen,
    // Attachments need inbox + connectfile, asked only now: the dialog offers the extra consent.
    missingScopes: attachmentScopesMissing(vouchers, connection.scopes),
    connectionKind: connection.kind,
    // The locked period could not be read (no permission): Fortnox still refuses a locked date when posting.
    lockedPeriodUnknown: checks !== null && checks.context.lockedThrough === undefined,
    vouchers: vouchers.map((v) => {
      const body = toVoucherInput(v, chosen ?? "", "SB:··········");
      return {
        id: v.id,
        preview: {
          series: body.series, transactionDate: body.transactionDate, description: body.description, comments: body.comments,
          rows: body.rows.map((r) => ({ account: r.account, debitOre: r.amountOre > 0 ? r.amountOre : 0, creditOre: r.amountOre < 0 ? -r.amountOre : 0, text: r.transactionInformation ?? null })),
          attachments: v.attachments.map((a) => a.fileName),
        },
        problems: (checks?.problems ?? []).filter((p) => p.voucherId === v.id).map((p) => ({ key: p.key, params: p.params })),
      };
    }),
  };
}

/** The attachment scopes missing for these vouchers: none when no voucher carries a file. */
function attachmentScopesMissing(vouchers: { attachments: unknown[] }[], granted: string[]): string[] {
  return vouchers.some((v) => v.attachments.length > 0) ? missingAttachmentScopes(granted) : [];
}

/**
 * Queues the chosen adjustments for export into `series` and starts the job. The adjustments are locked first
 * (an exported or locked one is refused with its number), then handed to the outbox; the series is remembered
 * for the client. A double click or a second tab gets the same job and no second voucher.
 */
export async function queueAdjustmentExport(db: Db, ref: ProjectActor, adjustmentIds: string[], series: string) {
  const ids = [...new Set(adjustmentIds)];
  if (!ids.length) throw badRequest("exportNothingSelected");
  const { project } = await getProject(db, ref.firmId, ref.projectId);
  // A job that could not upload the attachments would leave vouchers without them: ask for the permission first.
  const withFiles = await loadAdjustmentsForExport(db, ref.projectId, ids);
  if (attachmentScopesMissing(withFiles, await grantedScopes(db, ref.firmId, project.clientId)).length) {
    throw new DomainError("PRECONDITION_FAILED", "exportAttachmentScopesMissing");
  }
  // Already on its way (a second click): the outbox answers for those, nothing to lock again.
  const live = new Set((await exportStatus(db, ref.projectId)).filter((s) => s.state !== "failed").map((s) => s.voucherId));
  const lockedNow: string[] = [];
  try {
    for (const id of ids) {
      if (live.has(id)) continue;
      await lockForExport(db, ref.projectId, id, EXPORT_LOCK);
      lockedNow.push(id);
    }
    const result = await startExport(db, ref, { voucherIds: ids, series });
    await db.update(clients).set({ exportSeries: series }).where(eq(clients.id, project.clientId));
    return result;
  } catch (err) {
    for (const id of lockedNow) await releaseExportLock(db, ref.projectId, id, EXPORT_LOCK);
    throw err;
  }
}

/** The selected adjustments as a SIE 4I file, for bookkeeping programs other than Fortnox. */
export async function adjustmentsSie4I(db: Db, ref: Pick<ProjectScope, "firmId" | "projectId">, adjustmentIds: string[] | null) {
  const { project, client } = await getProject(db, ref.firmId, ref.projectId);
  const ids =
    adjustmentIds ??
    (await db.select({ id: adjustments.id }).from(adjustments).where(and(eq(adjustments.projectId, project.id), isNull(adjustments.exportedAt)))).map((a) => a.id);
  const vouchers = await loadAdjustmentsForExport(db, project.id, ids);
  if (!vouchers.length) throw badRequest("exportNothingSelected");
  const bytes = vouchersToSie4I(vouchers, { company: { name: client.name, orgNr: client.orgNr } });
  return { bytes, fileName: `${project.name.replace(/[^\p{L}\p{N} _-]/gu, "").trim() || "bokslut"} justeringar.se`, count: vouchers.length };
}

