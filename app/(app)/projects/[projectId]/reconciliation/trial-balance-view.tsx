"use client";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { Fragment, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { formatOre } from "@/lib/money";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, EmptyState } from "../../../../_components/ui";
import { Amount, StatusChip } from "../_components/closing-ui";

type TB = inferRouterOutputs<AppRouter>["reconciliation"]["trialBalance"];
type Section = TB["balance"][number];
type Account = Section["groups"][number]["accounts"][number];
type Check = TB["check"]["ub"];

const isEmpty = (a: Account) => a.ibOre === 0 && a.changeOre === 0 && a.adjustmentOre === 0 && !a.schedule?.id && a.attachmentCount === 0;

export function TrialBalanceView({ projectId }: { projectId: string }) {
  const t = useTranslations("reconciliation");
  const tc = useTranslations("closing");
  const format = useFormatter();
  const trpc = useTRPC();
  const q = useQuery(trpc.reconciliation.trialBalance.queryOptions({ projectId }));
  const [tab, setTab] = useState<"balance" | "income">("balance");
  const [showZero, setShowZero] = useState(false);
  const [onlyDiff, setOnlyDiff] = useState(false);

  if (q.error) {
    if (q.error.data?.fix === "import") {
      return (
        <EmptyState title={tc("noImport")}>
          <Link className="font-medium text-emerald-800 underline" href={`/projects/${projectId}/import`}>{tc("goImport")}</Link>
        </EmptyState>
      );
    }
    return <Alert>{q.error.message}</Alert>;
  }
  if (!q.data) return <p className="text-sm text-slate-600">{tc("loading")}</p>;
  const tb = q.data;
  const visible = (a: Account) => (showZero || !isEmpty(a)) && (!onlyDiff || (a.schedule?.lead && a.schedule.differenceOre !== 0) || (!a.schedule && a.adjustedOre !== 0));
  const balanceTab = tab === "balance";
  const sections = balanceTab ? tb.balance : [...tb.income, ...tb.other];
  const cols = balanceTab ? 10 : 7;

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {t("importedAt", { when: tb.publishedAt ? format.dateTime(new Date(tb.publishedAt), { dateStyle: "medium", timeStyle: "short" }) : "–", source: tc(`source.${tb.source}`) })}
      </p>
      <CheckBanner check={tb.check} />
      <p className="text-sm text-slate-700" data-testid="reconcile-progress">
        {t("progress", { reconciled: tb.progress.reconciled, total: tb.progress.toReconcile })}
        {tb.progress.changedSinceSignOff > 0 && <span className="ml-2 font-medium text-red-700">{t("changedCount", { count: tb.progress.changedSinceSignOff })}</span>}
      </p>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="tablist" aria-label={t("title")} className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 text-sm">
          {(["balance", "income"] as const).map((k) => (
            <button
              key={k}
              role="tab"
              type="button"
              aria-selected={tab === k}
              onClick={() => setTab(k)}
              className={`rounded px-3 py-1.5 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 ${tab === k ? "bg-emerald-700 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {t(k === "balance" ? "tabBalance" : "tabIncome")}
            </button>
          ))}
        </div>
        <div className="flex flex-wrap gap-4 text-sm text-slate-700">
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" checked={showZero} onChange={(e) => setShowZero(e.target.checked)} /> {t("showZero")}
          </label>
          {balanceTab && (
            <label className="inline-flex items-center gap-2">
              <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> {t("onlyDifferences")}
            </label>
          )}
        </div>
      </div>

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-sm" data-testid={`trial-balance-${tab}`}>
          <thead className="sticky top-0 bg-slate-50 text-xs text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">{tc("col.account")}</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">{tc("col.name")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.ib")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.change")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.ub")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.adjustments")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.adjusted")}</th>
              {balanceTab && (
                <>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.specified")}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{tc("col.difference")}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{tc("col.status")}</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {sections.map((s) => (
              <SectionRows key={s.key} section={s} projectId={projectId} balanceTab={balanceTab} cols={cols} visible={visible} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const anyVisible = (s: Section, visible: (a: Account) => boolean): boolean =>
  s.groups.some((g) => g.accounts.some(visible)) || s.children.some((c) => anyVisible(c, visible));

function SectionRows({ section, projectId, balanceTab, cols, visible }: { section: Section; projectId: string; balanceTab: boolean; cols: number; visible: (a: Account) => boolean }) {
  const tb = useTranslations("bas");
  const t = useTranslations("reconciliation");
  const name = tb(`heading.${section.key}` as never);
  const pad = ["pl-3", "pl-6", "pl-9"][section.level] ?? "pl-9";
  // Headings without a visible account are left out, except the statement's main headings and running results.
  if (section.level > 0 && !section.resultAfter && !anyVisible(section, visible)) return null;
  const shownGroups = section.groups.filter((g) => g.accounts.some(visible)).length;
  return (
    <>
      <tr className="border-t border-slate-200 bg-slate-50/60">
        <th colSpan={cols} scope="rowgroup" className={`${pad} py-2 text-left font-semibold text-slate-900 ${section.level === 0 ? "text-base" : ""}`}>{name}</th>
      </tr>
      {section.groups.map((g) => {
        const accounts = g.accounts.filter(visible);
        if (!accounts.length) return null;
        return (
          <Fragment key={g.key}>
            <tr>
              <td colSpan={cols} className={`${pad} pt-2 text-xs font-medium uppercase tracking-wide text-slate-500`}>
                {g.key === "other" ? tb("group.other") : `${g.key} ${tb(`group.${g.key}` as never)}`}
              </td>
            </tr>
            {accounts.map((a) => (
              <AccountRow key={a.number} a={a} projectId={projectId} balanceTab={balanceTab} />
            ))}
            {/* A group alone under its heading has the heading's total. */}
            {(shownGroups > 1 || section.children.length > 0) && (
              <TotalRow label={t("total", { name: g.key === "other" ? tb("group.other") : tb(`group.${g.key}` as never) })} amounts={g.total} balanceTab={balanceTab} subtle />
            )}
          </Fragment>
        );
      })}
      {section.children.map((c) => (
        <SectionRows key={c.key} section={c} projectId={projectId} balanceTab={balanceTab} cols={cols} visible={visible} />
      ))}
      <TotalRow label={t("total", { name })} amounts={section.total} balanceTab={balanceTab} level={section.level} />
      {section.resultAfter && <TotalRow label={tb(`heading.${section.resultAfter.key}` as never)} amounts={section.resultAfter.amounts} balanceTab={balanceTab} result />}
    </>
  );
}

function TotalRow({ label, amounts, balanceTab, subtle, result, level = 2 }: { label: string; amounts: Section["total"]; balanceTab: boolean; subtle?: boolean; result?: boolean; level?: number }) {
  const cls = result ? "border-y-2 border-slate-300 bg-emerald-50/60 font-semibold" : subtle ? "text-slate-600" : level === 0 ? "border-t-2 border-slate-300 font-semibold" : "border-t border-slate-200 font-medium";
  return (
    <tr className={cls}>
      <td />
      <td className="px-3 py-1.5">{label}</td>
      {(["ibOre", "changeOre", "ubOre", "adjustmentOre", "adjustedOre"] as const).map((k) => (
        <td key={k} className="px-3 py-1.5 text-right"><Amount ore={amounts[k]} /></td>
      ))}
      {balanceTab && <td colSpan={3} />}
    </tr>
  );
}

function AccountRow({ a, projectId, balanceTab }: { a: Account; projectId: string; balanceTab: boolean }) {
  const t = useTranslations("reconciliation");
  const base = `/projects/${projectId}/accounts/${encodeURIComponent(a.number)}`;
  const analysis = `${base}?view=analysis`;
  const schedule = `${base}?view=schedule`;
  const s = a.schedule;
  const link = (href: string, ore: number, label: string) => (
    <Link href={href} className="rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600" aria-label={label}>
      <Amount ore={ore} muted />
    </Link>
  );
  return (
    <tr className="border-t border-slate-100 hover:bg-slate-50" data-testid={`tb-row-${a.number}`}>
      <td className="px-3 py-1.5 font-mono">
        <Link href={balanceTab ? schedule : analysis} className="text-emerald-800 hover:underline">{a.number}</Link>
      </td>
      <td className="px-3 py-1.5">
        {a.name ?? "–"}
        {a.isNew && <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-900">{t("newAccount")}</span>}
        {a.attachmentCount > 0 && <span className="ml-2 text-xs text-slate-500" title={t("attachments", { count: a.attachmentCount })}>📎 {a.attachmentCount}</span>}
      </td>
      <td className="px-3 py-1.5 text-right">{link(analysis, a.ibOre, t("openAnalysisOf", { account: a.number, what: t("ib") }))}</td>
      <td className="px-3 py-1.5 text-right">{link(analysis, a.changeOre, t("openAnalysisOf", { account: a.number, what: t("change") }))}</td>
      <td className="px-3 py-1.5 text-right" data-testid={`tb-ub-${a.number}`}>{link(analysis, a.ubOre, t("openAnalysisOf", { account: a.number, what: t("ub") }))}</td>
      <td className="px-3 py-1.5 text-right" data-testid={`tb-adj-${a.number}`}>
        {a.adjustmentOre !== 0 ? (
          <Link href={`/projects/${projectId}/adjustments?account=${encodeURIComponent(a.number)}`} className="hover:underline"><Amount ore={a.adjustmentOre} /></Link>
        ) : (
          <Amount ore={0} muted />
        )}
      </td>
      <td className="px-3 py-1.5 text-right font-medium" data-testid={`tb-adjusted-${a.number}`}>{link(analysis, a.adjustedOre, t("openAnalysisOf", { account: a.number, what: t("adjusted") }))}</td>
      {balanceTab && (
        <>
          <td className="px-3 py-1.5 text-right" data-testid={`tb-specified-${a.number}`}>
            {s && s.lead ? (
              <Link href={schedule} className="hover:underline"><Amount ore={s.specifiedOre} /></Link>
            ) : s ? (
              <span className="text-xs text-slate-500">{t("partOf", { account: s.accounts[0] })}</span>
            ) : (
              <span className="text-slate-400">–</span>
            )}
          </td>
          <td className="px-3 py-1.5 text-right" data-testid={`tb-diff-${a.number}`}>
            {s?.lead ? <Amount ore={s.differenceOre} alert={s.differenceOre !== 0} muted /> : !s && a.adjustedOre !== 0 ? <Amount ore={-a.adjustedOre} /> : null}
          </td>
          <td className="px-3 py-1.5" data-testid={`tb-status-${a.number}`}>
            <Link href={schedule} className="focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600">
              <StatusChip status={s?.status ?? "not_started"} changed={s?.changedSinceSignOff} />
            </Link>
          </td>
        </>
      )}
    </tr>
  );
}

function CheckBanner({ check }: { check: TB["check"] }) {
  const t = useTranslations("reconciliation");
  const row = (label: string, c: Check, testId: string) => (
    <tr className="border-t border-slate-200/60" data-testid={testId} data-ok={c.ok}>
      <th scope="row" className="py-1 pr-4 text-left font-medium">{label}</th>
      <td className="py-1 pr-4 text-right tabular-nums">{formatOre(c.assetsOre)}</td>
      <td className="py-1 pr-4 text-right tabular-nums">{formatOre(c.equityAndLiabilitiesOre)}</td>
      <td className="py-1 pr-4 text-right tabular-nums">{formatOre(c.resultOre)}</td>
      <td className="py-1 pr-4 text-right tabular-nums">{formatOre(c.bookedResultOre)}</td>
      <td className={`py-1 text-right font-semibold tabular-nums ${c.ok ? "text-emerald-800" : "text-red-700"}`}>{formatOre(c.differenceOre)}</td>
    </tr>
  );
  const ok = check.ub.ok && check.adjusted.ok;
  return (
    <Alert kind={ok ? "success" : "error"}>
      <p className="font-medium" data-testid="balance-check">{ok ? t("checkOk") : t("checkFail", { difference: formatOre(check.adjusted.ok ? check.ub.differenceOre : check.adjusted.differenceOre) })}</p>
      <p className="mt-1">
        {t("resultLine", { result: formatOre(Math.abs(check.adjusted.resultOre)), kind: check.adjusted.resultOre >= 0 ? "profit" : "loss" })}{" "}
        {check.adjusted.unbookedResultOre === 0 ? t("resultBooked") : t("resultUnbooked", { amount: formatOre(check.adjusted.unbookedResultOre) })}
      </p>
      <details className="mt-2">
        <summary className="cursor-pointer font-medium underline">{t("checkDetails")}</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="text-sm">
            <thead className="text-xs">
              <tr>
                <td />
                <th scope="col" className="py-1 pr-4 text-right font-medium">{t("checkAssets")}</th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">{t("checkEquityAndLiabilities")}</th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">{t("checkResult")}</th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">{t("checkBooked")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("checkDifference")}</th>
              </tr>
            </thead>
            <tbody>
              {row(t("checkBefore"), check.ub, "check-ub")}
              {row(t("checkAfter"), check.adjusted, "check-adjusted")}
            </tbody>
          </table>
          <p className="mt-2 text-xs">{t("checkExplain")}</p>
        </div>
      </details>
    </Alert>
  );
}
