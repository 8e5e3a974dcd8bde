import { z } from "zod";
import { accountAnalysis, voucherDetail } from "@/server/closing/analysis";
import { chartOf, currentImportOf } from "@/server/closing/ledger";
import { trialBalance } from "@/server/closing/trial-balance";
import { requireProject } from "../access";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { account, pid } from "./closing-inputs";

export const reconciliationRouter = createTRPCRouter({
  /** Balansavstämning and Resultatanalys: the whole chart under the annual-report headings, with the check. */
  trialBalance: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return trialBalance(ctx.db, input.projectId);
  }),

  /** Account analysis, one keyset page at a time. */
  analysis: firmProcedure
    .input(pid.extend({ account, after: z.string().max(200).optional(), before: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).optional(), corrections: z.boolean().optional() }))
    .query(async ({ ctx, input }) => {
      await requireProject(ctx, input.projectId);
      return accountAnalysis(ctx.db, input.projectId, input.account, input);
    }),

  voucher: firmProcedure.input(pid.extend({ voucherId: z.number().int().positive() })).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return voucherDetail(ctx.db, input.projectId, input.voucherId);
  }),

  /** The chart for account pickers: imported accounts and the ones added in this closing. */
  chart: firmProcedure.input(pid).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    const imp = await currentImportOf(ctx.db, input.projectId);
    return [...(await chartOf(ctx.db, input.projectId, imp?.id ?? null)).values()];
  }),
});
