import { createTranslator } from "next-intl";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import type { Locale } from "./config";

export const messages = { sv, en } as const;

/** Server-side translation outside React (tRPC error messages, job summaries). */
export function translator(locale: Locale, namespace?: string) {
  return createTranslator({ locale, messages: messages[locale], namespace: namespace as never });
}
