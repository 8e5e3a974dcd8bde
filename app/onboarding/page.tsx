import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { AuthFrame } from "../_components/auth-frame";
import { CreateFirmForm } from "./create-firm-form";

export default async function OnboardingPage() {
  const caller = await serverCaller();
  const me = await caller.account.me().catch(() => null);
  if (!me?.user) redirect("/signin?callbackUrl=/onboarding");
  if (me.firm) redirect("/clients");
  const t = await getTranslations("onboarding");
  return (
    <AuthFrame signedIn>
      <h1 className="text-xl font-semibold">{t("title", { name: me.user.name })}</h1>
      <p className="mb-5 mt-1 text-sm text-slate-600">{t("sub")}</p>
      <CreateFirmForm />
    </AuthFrame>
  );
}
