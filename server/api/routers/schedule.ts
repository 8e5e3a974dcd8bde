import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import {
  addScheduleAccount, removeScheduleAccount, reopenSchedule, saveScheduleRows, setScheduleComment, setScheduleLedger, signOffSchedule,
} from "@/server/closing/account-schedules";
import { getScheduleView } from "@/server/closing/account-schedule-view";
import { createTRPCRouter, projectProcedure } from "../trpc";
import { account, ore } from "./closing-inputs";

/** Every schedule procedure is on one balance-sheet account of the project. */
const onAccount = projectProcedure.input(z.object({ account }));

export const scheduleRouter = createTRPCRouter({
  /** The schedule of a balance-sheet account (an empty one, or the automatic 1510/2440 one, before any change). */
  get: onAccount.query(({ ctx, input }) => getScheduleView(ctx.db, ctx.project.id, input.account)),

  saveRows: onAccount.input(z.object({ rows: z.array(z.object({ text: z.string().max(1000), amountOre: ore })).max(2000) })).mutation(async ({ ctx, input }) => {
    await saveScheduleRows(ctx.db, ctx.scope, input.account, input.rows);
    return { ok: true };
  }),

  setComment: onAccount.input(z.object({ comment: z.string().max(10_000) })).mutation(async ({ ctx, input }) => {
    await setScheduleComment(ctx.db, ctx.scope, input.account, input.comment);
    return { ok: true };
  }),

  setLedger: onAccount.input(z.object({ use: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setScheduleLedger(ctx.db, ctx.scope, input.account, input.use);
    return { ok: true };
  }),

  signOff: onAccount.mutation(async ({ ctx, input }) => {
    const r = await signOffSchedule(ctx.db, ctx.scope, input.account);
    await logActivity(ctx.db, { ...ctx.scope, action: "schedule.signedOff", outcome: "success", details: { account: input.account, differenceOre: r.differenceOre } });
    return r;
  }),

  reopen: onAccount.mutation(async ({ ctx, input }) => {
    await reopenSchedule(ctx.db, ctx.scope, input.account);
    await logActivity(ctx.db, { ...ctx.scope, action: "schedule.reopened", outcome: "info", details: { account: input.account } });
    return { ok: true };
  }),

  addAccount: onAccount.input(z.object({ add: account })).mutation(async ({ ctx, input }) => {
    await addScheduleAccount(ctx.db, ctx.scope, input.account, input.add);
    return { ok: true };
  }),

  removeAccount: onAccount.input(z.object({ remove: account })).mutation(async ({ ctx, input }) => {
    await removeScheduleAccount(ctx.db, ctx.scope, input.account, input.remove);
    return { ok: true };
  }),
});
