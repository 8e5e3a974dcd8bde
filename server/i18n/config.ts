export const locales = ["sv", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "sv";
export const LOCALE_COOKIE = "NEXT_LOCALE";

export function asLocale(v: string | undefined | null): Locale | undefined {
  return v === "sv" || v === "en" ? v : undefined;
}
