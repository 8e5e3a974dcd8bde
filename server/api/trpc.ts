import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/db/client";
import { getMembership } from "@/server/firms/user-firm";
import type { Locale } from "@/server/i18n/config";
import type { ConnectionRuntime } from "@/server/connections/runtime";
import { clientAccess, projectAccess } from "./access";
import { TranslatedError, toTRPCError } from "./errors";

export interface TRPCContext {
  db: Db;
  /** The signed-in user's id from the NextAuth session; null when signed out. */
  userId: string | null;
  locale: Locale;
  /** Response headers (cookies) when called over HTTP; absent for server-side callers. */
  resHeaders?: Headers;
  /** The client's address over HTTP (server/auth/client-ip.ts): sign-up is limited per source. Absent server-side. */
  sourceIp?: string;
  /** Fortnox connections (config, cipher, OAuth); the process-wide one from env when absent. Tests pass their own. */
  fortnox?: ConnectionRuntime;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        messageKey: error instanceof TranslatedError ? error.messageKey : undefined,
        // Where the user can fix it (server/errors.ts ErrorFix): the UI links or hints by this, never by the key.
        fix: error instanceof TranslatedError ? error.fix : undefined,
        fieldErrors: error.cause instanceof ZodError ? error.cause.issues.map((i) => i.path.join(".")) : undefined,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become TRPCErrors in exactly one place. */
const mapErrors = t.middleware(async ({ ctx, next }) => {
  const res = await next();
  if (!res.ok) throw toTRPCError(res.error, ctx.locale);
  return res;
});

export const publicProcedure = t.procedure.use(mapErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "unauthorized" });
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});

/**
 * Every procedure that touches firm data is a firmProcedure: the firm is resolved from the database on each
 * request (never from the client or the session), and the domain functions take it as their scope.
 */
export const firmProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const membership = await getMembership(ctx.db, ctx.userId);
  if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "noFirm" });
  return next({ ctx: { ...ctx, firmId: membership.firmId, role: membership.role } });
});

/**
 * A procedure on one client of the firm: `clientId` comes from the input (further .input() calls merge with it) and
 * is checked once, here; the checked client is `ctx.client`. Another firm's id is NOT_FOUND.
 */
export const clientIdInput = z.object({ clientId: z.uuid() });
export const clientProcedure = firmProcedure.input(clientIdInput).use(async ({ ctx, input, next }) => {
  const client = await clientAccess(ctx, input.clientId);
  return next({ ctx: { ...ctx, client } });
});

/**
 * A procedure on one closing project of the firm: `projectId` comes from the input and is checked once, here. The
 * resolver gets the checked `ctx.project`, its `ctx.client`, and `ctx.scope` (server/scope.ts) for the domain calls.
 */
export const projectIdInput = z.object({ projectId: z.uuid() });
export const projectProcedure = firmProcedure.input(projectIdInput).use(async ({ ctx, input, next }) => {
  const access = await projectAccess(ctx, input.projectId);
  return next({ ctx: { ...ctx, ...access } });
});
