import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { deleteAttachment, linkAttachment, listAttachments, projectAttachments, unlinkAttachment } from "@/server/closing/attachments";
import { requireProject } from "../access";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { pid, target } from "./closing-inputs";

// Uploads and downloads are route handlers (server/api/attachment-files.ts): bytes do not travel through tRPC.
export const attachmentRouter = createTRPCRouter({
  list: firmProcedure.input(pid.extend({ target })).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return listAttachments(ctx.db, input.projectId, input.target);
  }),

  /** Every attachment of the project, to link one to another account. */
  projectList: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return projectAttachments(ctx.db, input.projectId);
  }),

  link: firmProcedure.input(pid.extend({ attachmentId: z.uuid(), target })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await linkAttachment(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.attachmentId, input.target);
    return { ok: true };
  }),

  unlink: firmProcedure.input(pid.extend({ attachmentId: z.uuid(), target })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await unlinkAttachment(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.attachmentId, input.target);
    return { ok: true };
  }),

  delete: firmProcedure.input(pid.extend({ attachmentId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const a = await deleteAttachment(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, input.attachmentId);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "attachment.deleted", outcome: "info", details: { fileName: a.fileName } });
    return { ok: true };
  }),
});
