import { z } from "zod";
import { fortnoxApiForClient } from "@/server/connections";
import { describeError } from "@/server/errors";
import { lastSeries, prepareExport, queueAdjustmentExport } from "@/server/export/adjustment-export";
import { EXPORT_STEPS } from "@/server/export/run";
import { exportStatus } from "@/server/export/job";
import { latestJob } from "@/server/jobs/queue";
import { requireProject } from "../access";
import { createTRPCRouter, firmProcedure } from "../trpc";

const pid = z.object({ projectId: z.uuid() });
const ids = z.array(z.uuid()).min(1).max(500);
const series = z.string().trim().min(1).max(10);

export const exportRouter = createTRPCRouter({
  /**
   * What the adjustments view needs: whether the connection can export now (and if not, why: the button says it
   * on hover), the remembered series, the latest export job with its progress, and each adjustment's export state.
   */
  state: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    let connection: { ok: true } | { ok: false; reasonKey: string } = { ok: true };
    if (project.dataSource !== "fortnox") connection = { ok: false, reasonKey: "exportNeedsFortnoxSource" };
    else {
      try {
        await fortnoxApiForClient(ctx.db, ctx.firmId, project.clientId, { runtime: ctx.fortnox });
      } catch (err) {
        connection = { ok: false, reasonKey: describeError(err).key };
      }
    }
    const [job, items, remembered] = await Promise.all([latestJob(ctx.db, project.id, "export"), exportStatus(ctx.db, project.id), lastSeries(ctx.db, ctx.firmId, project.clientId)]);
    return {
      connection,
      lastSeries: remembered,
      steps: EXPORT_STEPS,
      job: job && { id: job.id, state: job.state, progress: job.progress, errorKey: job.errorKey, errorParams: job.errorParams, result: job.result, finishedAt: job.finishedAt },
      items,
    };
  }),

  /** Fortnox's series (live) and, per selected adjustment, the pre-checks and the voucher as Fortnox will get it. */
  prepare: firmProcedure.input(pid.extend({ adjustmentIds: z.array(z.uuid()).max(500), series: series.nullish() })).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return prepareExport(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.adjustmentIds, input.series ?? null, ctx.fortnox);
  }),

  start: firmProcedure.input(pid.extend({ adjustmentIds: ids, series })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    const r = await queueAdjustmentExport(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.adjustmentIds, input.series);
    return { jobId: r.job?.id ?? null, items: r.items.length };
  }),
});
