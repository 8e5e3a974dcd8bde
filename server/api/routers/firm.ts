import { z } from "zod";
import { createTRPCRouter, firmProcedure, protectedProcedure, publicProcedure } from "../trpc";
import { createFirm } from "@/server/firms/user-firm";
import { acceptInvite, createInvite, describeInvite, listInvites, MAX_INVITE_USES, revokeInvite } from "@/server/firms/invites";
import { listMembers, removeMember, renameFirm, setMemberRole } from "@/server/firms/membership";
import { logActivity } from "@/server/activity/log";

// The owner role is checked by the domain functions (server/firms/membership.ts), inside their transactions.

const token = z.string().min(10).max(100);
const firmName = z.string().trim().min(1).max(200);
const actorOf = (ctx: { firmId: string; userId: string }) => ({ firmId: ctx.firmId, userId: ctx.userId });

export const firmRouter = createTRPCRouter({
  create: protectedProcedure.input(z.object({ name: firmName })).mutation(async ({ ctx, input }) => {
    const firm = await createFirm(ctx.db, ctx.userId, input.name);
    await logActivity(ctx.db, { firmId: firm.id, userId: ctx.userId, action: "firm.created", outcome: "success", details: { name: firm.name } });
    return firm;
  }),

  rename: firmProcedure.input(z.object({ name: firmName })).mutation(async ({ ctx, input }) => {
    const firm = await renameFirm(ctx.db, actorOf(ctx), input.name);
    await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "firm.renamed", outcome: "success", details: { name: firm.name } });
    return firm;
  }),

  members: firmProcedure.query(({ ctx }) => listMembers(ctx.db, ctx.firmId)),

  removeMember: firmProcedure.input(z.object({ userId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const removed = await removeMember(ctx.db, actorOf(ctx), input.userId);
    await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "firm.memberRemoved", outcome: "success", details: { name: removed.name, email: removed.email } });
    return { ok: true };
  }),

  setRole: firmProcedure.input(z.object({ userId: z.uuid(), role: z.enum(["owner", "member"]) })).mutation(async ({ ctx, input }) => {
    const changed = await setMemberRole(ctx.db, actorOf(ctx), input.userId, input.role);
    await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "firm.roleChanged", outcome: "success", details: changed });
    return { ok: true };
  }),

  invites: firmProcedure.query(({ ctx }) => listInvites(ctx.db, actorOf(ctx))),

  createInvite: firmProcedure
    .input(z.object({ maxUses: z.number().int().min(1).max(MAX_INVITE_USES).optional() }).optional())
    .mutation(async ({ ctx, input }) => {
      const invite = await createInvite(ctx.db, actorOf(ctx), { maxUses: input?.maxUses });
      await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "firm.inviteCreated", outcome: "success", details: { maxUses: invite.maxUses } });
      return invite;
    }),

  revokeInvite: firmProcedure.input(z.object({ inviteId: z.uuid() })).mutation(async ({ ctx, input }) => {
    await revokeInvite(ctx.db, actorOf(ctx), input.inviteId);
    await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "firm.inviteRevoked", outcome: "success" });
    return { ok: true };
  }),

  /** Public on purpose: the invite page shows which firm the link leads to before the visitor signs up. */
  describeInvite: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => describeInvite(ctx.db, input.token)),

  acceptInvite: protectedProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    const firm = await acceptInvite(ctx.db, ctx.userId, input.token);
    await logActivity(ctx.db, { firmId: firm.id, userId: ctx.userId, action: "firm.memberJoined", outcome: "success" });
    return firm;
  }),
});
