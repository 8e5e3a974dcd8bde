import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { Card, PageTitle } from "../../_components/ui";
import { LanguageSwitch } from "../../_components/language-switch";
import { FirmNameForm } from "./firm-name-form";
import { InvitesPanel } from "./invites-panel";
import { MembersPanel } from "./members-panel";

export default async function SettingsPage() {
  const caller = await serverCaller();
  const [me, members] = await Promise.all([caller.account.me(), caller.firm.members()]);
  const t = await getTranslations("settings");
  const isOwner = me.firm?.role === "owner";
  return (
    <div className="space-y-6">
      <PageTitle sub={me.firm?.name}>{t("title")}</PageTitle>
      {isOwner && (
        <Card title={t("firm")}>
          <FirmNameForm name={me.firm!.name} />
        </Card>
      )}
      <Card title={t("members")}>
        {!isOwner && <p className="mb-3 text-sm text-slate-600">{t("ownersManage")}</p>}
        <MembersPanel initial={members} meId={me.user!.id} isOwner={isOwner} />
      </Card>
      {isOwner && (
        <Card title={t("inviteTitle")}>
          <p className="mb-4 text-sm text-slate-600">{t("inviteSub")}</p>
          <InvitesPanel />
        </Card>
      )}
      <Card title={t("languageTitle")}>
        <p className="mb-3 text-sm text-slate-600">{t("languageSub")}</p>
        <LanguageSwitch signedIn />
      </Card>
    </div>
  );
}
