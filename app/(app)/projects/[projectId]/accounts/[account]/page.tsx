import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { isBalanceSheetAccount } from "@/server/closing/bas";
import { ProjectNav } from "../../_components/project-nav";
import { AccountView } from "./account-view";

export default async function AccountPage({ params, searchParams }: { params: Promise<{ projectId: string; account: string }>; searchParams: Promise<{ view?: string }> }) {
  const [{ projectId, account: raw }, { view }] = await Promise.all([params, searchParams]);
  let account = raw;
  try {
    account = decodeURIComponent(raw);
  } catch {}
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  const t = await getTranslations("account");
  const balance = isBalanceSheetAccount(account);
  return (
    <div className="space-y-6">
      <ProjectNav project={project} client={client} active="reconciliation" />
      <Link href={`/projects/${project.id}/reconciliation`} className="text-sm text-emerald-800 hover:underline">← {t("back")}</Link>
      <AccountView
        projectId={project.id}
        account={account}
        year={{ start: project.startDate, end: project.endDate }}
        balanceSheet={balance}
        initialView={balance && view !== "analysis" ? "schedule" : "analysis"}
      />
    </div>
  );
}
