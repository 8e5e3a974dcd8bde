import { z } from "zod";
import { fortnoxApiForClient } from "@/server/connections";
import { describeError } from "@/server/errors";
import { lastSeries, prepareExport, queueAdjustmentExport } from "@/server/export/adjustment-export";
import { EXPORT_STEPS } from "@/server/export/run";
import { exportStatus } from "@/server/export/job";
import { latestJob } from "@/server/jobs/queue";
import { createTRPCRouter, projectProcedure } from "../trpc";

const ids = z.array(z.uuid()).min(1).max(500);
const series = z.string().trim().min(1).max(10);

export const exportRouter = createTRPCRouter({
  /**
   * What the adjustments view needs: whether the connection can export now (and if not, why: the button says it
   * on hover), the remembered series, the latest export job with its progress, and each adjustment's export state.
   */
  state: projectProcedure.query(async ({ ctx }) => {
    const { project } = ctx;
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
  prepare: projectProcedure
    .input(z.object({ adjustmentIds: z.array(z.uuid()).max(500), series: series.nullish() }))
    .query(({ ctx, input }) => prepareExport(ctx.db, ctx.scope, input.adjustmentIds, input.series ?? null, ctx.fortnox)),

  start: projectProcedure.input(z.object({ adjustmentIds: ids, series })).mutation(async ({ ctx, input }) => {
    const r = await queueAdjustmentExport(ctx.db, ctx.scope, input.adjustmentIds, input.series);
    return { jobId: r.job?.id ?? null, items: r.items.length };
  }),
});
