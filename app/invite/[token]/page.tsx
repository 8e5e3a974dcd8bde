import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { AuthFrame } from "../../_components/auth-frame";
import { Alert } from "../../_components/ui";
import { AcceptInvite } from "./accept-invite";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations("invite");
  const ta = await getTranslations("auth");
  const caller = await serverCaller();
  const invite = await caller.firm.describeInvite({ token }).catch(() => null);
  const me = await caller.account.me().catch(() => null);
  const here = `/invite/${encodeURIComponent(token)}`;
  if (!invite) {
    return (
      <AuthFrame signedIn={!!me}>
        <Alert>{t("invalid")}</Alert>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame signedIn={!!me}>
      <h1 className="text-xl font-semibold">{t("title", { firm: invite.firmName })}</h1>
      <p className="mb-5 mt-1 text-sm text-slate-600">{t("sub", { firm: invite.firmName })}</p>
      {!me ? (
        <div className="space-y-3">
          <p className="text-sm">{t("signUpFirst")}</p>
          <div className="flex gap-3">
            <Link className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white" href={`/signup?callbackUrl=${encodeURIComponent(here)}`}>
              {ta("signUp")}
            </Link>
            <Link className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium" href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>
              {ta("signIn")}
            </Link>
          </div>
        </div>
      ) : me.firm ? (
        <Alert kind="info">{t("alreadyMember", { firm: me.firm.name })}</Alert>
      ) : (
        <AcceptInvite token={token} label={t("accept", { firm: invite.firmName })} />
      )}
    </AuthFrame>
  );
}
