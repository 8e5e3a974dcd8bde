import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { fortnoxApiForClient } from "@/server/connections";
import { errorFix } from "@/server/errors";
import { FORTNOX_STEPS, SIE_STEPS } from "@/server/import/job";
import { importDetail, importHistory, importState, ledgerSchedule, startFortnoxImport } from "@/server/import/project-imports";
import { createTRPCRouter, projectProcedure } from "../trpc";

export const importRouter = createTRPCRouter({
  /** What the import screen polls: the latest job with its progress, and the current import's summary. */
  state: projectProcedure.query(async ({ ctx }) => {
    const { project } = ctx;
    const state = await importState(ctx.db, project.id);
    const source = state.job?.source ?? project.dataSource;
    // A failed job's stored key, with where the user fixes it (server/errors.ts): the panel links by the fix.
    const job = state.job && { ...state.job, errorFix: state.job.errorKey ? errorFix(state.job.errorKey) : null };
    return { ...state, job, steps: source === "sie" ? SIE_STEPS : FORTNOX_STEPS, dataSource: project.dataSource };
  }),

  /** "Hämta bokföringsdata": queues the Fortnox import of the project's financial year. */
  start: projectProcedure.mutation(async ({ ctx }) => {
    const { project } = ctx;
    // Refuse at once, with the connection's own message, rather than queue a job that can only fail.
    if (project.dataSource === "fortnox") await fortnoxApiForClient(ctx.db, ctx.firmId, project.clientId, { runtime: ctx.fortnox });
    const job = await startFortnoxImport(ctx.db, ctx.scope, project.dataSource);
    await logActivity(ctx.db, { ...ctx.scope, action: "import.started", outcome: "info", details: { source: "fortnox" } });
    return { jobId: job.id };
  }),

  history: projectProcedure.query(({ ctx }) => importHistory(ctx.db, ctx.project.id)),

  detail: projectProcedure.input(z.object({ importId: z.uuid() })).query(({ ctx, input }) => importDetail(ctx.db, ctx.project.id, input.importId)),

  /** The ready-made schedule of 1510 or 2440 from the current import's ledger at the closing date. */
  ledgerSchedule: projectProcedure
    .input(z.object({ side: z.enum(["customer", "supplier"]) }))
    .query(({ ctx, input }) => ledgerSchedule(ctx.db, ctx.project.id, input.side)),
});
