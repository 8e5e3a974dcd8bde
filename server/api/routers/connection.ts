import { z } from "zod";
import { clientProcedure, createTRPCRouter, firmProcedure } from "../trpc";
import { ATTEMPT_COOKIE, ATTEMPT_COOKIE_PATH, ATTEMPT_TTL_MS, connectRequest, startConnectAttempt } from "@/server/connections/connect";
import { defaultConnectionRuntime } from "@/server/connections/runtime";
import { cancelPendingConnection, confirmConnection, disconnect, getConnectionView, listConnectionsOverview } from "@/server/connections/manage";

export const connectionRouter = createTRPCRouter({
  /** The connection page: the client, its connection (no tokens) and the recent connection history. */
  get: clientProcedure.query(async ({ ctx }) => {
    const view = await getConnectionView(ctx.db, ctx.firmId, ctx.client.id);
    return { ...view, sandbox: (ctx.fortnox ?? defaultConnectionRuntime()).config.sandbox };
  }),

  /** Every client of the firm with its Fortnox state and the action it needs. */
  overview: firmProcedure.query(async ({ ctx }) => ({
    clients: await listConnectionsOverview(ctx.db, ctx.firmId),
    sandbox: (ctx.fortnox ?? defaultConnectionRuntime()).config.sandbox,
  })),

  /**
   * Step one of Anslut till Fortnox: records who connects which client and sets the httpOnly cookie the OAuth
   * callback checks. The browser then starts NextAuth's sign-in with the "fortnox" provider.
   */
  startConnect: clientProcedure
    .input(
      z.object({
        kind: z.enum(["user", "service"]).default("user"),
        // "attachments": the extra consent (inbox + connectfile) an export with attachments needs, back to projectId.
        purpose: z.enum(["connect", "attachments"]).default("connect"),
        projectId: z.uuid().nullish(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const runtime = ctx.fortnox ?? defaultConnectionRuntime();
      const ask = await connectRequest(ctx.db, { firmId: ctx.firmId, clientId: ctx.client.id, kind: input.kind, purpose: input.purpose, projectId: input.projectId });
      const { token } = await startConnectAttempt(ctx.db, { firmId: ctx.firmId, clientId: ctx.client.id, userId: ctx.userId, ...ask });
      const secure = runtime.config.appUrl.startsWith("https://") ? "; Secure" : "";
      ctx.resHeaders?.append("Set-Cookie", `${ATTEMPT_COOKIE}=${token}; Path=${ATTEMPT_COOKIE_PATH}; Max-Age=${ATTEMPT_TTL_MS / 1000}; HttpOnly; SameSite=Lax${secure}`);
      const authorizationParams: Record<string, string> = { scope: ask.scopes.join(" ") };
      if (ask.kind === "service") authorizationParams.account_type = "service";
      return { authorizationParams };
    }),

  confirm: clientProcedure.mutation(({ ctx }) => confirmConnection(ctx.db, ctx.firmId, ctx.client.id, ctx.userId)),

  cancel: clientProcedure.mutation(({ ctx }) => cancelPendingConnection(ctx.db, ctx.fortnox ?? defaultConnectionRuntime(), ctx.firmId, ctx.client.id, ctx.userId)),

  disconnect: clientProcedure.mutation(({ ctx }) => disconnect(ctx.db, ctx.fortnox ?? defaultConnectionRuntime(), ctx.firmId, ctx.client.id, ctx.userId)),
});
