import Link from "next/link";
import { getTranslations } from "next-intl/server";

export type ProjectTab = "overview" | "import" | "reconciliation" | "adjustments" | "tax" | "activity";

/** Breadcrumb and the project's sections, on every page of the closing work. */
export async function ProjectNav({ project, client, active }: { project: { id: string; name: string }; client: { id: string; name: string }; active: ProjectTab }) {
  const t = await getTranslations("closing");
  const tabs: { key: ProjectTab; href: string }[] = [
    { key: "overview", href: `/projects/${project.id}` },
    { key: "import", href: `/projects/${project.id}/import` },
    { key: "reconciliation", href: `/projects/${project.id}/reconciliation` },
    { key: "adjustments", href: `/projects/${project.id}/adjustments` },
    { key: "tax", href: `/projects/${project.id}/tax` },
    { key: "activity", href: `/projects/${project.id}/activity` },
  ];
  return (
    <div className="space-y-3">
      <nav className="text-sm text-slate-600" aria-label={t("breadcrumb")}>
        <Link className="hover:underline" href={`/clients/${client.id}`}>{client.name}</Link> ·{" "}
        <Link className="hover:underline" href={`/projects/${project.id}`}>{project.name}</Link>
      </nav>
      <nav aria-label={t("sections")} className="flex flex-wrap gap-1 border-b border-slate-200 text-sm">
        {tabs.map((tab) => (
          <Link
            key={tab.key}
            href={tab.href}
            aria-current={tab.key === active ? "page" : undefined}
            className={`-mb-px rounded-t-md border-b-2 px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 ${
              tab.key === active ? "border-emerald-700 font-medium text-emerald-900" : "border-transparent text-slate-600 hover:text-slate-900"
            }`}
          >
            {t(`nav.${tab.key}`)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
