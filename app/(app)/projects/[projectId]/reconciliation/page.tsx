import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { PageTitle } from "../../../../_components/ui";
import { ProjectNav } from "../_components/project-nav";
import { TrialBalanceView } from "./trial-balance-view";

export default async function ReconciliationPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  const t = await getTranslations("reconciliation");
  return (
    <div className="space-y-6">
      <ProjectNav project={project} client={client} active="reconciliation" />
      <PageTitle sub={t("sub", { start: project.startDate, end: project.endDate })}>{t("title")}</PageTitle>
      <TrialBalanceView projectId={project.id} />
    </div>
  );
}
