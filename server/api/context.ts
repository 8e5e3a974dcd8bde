import "server-only";
import { getDb } from "@/db/client";
import { clientIp } from "@/server/auth/client-ip";
import { requestLocale } from "@/server/auth/locale";
import { getSessionUserId } from "@/server/auth/session";
import { env } from "@/server/env";
import type { TRPCContext } from "./trpc";
import { createCaller } from "./root";

/** `req` is the HTTP request when there is one (the tRPC route): its source address limits sign-ups. */
export async function createRequestContext(resHeaders?: Headers, req?: Request): Promise<TRPCContext> {
  const [db, userId, locale] = await Promise.all([getDb(), getSessionUserId(), requestLocale()]);
  const sourceIp = req ? clientIp(req.headers, env().TRUSTED_PROXY_HOPS) : undefined;
  return { db, userId, locale, resHeaders, sourceIp };
}

/** The tRPC caller for server components: same procedures, same access checks, no HTTP. */
export async function serverCaller() {
  return createCaller(await createRequestContext());
}
