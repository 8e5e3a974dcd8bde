import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getSessionUserId } from "@/server/auth/session";
import { AuthFrame } from "../_components/auth-frame";
import { safeCallbackUrl } from "../_components/safe-redirect";
import { SignUpForm } from "./sign-up-form";

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  if (await getSessionUserId()) redirect(callbackUrl);
  const t = await getTranslations("auth");
  return (
    <AuthFrame>
      <h1 className="text-xl font-semibold">{t("signUpTitle")}</h1>
      <p className="mb-5 mt-1 text-sm text-slate-600">{t("signUpSub")}</p>
      <SignUpForm callbackUrl={callbackUrl} />
      <p className="mt-5 text-sm text-slate-600">
        {t("haveAccount")}{" "}
        <Link className="font-medium text-emerald-800 underline" href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
          {t("signIn")}
        </Link>
      </p>
    </AuthFrame>
  );
}
