import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { ADJUSTMENT_TEMPLATES } from "@/lib/adjustment-templates";
import { PageTitle } from "../../../../../_components/ui";
import { ProjectNav } from "../../_components/project-nav";
import { AdjustmentEditor } from "../adjustment-editor";

export default async function NewAdjustmentPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ template?: string }> }) {
  const [{ projectId }, { template }] = await Promise.all([params, searchParams]);
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  const t = await getTranslations("adjustments");
  const tpl = ADJUSTMENT_TEMPLATES.find((x) => x.key === template)?.key ?? null;
  return (
    <div className="space-y-6">
      <ProjectNav project={project} client={client} active="adjustments" />
      <PageTitle sub={tpl ? t(`templateHint.${tpl}`) : undefined}>{tpl ? t("newFromTemplate", { template: t(`template.${tpl}`) }) : t("new")}</PageTitle>
      <AdjustmentEditor projectId={project.id} year={{ start: project.startDate, end: project.endDate }} template={tpl} adjustmentId={null} />
    </div>
  );
}
