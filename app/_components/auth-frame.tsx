import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LanguageSwitch } from "./language-switch";

/** The centred frame of the signed-out pages (sign in, sign up, invite). */
export async function AuthFrame({ children, signedIn = false }: { children: ReactNode; signedIn?: boolean }) {
  const t = await getTranslations("app");
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex items-center justify-between">
        <div>
          <p className="text-lg font-semibold text-emerald-800">{t("name")}</p>
          <p className="text-sm text-slate-600">{t("tagline")}</p>
        </div>
        <LanguageSwitch signedIn={signedIn} />
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
