import { z } from "zod";
import { createTRPCRouter, firmProcedure } from "../trpc";
import { requireClient } from "../access";
import { createClient, listClients, updateClient } from "@/server/firms/clients";
import { deleteClientWithData } from "@/server/firms/client-deletion";
import { defaultConnectionRuntime } from "@/server/connections/runtime";
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

  /** Also revokes the client's Fortnox grant (best effort) and deletes its file bytes: server/firms/client-deletion.ts. */
  delete: firmProcedure.input(id).mutation(async ({ ctx, input }) => {
    const client = await requireClient(ctx, input.clientId);
    const done = await deleteClientWithData(ctx.db, ctx.fortnox ?? defaultConnectionRuntime(), { firmId: ctx.firmId, userId: ctx.userId }, client.id);
    return { ok: true, fortnoxGrant: done.fortnoxGrant };
  }),
});
