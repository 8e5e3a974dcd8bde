import { z } from "zod";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { requireClient, requireProject } from "../access";
import { createProject, deleteProject, listProjects, renameProject, setDataSource } from "@/server/closing/projects";
import { projectOverview } from "@/server/closing/overview";
import { listProjectActivity } from "@/server/activity/log";
import { logActivity } from "@/server/activity/log";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const dataSource = z.enum(["fortnox", "sie"]);
const pid = z.object({ projectId: z.uuid() });

export const projectRouter = createTRPCRouter({
  list: firmProcedure.input(z.object({ clientId: z.uuid() })).query(async ({ ctx, input }) => {
    await requireClient(ctx, input.clientId);
    return listProjects(ctx.db, ctx.firmId, input.clientId);
  }),

  get: firmProcedure.input(pid).query(({ ctx, input }) => requireProject(ctx, input.projectId)),

  overview: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    const { project, client } = await requireProject(ctx, input.projectId);
    return projectOverview(ctx.db, project, client);
  }),

  create: firmProcedure
    .input(z.object({ clientId: z.uuid(), name: z.string().trim().max(200).optional(), startDate: isoDate, endDate: isoDate, dataSource }))
    .mutation(async ({ ctx, input }) => {
      await requireClient(ctx, input.clientId);
      const project = await createProject(ctx.db, ctx.firmId, input.clientId, input);
      await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "project.created", outcome: "success", details: { name: project.name, startDate: project.startDate, endDate: project.endDate } });
      return project;
    }),

  rename: firmProcedure.input(pid.extend({ name: z.string().trim().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    const { project: before } = await requireProject(ctx, input.projectId);
    const project = await renameProject(ctx.db, ctx.firmId, input.projectId, input.name);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "project.renamed", outcome: "success", details: { from: before.name, to: project.name } });
    return project;
  }),

  setDataSource: firmProcedure.input(pid.extend({ dataSource })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    const project = await setDataSource(ctx.db, ctx.firmId, input.projectId, input.dataSource);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "project.dataSourceChanged", outcome: "success", details: { dataSource: input.dataSource } });
    return project;
  }),

  delete: firmProcedure.input(pid).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    const deleted = await deleteProject(ctx.db, ctx.firmId, input.projectId);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: deleted.clientId, userId: ctx.userId, action: "project.deleted", outcome: "success", details: { name: deleted.name } });
    return { ok: true };
  }),

  activity: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return listProjectActivity(ctx.db, input.projectId);
  }),
});
