import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { createAdjustment, deleteAdjustment, generateClosingEntry, getAdjustment, listAdjustments, updateAdjustment } from "@/server/closing/adjustments";
import { ADJUSTMENT_KINDS } from "@/lib/adjustment-templates";
import { GENERATED_TAX_KINDS } from "@/server/tax/kinds";
import { createTRPCRouter, projectProcedure } from "../trpc";
import { account, ore } from "./closing-inputs";

const voucher = z.object({
  date: z.string().max(10),
  text: z.string().max(1000),
  // The Skatt step's own kinds too: its vouchers open in the editor like any other (and are regenerated on booking).
  kind: z.enum([...ADJUSTMENT_KINDS, ...GENERATED_TAX_KINDS] as [string, ...string[]]).optional(),
  rows: z.array(z.object({ account, amountOre: ore, text: z.string().max(1000).nullish() })).max(1000),
  newAccounts: z.array(z.object({ number: account, name: z.string().max(200) })).max(100).optional(),
});
const aid = z.object({ adjustmentId: z.uuid() });

export const adjustmentRouter = createTRPCRouter({
  list: projectProcedure.query(({ ctx }) => listAdjustments(ctx.db, ctx.project.id)),

  get: projectProcedure.input(aid).query(({ ctx, input }) => getAdjustment(ctx.db, ctx.project.id, input.adjustmentId)),

  create: projectProcedure.input(z.object({ voucher })).mutation(async ({ ctx, input }) => {
    const a = await createAdjustment(ctx.db, ctx.scope, input.voucher);
    await logActivity(ctx.db, { ...ctx.scope, action: "adjustment.created", outcome: "success", details: { number: a.number, text: a.text } });
    return a;
  }),

  update: projectProcedure.input(aid.extend({ voucher })).mutation(async ({ ctx, input }) => {
    const a = await updateAdjustment(ctx.db, ctx.scope, input.adjustmentId, input.voucher);
    await logActivity(ctx.db, { ...ctx.scope, action: "adjustment.updated", outcome: "success", details: { number: a.number, text: a.text } });
    return a;
  }),

  delete: projectProcedure.input(aid).mutation(async ({ ctx, input }) => {
    const a = await deleteAdjustment(ctx.db, ctx.scope, input.adjustmentId);
    await logActivity(ctx.db, { ...ctx.scope, action: "adjustment.deleted", outcome: "info", details: { number: a.number, text: a.text } });
    return { ok: true };
  }),

  /** Books the year's result (8999 against 2099) from the result after every other adjustment. */
  closingEntry: projectProcedure.mutation(async ({ ctx }) => {
    const r = await generateClosingEntry(ctx.db, ctx.scope);
    await logActivity(ctx.db, { ...ctx.scope, action: "adjustment.closingEntry", outcome: "success", details: { resultOre: r?.resultOre ?? 0 } });
    return r;
  }),
});
