import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { createAdjustment, deleteAdjustment, generateClosingEntry, getAdjustment, listAdjustments, updateAdjustment } from "@/server/closing/adjustments";
import { ADJUSTMENT_KINDS } from "@/lib/adjustment-templates";
import { GENERATED_TAX_KINDS } from "@/server/tax/kinds";
import { requireProject } from "../access";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { account, ore, pid } from "./closing-inputs";

const voucher = z.object({
  date: z.string().max(10),
  text: z.string().max(1000),
  // The Skatt step's own kinds too: its vouchers open in the editor like any other (and are regenerated on booking).
  kind: z.enum([...ADJUSTMENT_KINDS, ...GENERATED_TAX_KINDS] as [string, ...string[]]).optional(),
  rows: z.array(z.object({ account, amountOre: ore, text: z.string().max(1000).nullish() })).max(1000),
  newAccounts: z.array(z.object({ number: account, name: z.string().max(200) })).max(100).optional(),
});
const aid = pid.extend({ adjustmentId: z.uuid() });

export const adjustmentRouter = createTRPCRouter({
  list: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return listAdjustments(ctx.db, input.projectId);
  }),

  get: firmProcedure.input(aid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return getAdjustment(ctx.db, input.projectId, input.adjustmentId);
  }),

  create: firmProcedure.input(pid.extend({ voucher })).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const a = await createAdjustment(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, input.voucher);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "adjustment.created", outcome: "success", details: { number: a.number, text: a.text } });
    return a;
  }),

  update: firmProcedure.input(aid.extend({ voucher })).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const a = await updateAdjustment(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, input.adjustmentId, input.voucher);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "adjustment.updated", outcome: "success", details: { number: a.number, text: a.text } });
    return a;
  }),

  delete: firmProcedure.input(aid).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const a = await deleteAdjustment(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, input.adjustmentId);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "adjustment.deleted", outcome: "info", details: { number: a.number, text: a.text } });
    return { ok: true };
  }),

  /** Books the year's result (8999 against 2099) from the result after every other adjustment. */
  closingEntry: firmProcedure.input(pid).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const r = await generateClosingEntry(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId });
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "adjustment.closingEntry", outcome: "success", details: { resultOre: r?.resultOre ?? 0 } });
    return r;
  }),
});
