import { z } from "zod";
import { createTRPCRouter, firmProcedure, protectedProcedure, publicProcedure } from "../trpc";
import { acceptInvite, createFirm, createInvite, describeInvite, listMembers } from "@/server/firms/service";
import { logActivity } from "@/server/activity/log";

const token = z.string().min(10).max(100);

export const firmRouter = createTRPCRouter({
  create: protectedProcedure.input(z.object({ name: z.string().trim().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    const firm = await createFirm(ctx.db, ctx.userId, input.name);
    await logActivity(ctx.db, { firmId: firm.id, userId: ctx.userId, action: "firm.created", outcome: "success", details: { name: firm.name } });
    return firm;
  }),

  members: firmProcedure.query(({ ctx }) => listMembers(ctx.db, ctx.firmId)),

  createInvite: firmProcedure.mutation(async ({ ctx }) => {
    const invite = await createInvite(ctx.db, ctx.firmId, ctx.userId);
    await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "firm.inviteCreated", outcome: "success" });
    return invite;
  }),

  /** Public on purpose: the invite page shows which firm the link leads to before the visitor signs up. */
  describeInvite: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => describeInvite(ctx.db, input.token)),

  acceptInvite: protectedProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    const firm = await acceptInvite(ctx.db, ctx.userId, input.token);
    await logActivity(ctx.db, { firmId: firm.id, userId: ctx.userId, action: "firm.memberJoined", outcome: "success" });
    return firm;
  }),
});
