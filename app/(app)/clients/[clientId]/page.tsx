import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { formatOrgNr } from "@/lib/org-nr";
import { monthsOf } from "@/server/closing/financial-year";
import { Card, EmptyState, PageTitle } from "../../../_components/ui";
import { CreateProjectForm } from "./create-project-form";
import { ClientActions } from "./client-actions";

export default async function ClientPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { clientId } = await params;
  const caller = await serverCaller();
  const client = await caller.client.get({ clientId });
  const projects = await caller.project.list({ clientId });
  const t = await getTranslations("projects");
  const tc = await getTranslations("clients");
  const format = await getFormatter();
  const d = (s: string) => format.dateTime(new Date(`${s}T12:00:00Z`), { dateStyle: "medium" });
  return (
    <div className="space-y-6">
      <PageTitle sub={formatOrgNr(client.orgNr)}>{client.name}</PageTitle>
      <div className="flex flex-wrap gap-3">
        <Link href={`/clients/${client.id}/connection`} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">
          {tc("connection")}
        </Link>
      </div>
      <Card title={t("title")}>
        {projects.length === 0 ? (
          <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {projects.map((p) => (
              <li key={p.id} className="flex items-center justify-between py-3">
                <Link href={`/projects/${p.id}`} className="font-medium text-emerald-800 hover:underline">
                  {p.name}
                </Link>
                <span className="text-sm text-slate-600">
                  {t("period", { start: d(p.startDate), end: d(p.endDate) })} · {t("months", { count: monthsOf(p.startDate, p.endDate) })} ·{" "}
                  {t(`source_${p.dataSource}`)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t("new")}>
        <CreateProjectForm clientId={client.id} />
      </Card>
      <Card title={tc("editClient")}>
        <ClientActions client={{ id: client.id, name: client.name, orgNr: formatOrgNr(client.orgNr) }} />
      </Card>
    </div>
  );
}
