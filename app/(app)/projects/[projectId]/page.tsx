import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { formatOrgNr } from "@/lib/org-nr";
import type { StepKey, StepState } from "@/server/closing/overview";
import { Card, PageTitle } from "../../../_components/ui";
import { ProjectActions } from "./project-actions";

const STATE_STYLE: Record<StepState, string> = {
  done: "bg-emerald-100 text-emerald-900",
  todo: "bg-amber-100 text-amber-900",
  waiting: "bg-slate-100 text-slate-600",
  notNeeded: "bg-slate-100 text-slate-500",
};

/** Where each step's work happens; steps without a page yet explain what comes first. */
function stepHref(key: StepKey, clientId: string, projectId: string): string | null {
  if (key === "connect") return `/clients/${clientId}/connection?projectId=${projectId}`;
  if (key === "import") return `/projects/${projectId}/import`;
  if (key === "reconcile") return `/projects/${projectId}/reconciliation`;
  if (key === "adjust" || key === "export") return `/projects/${projectId}/adjustments`;
  if (key === "tax") return `/projects/${projectId}/tax`;
  return null;
}

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, client, steps, connection } = await (await serverCaller()).project.overview({ projectId });
  const t = await getTranslations("projects");
  const ts = await getTranslations("steps");
  const format = await getFormatter();
  const d = (s: string) => format.dateTime(new Date(`${s}T12:00:00Z`), { dateStyle: "medium" });
  return (
    <div className="space-y-6">
      <nav className="text-sm text-slate-600">
        <Link className="hover:underline" href={`/clients/${client.id}`}>{client.name}</Link> ·{" "}
        <span className="font-mono">{formatOrgNr(client.orgNr)}</span>
      </nav>
      <PageTitle sub={`${t("period", { start: d(project.startDate), end: d(project.endDate) })} · ${t("sourceNow", { source: t(`source_${project.dataSource}`) })}`}>
        {project.name}
      </PageTitle>
      <ol aria-label={t("overview")} className="grid gap-3 md:grid-cols-6">
        {steps.map((s, i) => {
          const href = stepHref(s.key, client.id, project.id);
          const body = (
            <>
              <div className="flex items-center justify-between gap-2">
                <span className="text-xs font-semibold text-slate-500">{i + 1}</span>
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLE[s.state]}`} data-testid={`step-${s.key}-state`}>
                  {ts(`state_${s.state}`)}
                </span>
              </div>
              <p className="mt-2 font-semibold text-slate-900">{ts(s.key)}</p>
              <p className="mt-1 text-sm text-slate-600">
                {s.key === "connect" && s.state === "todo" && connection
                  ? ts(`connect_todo_${connection}` as never)
                  : ts(`${s.key}_${s.state}` as never, (s.params ?? {}) as never)}
              </p>
            </>
          );
          return (
            <li key={s.key} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`step-${s.key}`}>
              {href ? (
                <Link href={href} className="block rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600" aria-label={ts("goTo", { step: ts(s.key) })}>
                  {body}
                </Link>
              ) : (
                body
              )}
            </li>
          );
        })}
      </ol>
      <div className="flex gap-3">
        <Link href={`/projects/${project.id}/activity`} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">
          {t("activity")}
        </Link>
      </div>
      <Card>
        <ProjectActions project={{ id: project.id, name: project.name, dataSource: project.dataSource, clientId: client.id }} />
      </Card>
    </div>
  );
}
