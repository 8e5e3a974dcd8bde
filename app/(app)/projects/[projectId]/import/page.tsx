import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { isSandboxMode } from "@/server/env";
import { PageTitle } from "../../../../_components/ui";
import { ImportPanel } from "./import-panel";

export default async function ImportPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, client } = await (await serverCaller()).project.get({ projectId });
  const t = await getTranslations("import");
  return (
    <div className="space-y-6">
      <nav className="text-sm text-slate-600">
        <Link className="hover:underline" href={`/clients/${client.id}`}>{client.name}</Link> ·{" "}
        <Link className="hover:underline" href={`/projects/${project.id}`}>{project.name}</Link>
      </nav>
      <PageTitle sub={t("sub", { project: project.name, start: project.startDate, end: project.endDate })}>{t("title")}</PageTitle>
      <ImportPanel
        project={{ id: project.id, clientId: client.id, dataSource: project.dataSource, startDate: project.startDate, endDate: project.endDate }}
        sandbox={isSandboxMode()}
      />
    </div>
  );
}
