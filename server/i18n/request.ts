import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { asLocale, defaultLocale, LOCALE_COOKIE, type Locale } from "./config";
import { messages } from "./messages";

// i18n knows nothing of sign-in: whoever knows the signed-in user's saved choice passes it in
// (server/auth/locale.ts, which is also next-intl's request config).

/** The signed-in user's saved choice wins; signed out, the cookie set by the language switch; else Swedish. */
export async function resolveLocale(savedLocale: () => Promise<Locale | null>): Promise<Locale> {
  return (await savedLocale()) ?? asLocale((await cookies()).get(LOCALE_COOKIE)?.value) ?? defaultLocale;
}

/** next-intl's per-request configuration for a way to find the saved choice. */
export function localeRequestConfig(savedLocale: () => Promise<Locale | null>) {
  return getRequestConfig(async () => {
    const locale = await resolveLocale(savedLocale);
    return { locale, messages: messages[locale], timeZone: "Europe/Stockholm" };
  });
}
