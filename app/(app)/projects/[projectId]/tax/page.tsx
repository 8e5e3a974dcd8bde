import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { PageTitle } from "../../../../_components/ui";
import { ProjectNav } from "../_components/project-nav";
import { TaxView } from "./tax-view";

export default async function TaxPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  const t = await getTranslations("tax");
  return (
    <div className="space-y-6">
      <ProjectNav project={project} client={client} active="tax" />
      <PageTitle sub={t("sub", { start: project.startDate, end: project.endDate })}>{t("title")}</PageTitle>
      <TaxView projectId={project.id} />
    </div>
  );
}
