import { serverCaller } from "@/server/api/context";
import { ProjectNav } from "../../_components/project-nav";
import { AdjustmentEditor } from "../adjustment-editor";

export default async function AdjustmentPage({ params }: { params: Promise<{ projectId: string; adjustmentId: string }> }) {
  const { projectId, adjustmentId } = await params;
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  return (
    <div className="space-y-6">
      <ProjectNav project={project} client={client} active="adjustments" />
      <AdjustmentEditor projectId={project.id} year={{ start: project.startDate, end: project.endDate }} template={null} adjustmentId={adjustmentId} />
    </div>
  );
}
