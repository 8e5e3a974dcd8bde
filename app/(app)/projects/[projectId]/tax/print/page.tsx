import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { formatOrgNr } from "@/lib/org-nr";
import type { FormField } from "@/server/tax/types";
import { formatOre } from "@/lib/money";
import { EmptyState } from "../../../../../_components/ui";
import { PrintButton } from "./print-button";

// INK2R and INK2S as paper-like pages: accountants review the return on paper before filing. The app's header is
// print:hidden (app/(app)/layout.tsx); each form starts a new page.

function FormTable({ title, fields, caption }: { title: string; fields: FormField[]; caption: string }) {
  return (
    <section className="break-after-page rounded border border-slate-300 bg-white p-6 print:border-0 print:p-0">
      <h2 className="mb-3 text-lg font-semibold">{title}</h2>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <tbody>
          {fields.filter((f) => f.kronor !== 0).map((f) => (
            <tr key={f.code} className="border-b border-slate-200">
              <td className="w-16 py-1 tabular-nums">{f.row}</td>
              <td className="py-1">{f.label}</td>
              <td className="w-16 py-1 font-mono text-xs text-slate-500">{f.code}</td>
              <td className="w-40 py-1 text-right tabular-nums">{formatOre(f.kronor * 100).replace(/,00$/, "")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default async function TaxPrintPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const caller = await serverCaller();
  const { project, client } = await caller.project.get({ projectId });
  const t = await getTranslations("tax");
  const tc = await getTranslations("closing");
  const data = await caller.tax.get({ projectId }).catch(() => null);
  if (!data) return <EmptyState title={tc("noImport")} />;
  const c = data.computation;
  return (
    <div className="space-y-6 print:space-y-0">
      <div className="flex items-center justify-between print:hidden">
        <Link href={`/projects/${project.id}/tax`} className="text-sm text-emerald-800 hover:underline">← {t("title")}</Link>
        <PrintButton label={t("printNow")} />
      </div>
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">{t("printTitle", { name: client.name })}</h1>
        <p className="text-sm text-slate-600">
          {formatOrgNr(client.orgNr)} · {project.startDate} – {project.endDate} · {c.year.period}
        </p>
        <p className="text-sm text-slate-600">{t("printKronor")}</p>
      </header>
      <FormTable title={`INK2R – ${t("ink2rTitle")}`} fields={c.ink2r} caption="INK2R" />
      <FormTable title={`INK2S – ${t("ink2sTitle")}`} fields={c.ink2s} caption="INK2S" />
    </div>
  );
}
