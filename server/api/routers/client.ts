import { z } from "zod";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { requireClient } from "../access";
import { createClient, deleteClient, listClients, updateClient } from "@/server/firms/clients";
import { logActivity } from "@/server/activity/log";

const clientInput = z.object({ name: z.string().trim().min(1).max(200), orgNr: z.string().trim().min(1).max(20) });
const id = z.object({ clientId: z.uuid() });

export const clientRouter = createTRPCRouter({
  list: firmProcedure.query(({ ctx }) => listClients(ctx.db, ctx.firmId)),

  get: firmProcedure.input(id).query(({ ctx, input }) => requireClient(ctx, input.clientId)),

  create: firmProcedure.input(clientInput).mutation(async ({ ctx, input }) => {
    const client = await createClient(ctx.db, ctx.firmId, input);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: client.id, userId: ctx.userId, action: "client.created", outcome: "success", details: { name: client.name } });
    return client;
  }),

  update: firmProcedure.input(id.extend(clientInput.shape)).mutation(async ({ ctx, input }) => {
    await requireClient(ctx, input.clientId);
    return updateClient(ctx.db, ctx.firmId, input.clientId, input);
  }),

  delete: firmProcedure.input(id).mutation(async ({ ctx, input }) => {
    const client = await requireClient(ctx, input.clientId);
    await deleteClient(ctx.db, ctx.firmId, client.id);
    await logActivity(ctx.db, { firmId: ctx.firmId, userId: ctx.userId, action: "client.deleted", outcome: "success", details: { name: client.name } });
    return { ok: true };
  }),
});
