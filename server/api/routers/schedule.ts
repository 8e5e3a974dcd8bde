import { z } from "zod";
import { logActivity } from "@/server/activity/log";
import {
  addScheduleAccount, removeScheduleAccount, reopenSchedule, saveScheduleRows, setScheduleComment, setScheduleLedger, signOffSchedule,
} from "@/server/closing/account-schedules";
import { getScheduleView } from "@/server/closing/account-schedule-view";
import { requireProject } from "../access";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { account, ore, pid } from "./closing-inputs";

const acc = pid.extend({ account });

export const scheduleRouter = createTRPCRouter({
  /** The schedule of a balance-sheet account (an empty one, or the automatic 1510/2440 one, before any change). */
  get: firmProcedure.input(acc).query(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    return getScheduleView(ctx.db, input.projectId, input.account);
  }),

  saveRows: firmProcedure.input(acc.extend({ rows: z.array(z.object({ text: z.string().max(1000), amountOre: ore })).max(2000) })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await saveScheduleRows(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.account, input.rows);
    return { ok: true };
  }),

  setComment: firmProcedure.input(acc.extend({ comment: z.string().max(10_000) })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await setScheduleComment(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.account, input.comment);
    return { ok: true };
  }),

  setLedger: firmProcedure.input(acc.extend({ use: z.boolean() })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await setScheduleLedger(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.account, input.use);
    return { ok: true };
  }),

  signOff: firmProcedure.input(acc).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    const r = await signOffSchedule(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, input.account);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "schedule.signedOff", outcome: "success", details: { account: input.account, differenceOre: r.differenceOre } });
    return r;
  }),

  reopen: firmProcedure.input(acc).mutation(async ({ ctx, input }) => {
    const { project } = await requireProject(ctx, input.projectId);
    await reopenSchedule(ctx.db, { firmId: ctx.firmId, projectId: project.id, userId: ctx.userId }, input.account);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: project.clientId, projectId: project.id, userId: ctx.userId, action: "schedule.reopened", outcome: "info", details: { account: input.account } });
    return { ok: true };
  }),

  addAccount: firmProcedure.input(acc.extend({ add: account })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await addScheduleAccount(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.account, input.add);
    return { ok: true };
  }),

  removeAccount: firmProcedure.input(acc.extend({ remove: account })).mutation(async ({ ctx, input }) => {
    await requireProject(ctx, input.projectId);
    await removeScheduleAccount(ctx.db, { firmId: ctx.firmId, projectId: input.projectId, userId: ctx.userId }, input.account, input.remove);
    return { ok: true };
  }),
});
