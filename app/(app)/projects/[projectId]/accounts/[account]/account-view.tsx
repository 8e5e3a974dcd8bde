"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../../../../_components/trpc-provider";
import { Alert, Card, EmptyState } from "../../../../../_components/ui";
import { AttachmentsPanel } from "../../_components/attachments-panel";
import { Amount, Figure } from "../../_components/closing-ui";
import { AnalysisPanel } from "./analysis-panel";
import { SchedulePanel } from "./schedule-panel";

type View = "schedule" | "analysis";

/** One account: its schedule (balance-sheet accounts) and its account analysis, as two tabs. */
export function AccountView({ projectId, account, year, balanceSheet, initialView }: { projectId: string; account: string; year: { start: string; end: string }; balanceSheet: boolean; initialView: View }) {
  const t = useTranslations("account");
  const tc = useTranslations("closing");
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [view, setView] = useState<View>(initialView);
  // The first page of the analysis carries the account's figures for the header.
  const head = useQuery(trpc.reconciliation.analysis.queryOptions({ projectId, account, limit: 1 }));

  const show = (v: View) => {
    setView(v);
    router.replace(`${pathname}?view=${v}`, { scroll: false });
  };

  if (head.error) {
    if (head.error.data?.fix === "import") {
      return (
        <EmptyState title={tc("noImport")}>
          <Link className="font-medium text-emerald-800 underline" href={`/projects/${projectId}/import`}>{tc("goImport")}</Link>
        </EmptyState>
      );
    }
    return <Alert>{head.error.message}</Alert>;
  }
  const h = head.data;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900" data-testid="account-title">
          <span className="font-mono">{account}</span> {h?.name ?? ""}
        </h1>
        {h && (
          <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Figure label={tc("col.ib")}><Amount ore={h.ibOre} /></Figure>
            <Figure label={tc("col.ub")} testId="account-ub"><Amount ore={h.ubOre} /></Figure>
            <Figure label={tc("col.adjustments")}><Amount ore={h.adjustmentOre} /></Figure>
            <Figure label={tc("col.adjusted")} testId="account-adjusted"><Amount ore={h.adjustedOre} /></Figure>
          </dl>
        )}
      </div>
      {balanceSheet && (
        <div role="tablist" aria-label={t("views")} className="flex gap-1 border-b border-slate-200 text-sm">
          {(["schedule", "analysis"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              onClick={() => show(v)}
              className={`-mb-px border-b-2 px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 ${view === v ? "border-emerald-700 font-medium text-emerald-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {t(v === "schedule" ? "tabSchedule" : "tabAnalysis")}
            </button>
          ))}
        </div>
      )}
      {balanceSheet && view === "schedule" ? (
        <SchedulePanel projectId={projectId} account={account} closingDate={year.end} />
      ) : (
        <>
          {!balanceSheet && <p className="text-sm text-slate-600">{t("incomeAccountHint")}</p>}
          <AnalysisPanel projectId={projectId} account={account} />
          {!balanceSheet && (
            <Card>
              <AttachmentsPanel projectId={projectId} target={{ account }} />
            </Card>
          )}
        </>
      )}
    </div>
  );
}
