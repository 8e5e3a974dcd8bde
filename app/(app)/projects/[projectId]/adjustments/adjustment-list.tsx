"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ADJUSTMENT_TEMPLATES } from "@/lib/adjustment-templates";
import { formatOre } from "@/lib/money";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, EmptyState, Select } from "../../../../_components/ui";
import { errorText } from "../_components/closing-ui";
import { ExportPanel } from "./export-panel";

export const STATUS_STYLE = { notExported: "bg-slate-100 text-slate-700", exporting: "bg-amber-100 text-amber-900", exported: "bg-emerald-100 text-emerald-900" } as const;

export function AdjustmentList({ projectId, clientId, account }: { projectId: string; clientId: string; account: string | null }) {
  const t = useTranslations("adjustments");
  const tc = useTranslations("closing");
  const te = useTranslations("errors");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const templateId = useId();
  const [template, setTemplate] = useState<string>(ADJUSTMENT_TEMPLATES[0].key);
  const list = useQuery(trpc.adjustment.list.queryOptions({ projectId }));
  const tb = useQuery(trpc.reconciliation.trialBalance.queryOptions({ projectId }));
  const [notice, setNotice] = useState<string | null>(null);
  const closing = useMutation(
    trpc.adjustment.closingEntry.mutationOptions({
      onSuccess: (r) => {
        setNotice(r ? t("closingEntryDone", { amount: formatOre(r.resultOre) }) : t("closingEntryRemoved"));
        void qc.invalidateQueries({ queryKey: trpc.adjustment.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.reconciliation.pathKey() });
      },
    }),
  );

  if (list.error?.data?.fix === "import" || tb.error?.data?.fix === "import") {
    return (
      <EmptyState title={tc("noImport")}>
        <Link className="font-medium text-emerald-800 underline" href={`/projects/${projectId}/import`}>{tc("goImport")}</Link>
      </EmptyState>
    );
  }
  const items = (list.data ?? []).filter((a) => !account || a.rows.some((r) => r.account === account));
  const unbooked = tb.data?.check.adjusted.unbookedResultOre ?? null;

  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-end gap-4">
          <Link href={`/projects/${projectId}/adjustments/new`} className="inline-flex items-center rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2">
            {t("new")}
          </Link>
          <form
            className="flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              router.push(`/projects/${projectId}/adjustments/new?template=${template}`);
            }}
          >
            <div>
              <label htmlFor={templateId} className="block text-xs text-slate-600">{t("templatePick")}</label>
              <Select id={templateId} value={template} onChange={(e) => setTemplate(e.target.value)} className="py-1.5">
                {ADJUSTMENT_TEMPLATES.map((x) => <option key={x.key} value={x.key}>{t(`template.${x.key}`)}</option>)}
              </Select>
            </div>
            <Button type="submit" variant="secondary">{t("fromTemplate")}</Button>
          </form>
          <div className="ml-auto text-right">
            {unbooked !== null && (
              <p className="mb-1 text-xs text-slate-600" data-testid="unbooked-result">
                {unbooked === 0 ? t("resultBooked") : t("unbooked", { amount: formatOre(unbooked) })}
              </p>
            )}
            <Button variant="secondary" onClick={() => closing.mutate({ projectId })} disabled={closing.isPending} title={t("closingEntryHint")}>
              {t("closingEntry")}
            </Button>
          </div>
        </div>
        {notice && <p className="mt-3 text-sm text-emerald-800" role="status">{notice}</p>}
        {closing.error && <div className="mt-3"><Alert>{errorText(closing.error, te("internal"))}</Alert></div>}
      </Card>

      {account && (
        <p className="text-sm text-slate-700">
          {t("filterAccount", { account })} <Link className="text-emerald-800 underline" href={`/projects/${projectId}/adjustments`}>{t("clearFilter")}</Link>
        </p>
      )}

      {list.error && <Alert>{list.error.message}</Alert>}
      {list.data && items.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm" data-testid="adjustment-list">
            <thead className="bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.number")}</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.date")}</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.text")}</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.accounts")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("col.amount")}</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.status")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("col.attachments")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} className="border-t border-slate-100 hover:bg-slate-50" data-testid={`adjustment-${a.number}`}>
                  <td className="px-3 py-2">
                    <Link href={`/projects/${projectId}/adjustments/${a.id}`} className="font-medium text-emerald-800 hover:underline">{a.number}</Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">{a.date}</td>
                  <td className="px-3 py-2">
                    <Link href={`/projects/${projectId}/adjustments/${a.id}`} className="hover:underline">{a.text}</Link>
                    {a.kind !== "manual" && <span className="ml-2 text-xs text-slate-500">{t(`kind.${a.kind}` as never)}</span>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{[...new Set(a.rows.map((r) => r.account))].join(", ")}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatOre(a.debitOre)}</td>
                  <td className="px-3 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.status]}`} data-testid="adjustment-status">
                      {a.status === "exported" && a.fortnoxRef ? t("exportedAs", { series: a.fortnoxRef.series, number: a.fortnoxRef.number }) : t(`status.${a.status}`)}
                    </span>
                    {a.inLedger && <span className="ml-2 text-xs text-slate-500">{t("inLedger")}</span>}
                  </td>
                  <td className="px-3 py-2 text-right">{a.attachmentIds.length || ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.length > 0 && <ExportPanel projectId={projectId} clientId={clientId} adjustments={list.data} />}
    </div>
  );
}
