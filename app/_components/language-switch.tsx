"use client";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "./trpc-provider";

/** Signed in: saved on the account. Signed out: a cookie. */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const t = useTranslations("nav");
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const save = useMutation(trpc.account.setLocale.mutationOptions({ onSuccess: () => router.refresh() }));
  const change = (next: "sv" | "en") => {
    if (signedIn) save.mutate({ locale: next });
    else {
      document.cookie = `NEXT_LOCALE=${next}; Path=/; Max-Age=31536000; SameSite=Lax`;
      router.refresh();
    }
  };
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <span className="sr-only">{t("language")}</span>
      <select
        aria-label={t("language")}
        value={locale}
        onChange={(e) => change(e.target.value as "sv" | "en")}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        <option value="sv">Svenska</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
