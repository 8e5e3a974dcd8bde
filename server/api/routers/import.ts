import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { fortnoxApiForClient } from "@/server/connections";
import { FORTNOX_STEPS, SIE_STEPS } from "@/server/import/job";
import { importDetail, importHistory, importState, ledgerSchedule, startFortnoxImport } from "@/server/import/project-imports";
import { requireProject } from "../access";
import { createTRPCRouter, firmProcedure } from "../trpc";

const pid = z.object({ projectId: z.uuid() });

export const importRouter = createTRPCRouter({
  /** What the import screen polls: the latest job with its progress, and the current import's summary. */
  state: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const state = await importState(ctx.db, project.id);
    const source = state.job?.source ?? project.dataSource;
    return { ...state, steps: source === "sie" ? SIE_STEPS : FORTNOX_STEPS, dataSource: project.dataSource };
  }),

  /** "Hämta bokföringsdata": queues the Fortnox import of the project's financial year. */
  start: firmProcedure.input(pid).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    // Refuse at once, with the connection's own message, rather than queue a job that can only fail.
    if (project.dataSource === "fortnox") await fortnoxApiForClient(ctx.db, ctx.firmId, project.clientId, { runtime: ctx.fortnox });
    const job = await startFortnoxImport(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, project.dataSource);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "import.started", outcome: "info", details: { source: "fortnox" } });
    return { jobId: job.id };
  }),

  history: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return importHistory(ctx.db, input.projectId);
  }),

  detail: firmProcedure.input(pid.extend({ importId: z.uuid() })).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return importDetail(ctx.db, input.projectId, input.importId);
  }),

  /** The ready-made schedule of 1510 or 2440 from the current import's ledger at the closing date. */
  ledgerSchedule: firmProcedure.input(pid.extend({ side: z.enum(["customer", "supplier"]) })).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return ledgerSchedule(ctx.db, input.projectId, input.side);
  }),
});
