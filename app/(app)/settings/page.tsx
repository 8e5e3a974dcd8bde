import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { Card, PageTitle } from "../../_components/ui";
import { LanguageSwitch } from "../../_components/language-switch";
import { InviteLink } from "./invite-link";

export default async function SettingsPage() {
  const caller = await serverCaller();
  const [me, members] = await Promise.all([caller.account.me(), caller.firm.members()]);
  const t = await getTranslations("settings");
  return (
    <div className="space-y-6">
      <PageTitle sub={me.firm?.name}>{t("title")}</PageTitle>
      <Card title={t("members")}>
        <ul className="divide-y divide-slate-100 text-sm">
          {members.map((m) => (
            <li key={m.id} className="flex justify-between py-2">
              <span>{m.name} <span className="text-slate-500">{m.email}</span></span>
              <span className="text-slate-600">{t(`role_${m.role}`)}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("inviteTitle")}>
        <p className="mb-4 text-sm text-slate-600">{t("inviteSub")}</p>
        <InviteLink />
      </Card>
      <Card title={t("languageTitle")}>
        <p className="mb-3 text-sm text-slate-600">{t("languageSub")}</p>
        <LanguageSwitch signedIn />
      </Card>
    </div>
  );
}
