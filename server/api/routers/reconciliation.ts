import { z } from "zod";
import { accountAnalysis, voucherDetail } from "@/server/closing/analysis";
import { chartOf, currentImportOf } from "@/server/closing/ledger";
import { trialBalance } from "@/server/closing/trial-balance";
import { createTRPCRouter, projectProcedure } from "../trpc";
import { account } from "./closing-inputs";

export const reconciliationRouter = createTRPCRouter({
  /** Balansavstämning and Resultatanalys: the whole chart under the annual-report headings, with the check. */
  trialBalance: projectProcedure.query(({ ctx }) => trialBalance(ctx.db, ctx.project.id)),

  /** Account analysis, one keyset page at a time. */
  analysis: projectProcedure
    .input(z.object({ account, after: z.string().max(200).optional(), before: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).optional(), corrections: z.boolean().optional() }))
    .query(({ ctx, input }) => accountAnalysis(ctx.db, ctx.project.id, input.account, input)),

  voucher: projectProcedure.input(z.object({ voucherId: z.number().int().positive() })).query(({ ctx, input }) => voucherDetail(ctx.db, ctx.project.id, input.voucherId)),

  /** The chart for account pickers: imported accounts and the ones added in this closing. */
  chart: projectProcedure.query(async ({ ctx }) => {
    const imp = await currentImportOf(ctx.db, ctx.project.id);
    return [...(await chartOf(ctx.db, ctx.project.id, imp?.id ?? null)).values()];
  }),
});
