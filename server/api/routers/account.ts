import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";
import { getUser, setLocale, signUp } from "@/server/auth/users";
import { getMembership } from "@/server/firms/user-firm";
import { LOCALE_COOKIE } from "@/server/i18n/config";

export const signUpInput = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().max(320),
  password: z.string().max(200),
});

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.db, input, { source: ctx.sourceIp })),

  me: protectedProcedure.query(async ({ ctx }) => {
    const [user, membership] = await Promise.all([getUser(ctx.db, ctx.userId), getMembership(ctx.db, ctx.userId)]);
    return { user, firm: membership ? { id: membership.firmId, name: membership.firmName, role: membership.role } : null };
  }),

  setLocale: protectedProcedure.input(z.object({ locale: z.enum(["sv", "en"]) })).mutation(async ({ ctx, input }) => {
    await setLocale(ctx.db, ctx.userId, input.locale);
    ctx.resHeaders?.append("Set-Cookie", `${LOCALE_COOKIE}=${input.locale}; Path=/; Max-Age=31536000; SameSite=Lax`);
    return { locale: input.locale };
  }),
});
