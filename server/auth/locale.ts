import "server-only";
import { getDb } from "@/db/client";
import type { Locale } from "@/server/i18n/config";
import { localeRequestConfig, resolveLocale } from "@/server/i18n/request";
import { getSessionUserId } from "./session";
import { getUser } from "./users";

// The request's locale needs the session, so it is put together here (auth → i18n) rather than in i18n: this file is
// next-intl's request config (next.config.mjs) and gives the tRPC context its locale.

/** The signed-in user's saved language, or null when signed out. */
async function savedLocale(): Promise<Locale | null> {
  const userId = await getSessionUserId();
  if (!userId) return null;
  const user = await getUser(await getDb(), userId);
  return user?.locale ?? null;
}

export function requestLocale(): Promise<Locale> {
  return resolveLocale(savedLocale);
}

export default localeRequestConfig(savedLocale);
