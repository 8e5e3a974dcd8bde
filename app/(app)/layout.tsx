import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { LanguageSwitch } from "../_components/language-switch";
import { SignOutButton } from "../_components/sign-out-button";

/** Every page in here needs a signed-in member of a firm. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const caller = await serverCaller();
  const me = await caller.account.me().catch(() => null);
  if (!me?.user) {
    const path = (await headers()).get("x-request-path") ?? "/";
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (!me.firm) redirect("/onboarding");
  const t = await getTranslations("nav");
  const ta = await getTranslations("app");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-6">
            <Link href="/clients" className="font-semibold text-emerald-800">
              {ta("name")}
            </Link>
            <nav aria-label={t("mainNav")} className="flex gap-1 text-sm">
              <Link className="rounded-md px-3 py-1.5 hover:bg-slate-100" href="/clients">{t("clients")}</Link>
              <Link className="rounded-md px-3 py-1.5 hover:bg-slate-100" href="/connections">{t("connections")}</Link>
              <Link className="rounded-md px-3 py-1.5 hover:bg-slate-100" href="/settings">{t("settings")}</Link>
            </nav>
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 sm:inline" data-testid="firm-name">{me.firm.name} · {me.user.name}</span>
            <LanguageSwitch signedIn />
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 print:max-w-none print:p-0">{children}</main>
    </div>
  );
}
