import "server-only";
import { getDb } from "@/db/client";
import { getSessionUserId } from "@/server/auth/session";
import { resolveLocale } from "@/server/i18n/request";
import type { TRPCContext } from "./trpc";
import { createCaller } from "./root";

export async function createRequestContext(resHeaders?: Headers): Promise<TRPCContext> {
  const [db, userId, locale] = await Promise.all([getDb(), getSessionUserId(), resolveLocale()]);
  return { db, userId, locale, resHeaders };
}

/** The tRPC caller for server components: same procedures, same access checks, no HTTP. */
export async function serverCaller() {
  return createCaller(await createRequestContext());
}
