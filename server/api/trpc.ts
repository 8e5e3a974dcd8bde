import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import { getMembership } from "@/server/firms/user-firm";
import type { Locale } from "@/server/i18n/config";
import type { ConnectionRuntime } from "@/server/connections/runtime";
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
