"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { Fragment, useState } from "react";
import { useTRPC } from "../../../../../_components/trpc-provider";
import { Alert, Button } from "../../../../../_components/ui";
import { Amount } from "../../_components/closing-ui";

const PAGE = 100;

/**
 * Account analysis: IB, every voucher row on the account with a running balance, UB; then the adjustments and the
 * balance after them. Pages by keyset; corrections (struck and added rows) on demand; a voucher opens in place.
 */
export function AnalysisPanel({ projectId, account }: { projectId: string; account: string }) {
  const t = useTranslations("analysis");
  const trpc = useTRPC();
  const [cursor, setCursor] = useState<{ after?: string; before?: string }>({});
  const [corrections, setCorrections] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const q = useQuery({ ...trpc.reconciliation.analysis.queryOptions({ projectId, account, limit: PAGE, corrections, ...cursor }), placeholderData: keepPreviousData });

  if (q.error) return <Alert>{q.error.message}</Alert>;
  if (!q.data) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  const d = q.data;
  const first = !d.page.prev;
  const last = !d.page.next;
  const balanceBefore = d.rows.length ? (d.rows.find((r) => r.balanceOre !== null)?.balanceOre ?? 0) - (d.rows.find((r) => r.balanceOre !== null)?.amountOre ?? 0) : d.ibOre;

  const pager = (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <Button variant="secondary" className="px-3 py-1" disabled={first} onClick={() => setCursor({})}>{t("first")}</Button>
      <Button variant="secondary" className="px-3 py-1" disabled={first} onClick={() => setCursor({ before: d.page.prev! })}>{t("prev")}</Button>
      <Button variant="secondary" className="px-3 py-1" disabled={last} onClick={() => setCursor({ after: d.page.next! })}>{t("next")}</Button>
      <Button variant="secondary" className="px-3 py-1" disabled={last} onClick={() => setCursor({ before: "end" })}>{t("last")}</Button>
      <span className="text-slate-600">{t("rowsCount", { count: d.rowCount })}</span>
    </div>
  );

  return (
    <section className="space-y-3" aria-label={t("title")} data-testid="analysis">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">{t("title")}</h2>
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={corrections} onChange={(e) => { setCorrections(e.target.checked); setCursor({}); }} /> {t("corrections")}
        </label>
      </div>
      {d.rowCount > PAGE && pager}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.date")}</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.voucher")}</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">{t("col.text")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t("col.debit")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t("col.credit")}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t("col.balance")}</th>
            </tr>
          </thead>
          <tbody>
            <tr className="bg-slate-50/60 font-medium" data-testid="analysis-opening">
              <td colSpan={5} className="px-3 py-1.5">{first ? t("ib") : t("balanceBefore")}</td>
              <td className="px-3 py-1.5 text-right"><Amount ore={first ? d.ibOre : balanceBefore} /></td>
            </tr>
            {d.rows.length === 0 && (
              <tr><td colSpan={6} className="px-3 py-3 text-slate-600">{t("noRows")}</td></tr>
            )}
            {d.rows.map((r) => {
              const struck = r.kind === 2;
              const added = r.kind === 1;
              return (
                <Fragment key={`${r.voucherId}-${r.seq}`}>
                  <tr className={`border-t border-slate-100 ${r.kind ? "bg-amber-50/50 text-slate-500 italic" : ""}`} data-testid="analysis-row" data-kind={r.kind}>
                    <td className="whitespace-nowrap px-3 py-1.5">{r.date ?? "–"}</td>
                    <td className="whitespace-nowrap px-3 py-1.5">
                      <button type="button" className="font-mono text-emerald-800 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600" aria-expanded={open === r.voucherId} onClick={() => setOpen(open === r.voucherId ? null : r.voucherId)}>
                        {r.series}{r.number}
                      </button>
                      {r.change === 1 && <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs not-italic text-sky-900" title={t("newSinceImport")}>{t("new")}</span>}
                      {r.change === 2 && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs not-italic text-amber-900" title={t("changedSinceImport")}>{t("changed")}</span>}
                    </td>
                    <td className="px-3 py-1.5">
                      <span className={struck ? "line-through" : ""}>{r.rowText || r.voucherText}</span>
                      {struck && <span className="ml-2 text-xs not-italic">({t("removed")})</span>}
                      {added && <span className="ml-2 text-xs not-italic">({t("added")})</span>}
                    </td>
                    <td className={`px-3 py-1.5 text-right ${struck ? "line-through" : ""}`}>{r.amountOre > 0 ? <Amount ore={r.amountOre} /> : null}</td>
                    <td className={`px-3 py-1.5 text-right ${struck ? "line-through" : ""}`}>{r.amountOre < 0 ? <Amount ore={-r.amountOre} /> : null}</td>
                    <td className="px-3 py-1.5 text-right">{r.balanceOre !== null ? <Amount ore={r.balanceOre} /> : null}</td>
                  </tr>
                  {open === r.voucherId && (
                    <tr>
                      <td colSpan={6} className="bg-slate-50 px-3 py-2">
                        <VoucherDetail projectId={projectId} voucherId={r.voucherId} account={account} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
            {last && (
              <tr className="border-t-2 border-slate-300 bg-slate-50/60 font-semibold" data-testid="analysis-closing">
                <td colSpan={5} className="px-3 py-1.5">{t("ub")}</td>
                <td className="px-3 py-1.5 text-right"><Amount ore={d.ubOre} /></td>
              </tr>
            )}
            {last && d.adjustments.length > 0 && (
              <>
                <tr><td colSpan={6} className="px-3 pt-3 text-xs font-medium uppercase tracking-wide text-slate-500">{t("adjustmentsTitle")}</td></tr>
                {d.adjustments.map((a, i) => (
                  <tr key={`${a.id}-${i}`} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">{a.date}</td>
                    <td className="px-3 py-1.5"><Link href={`/projects/${projectId}/adjustments/${a.id}`} className="text-emerald-800 hover:underline">{t("adjustmentNumber", { number: a.number })}</Link></td>
                    <td className="px-3 py-1.5">{a.rowText || a.text}</td>
                    <td className="px-3 py-1.5 text-right">{a.amountOre > 0 ? <Amount ore={a.amountOre} /> : null}</td>
                    <td className="px-3 py-1.5 text-right">{a.amountOre < 0 ? <Amount ore={-a.amountOre} /> : null}</td>
                    <td />
                  </tr>
                ))}
              </>
            )}
            {last && (d.adjustments.length > 0 || d.adjustmentOre !== 0) && (
              <tr className="border-t-2 border-slate-300 bg-emerald-50/60 font-semibold" data-testid="analysis-adjusted">
                <td colSpan={5} className="px-3 py-1.5">{t("adjusted")}</td>
                <td className="px-3 py-1.5 text-right"><Amount ore={d.adjustedOre} /></td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {d.rowCount > PAGE && pager}
    </section>
  );
}

function VoucherDetail({ projectId, voucherId, account }: { projectId: string; voucherId: number; account: string }) {
  const t = useTranslations("analysis");
  const trpc = useTRPC();
  const q = useQuery(trpc.reconciliation.voucher.queryOptions({ projectId, voucherId }));
  if (q.error) return <Alert>{q.error.message}</Alert>;
  if (!q.data) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  const v = q.data;
  return (
    <div className="space-y-2" data-testid="voucher-detail">
      <p className="text-sm font-medium text-slate-900">
        {t("voucherTitle", { series: v.series, number: v.number })} · {v.date} · {v.text}
        {v.regDate && <span className="ml-2 font-normal text-slate-500">{t("registered", { date: v.regDate })}</span>}
      </p>
      <table className="w-full text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3 text-left font-medium">{t("col.account")}</th>
            <th scope="col" className="py-1 pr-3 text-left font-medium">{t("col.text")}</th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">{t("col.debit")}</th>
            <th scope="col" className="py-1 text-right font-medium">{t("col.credit")}</th>
          </tr>
        </thead>
        <tbody>
          {v.rows.map((r) => (
            <tr key={r.seq} className={`${r.account === account ? "font-medium" : ""} ${r.kind ? "italic text-slate-500" : ""}`}>
              <td className="py-0.5 pr-3">
                <Link href={`/projects/${projectId}/accounts/${encodeURIComponent(r.account)}?view=analysis`} className="font-mono text-emerald-800 hover:underline">{r.account}</Link> {r.accountName}
              </td>
              <td className={`py-0.5 pr-3 ${r.kind === 2 ? "line-through" : ""}`}>
                {r.text}
                {r.kind === 2 && <span className="ml-1 text-xs not-italic">({t("removed")}{r.sign ? `, ${r.sign}` : ""})</span>}
                {r.kind === 1 && <span className="ml-1 text-xs not-italic">({t("added")}{r.sign ? `, ${r.sign}` : ""})</span>}
              </td>
              <td className={`py-0.5 pr-3 text-right ${r.kind === 2 ? "line-through" : ""}`}>{r.amountOre > 0 ? <Amount ore={r.amountOre} /> : null}</td>
              <td className={`py-0.5 text-right ${r.kind === 2 ? "line-through" : ""}`}>{r.amountOre < 0 ? <Amount ore={-r.amountOre} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
