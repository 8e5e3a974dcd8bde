import { z } from "zod";
import { clientProcedure, createTRPCRouter, firmProcedure } from "../trpc";
import { createClient, listClients, updateClient } from "@/server/firms/clients";
import { deleteClientWithData } from "@/server/firms/client-deletion";
import { defaultConnectionRuntime } from "@/server/connections/runtime";
import { logActivity } from "@/server/activity/log";

const clientInput = z.object({ name: z.string().trim().min(1).max(200), orgNr: z.string().trim().min(1).max(20) });

export const clientRouter = createTRPCRouter({
  list: firmProcedure.query(({ ctx }) => listClients(ctx.db, ctx.firmId)),

  get: clientProcedure.query(({ ctx }) => ctx.client),

  create: firmProcedure.input(clientInput).mutation(async ({ ctx, input }) => {
    const client = await createClient(ctx.db, ctx.firmId, input);
    await logActivity(ctx.db, { firmId: ctx.firmId, clientId: client.id, userId: ctx.userId, action: "client.created", outcome: "success", details: { name: client.name } });
    return client;
  }),

  update: clientProcedure.input(clientInput).mutation(({ ctx, input }) => updateClient(ctx.db, ctx.firmId, ctx.client.id, input)),

  /** Also revokes the client's Fortnox grant (best effort) and deletes its file bytes: server/firms/client-deletion.ts. */
  delete: clientProcedure.mutation(async ({ ctx }) => {
    const done = await deleteClientWithData(ctx.db, ctx.fortnox ?? defaultConnectionRuntime(), { firmId: ctx.firmId, userId: ctx.userId }, ctx.client.id);
    return { ok: true, fortnoxGrant: done.fortnoxGrant };
  }),
});
