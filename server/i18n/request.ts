import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { asLocale, defaultLocale, LOCALE_COOKIE } from "./config";
import { messages } from "./messages";
import { getSessionUserId } from "@/server/auth/session";
import { getDb } from "@/db/client";
import { getUser } from "@/server/auth/users";

/** The signed-in user's saved choice wins; signed out, the cookie set by the language switch; else Swedish. */
export async function resolveLocale() {
  const userId = await getSessionUserId();
  if (userId) {
    const user = await getUser(await getDb(), userId);
    if (user) return user.locale;
  }
  return asLocale((await cookies()).get(LOCALE_COOKIE)?.value) ?? defaultLocale;
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: messages[locale], timeZone: "Europe/Stockholm" };
});
