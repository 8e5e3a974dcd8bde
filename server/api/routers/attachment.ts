import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { deleteAttachment, linkAttachment, listAttachments, projectAttachments, unlinkAttachment } from "@/server/closing/attachments";
import { createTRPCRouter, projectProcedure } from "../trpc";
import { target } from "./closing-inputs";

// Uploads and downloads are route handlers (server/api/attachment-files.ts): bytes do not travel through tRPC.
export const attachmentRouter = createTRPCRouter({
  list: projectProcedure.input(z.object({ target })).query(({ ctx, input }) => listAttachments(ctx.db, ctx.project.id, input.target)),

  /** Every attachment of the project, to link one to another account. */
  projectList: projectProcedure.query(({ ctx }) => projectAttachments(ctx.db, ctx.project.id)),

  link: projectProcedure.input(z.object({ attachmentId: z.uuid(), target })).mutation(async ({ ctx, input }) => {
    await linkAttachment(ctx.db, ctx.scope, input.attachmentId, input.target);
    return { ok: true };
  }),

  unlink: projectProcedure.input(z.object({ attachmentId: z.uuid(), target })).mutation(async ({ ctx, input }) => {
    await unlinkAttachment(ctx.db, ctx.scope, input.attachmentId, input.target);
    return { ok: true };
  }),

  delete: projectProcedure.input(z.object({ attachmentId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const a = await deleteAttachment(ctx.db, ctx.scope, input.attachmentId);
    await logActivity(ctx.db, { ...ctx.scope, action: "attachment.deleted", outcome: "info", details: { fileName: a.fileName } });
    return { ok: true };
  }),
});
