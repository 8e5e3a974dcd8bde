import { z } from "zod";
import { clientProcedure, createTRPCRouter, projectProcedure } from "../trpc";
import { createProject, deleteProject, listProjects, renameProject, setDataSource } from "@/server/closing/projects";
import { projectOverview } from "@/server/closing/overview";
import { listProjectActivity } from "@/server/activity/log";
import { logActivity } from "@/server/activity/log";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const dataSource = z.enum(["fortnox", "sie"]);

export const projectRouter = createTRPCRouter({
  list: clientProcedure.query(({ ctx }) => listProjects(ctx.db, ctx.firmId, ctx.client.id)),

  get: projectProcedure.query(({ ctx }) => ({ project: ctx.project, client: ctx.client })),

  overview: projectProcedure.query(({ ctx }) => projectOverview(ctx.db, ctx.project, ctx.client)),

  create: clientProcedure
    .input(z.object({ name: z.string().trim().max(200).optional(), startDate: isoDate, endDate: isoDate, dataSource }))
    .mutation(async ({ ctx, input }) => {
      const project = await createProject(ctx.db, ctx.firmId, ctx.client.id, input);
      await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "project.created", outcome: "success", details: { name: project.name, startDate: project.startDate, endDate: project.endDate } });
      return project;
    }),

  rename: projectProcedure.input(z.object({ name: z.string().trim().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    const project = await renameProject(ctx.db, ctx.firmId, ctx.project.id, input.name);
    await logActivity(ctx.db, { ...ctx.scope, action: "project.renamed", outcome: "success", details: { from: ctx.project.name, to: project.name } });
    return project;
  }),

  setDataSource: projectProcedure.input(z.object({ dataSource })).mutation(async ({ ctx, input }) => {
    const project = await setDataSource(ctx.db, ctx.firmId, ctx.project.id, input.dataSource);
    await logActivity(ctx.db, { ...ctx.scope, action: "project.dataSourceChanged", outcome: "success", details: { dataSource: input.dataSource } });
    return project;
  }),

  delete: projectProcedure.mutation(async ({ ctx }) => {
    const deleted = await deleteProject(ctx.db, ctx.firmId, ctx.project.id);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: deleted.clientId, userId: ctx.userId, action: "project.deleted", outcome: "success", details: { name: deleted.name } });
    return { ok: true };
  }),

  activity: projectProcedure.query(({ ctx }) => listProjectActivity(ctx.db, ctx.project.id)),
});
