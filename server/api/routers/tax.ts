import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import { bookProjectTax, generatedTaxVouchers, saveTaxChoices } from "@/server/tax/project-book";
import { loadTaxChoices, projectTax, sruOf } from "@/server/tax/project-tax";
import { createTRPCRouter, projectProcedure } from "../trpc";
import { account, ore } from "./closing-inputs";

// The Skatt step: the computation (with unsaved choices for the live recomputation), the stored choices, the
// booking of the year's last vouchers and one account's SRU code. Rules are server/tax/project-book.ts's.

const code = z.string().trim().regex(/^\d{4}$/);
const money = ore.min(0);
const sender = z.object({
  address: z.string().trim().max(250), postalCode: z.string().trim().max(10), city: z.string().trim().max(250),
  contact: z.string().trim().max(250), email: z.string().trim().max(250), phone: z.string().trim().max(50),
}).partial();
const choices = z.object({
  allocationOre: money.nullable(),
  reversals: z.union([z.enum(["asBooked", "required"]), z.record(account, money)]),
  ink2sEdits: z.record(code, z.object({ amountOre: ore, comment: z.string().max(1000) })),
  previousLossOre: money.nullable(),
  fundYears: z.record(account, z.number().int()),
  slrBp: z.number().int().nullable(),
  sender,
}).partial();

export const taxRouter = createTRPCRouter({
  /** The computation, with `choices` replacing the stored ones for this answer only (nothing is saved). */
  get: projectProcedure.input(z.object({ choices: choices.optional() })).query(async ({ ctx, input }) => {
    const t = await projectTax(ctx.db, ctx.firmId, ctx.project.id, input.choices);
    if (!t) return null;
    const vouchers = await generatedTaxVouchers(ctx.db, ctx.project.id);
    return {
      computation: t.computation, choices: t.choices, previousLoss: t.previousLoss,
      sruProblems: sruOf(t, ctx.client).problems,
      vouchers: vouchers.map((v) => ({ id: v.id, number: v.number, kind: v.kind, text: v.text, exported: v.exportedAt !== null, fortnoxRef: v.fortnoxRef ?? null })),
    };
  }),

  choices: projectProcedure.query(({ ctx }) => loadTaxChoices(ctx.db, ctx.project.id)),

  saveChoices: projectProcedure.input(z.object({ choices })).mutation(({ ctx, input }) => saveTaxChoices(ctx.db, ctx.scope, input.choices)),

  /** One account's SRU code over the imported one; null removes the override. */
  setSruOverride: projectProcedure.input(z.object({ account, code: code.nullable() })).mutation(async ({ ctx, input }) => {
    const current = await loadTaxChoices(ctx.db, ctx.project.id);
    const sruOverrides = { ...current.sruOverrides };
    if (input.code) sruOverrides[input.account] = input.code;
    else delete sruOverrides[input.account];
    return saveTaxChoices(ctx.db, ctx.scope, { sruOverrides });
  }),

  /** "Boka skatt och bokslutsdispositioner": the generated vouchers and the year's result. */
  book: projectProcedure.mutation(async ({ ctx }) => {
    const { project } = ctx;
    const r = await bookProjectTax(ctx.db, ctx.scope);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "tax.booked", outcome: "success", details: { created: r.created.length, updated: r.updated.length, deleted: r.deleted.length, corrections: r.corrections.length } });
    return r;
  }),
});
