import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { PageTitle } from "../../../../_components/ui";
import { ProjectNav } from "../_components/project-nav";
import { AdjustmentList } from "./adjustment-list";

export default async function AdjustmentsPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ account?: string }> }) {
  const [{ projectId }, { account }] = await Promise.all([params, searchParams]);
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  const t = await getTranslations("adjustments");
  return (
    <div className="space-y-6">
      <ProjectNav project={project} client={client} active="adjustments" />
      <PageTitle sub={t("sub", { start: project.startDate, end: project.endDate })}>{t("title")}</PageTitle>
      <AdjustmentList projectId={project.id} clientId={client.id} account={account ?? null} />
    </div>
  );
}
