import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { EmptyState, PageTitle } from "../../../../_components/ui";

export default async function ActivityPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const caller = await serverCaller();
  const { project } = await caller.project.get({ projectId });
  const [entries, members] = await Promise.all([caller.project.activity({ projectId }), caller.firm.members()]);
  const names = new Map(members.map((m) => [m.id, m.name]));
  const t = await getTranslations("activity");
  const format = await getFormatter();
  const actionLabel = (a: string) => (t.has(`action.${a}` as never) ? t(`action.${a}` as never) : a);
  return (
    <div className="space-y-6">
      <Link href={`/projects/${project.id}`} className="text-sm text-emerald-800 hover:underline">← {project.name}</Link>
      <PageTitle sub={t("sub", { name: project.name })}>{t("title")}</PageTitle>
      {entries.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">{t("when")}</th>
                <th className="px-4 py-2 font-medium">{t("who")}</th>
                <th className="px-4 py-2 font-medium">{t("what")}</th>
                <th className="px-4 py-2 font-medium">{t("outcome")}</th>
                <th className="px-4 py-2 font-medium">{t("details")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="whitespace-nowrap px-4 py-2">{format.dateTime(e.createdAt, { dateStyle: "short", timeStyle: "medium" })}</td>
                  <td className="px-4 py-2">{e.userId ? (names.get(e.userId) ?? "–") : t("system")}</td>
                  <td className="px-4 py-2">{actionLabel(e.action)}</td>
                  <td className="px-4 py-2">{t(`outcome_${e.outcome}`)}</td>
                  <td className="px-4 py-2 font-mono text-xs text-slate-600">
                    {Object.entries(e.details).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
