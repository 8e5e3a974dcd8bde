"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { formatOre, oreToInput, parseAmountToOre } from "@/lib/money";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, EmptyState, Input } from "../../../../_components/ui";
import { errorText, Figure } from "../_components/closing-ui";
import { Ink2rTable, Ink2sTable, type Edits } from "./tax-forms";
import { type FundChoices, FundsTable } from "./tax-funds";
import { SruPanel } from "./tax-sru";

type TaxData = NonNullable<inferRouterOutputs<AppRouter>["tax"]["get"]>;
interface Draft extends FundChoices { allocationOre: number | null; ink2sEdits: Edits; previousLossOre: number | null }

export function TaxView({ projectId }: { projectId: string }) {
  const t = useTranslations("tax");
  const tc = useTranslations("closing");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [sent, setSent] = useState<Draft | null>(null);
  const [allocText, setAllocText] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The page recomputes on every change, a moment after the last keystroke, without saving anything.
  useEffect(() => {
    const h = setTimeout(() => setSent(draft), 250);
    return () => clearTimeout(h);
  }, [draft]);
  const q = useQuery({ ...trpc.tax.get.queryOptions({ projectId, ...(sent ? { choices: sent } : {}) }), placeholderData: keepPreviousData });
  useEffect(() => {
    if (q.data && !draft) {
      const ch = q.data.choices;
      setDraft({ allocationOre: ch.allocationOre, ink2sEdits: ch.ink2sEdits, previousLossOre: ch.previousLossOre, reversals: ch.reversals, fundYears: ch.fundYears, slrBp: ch.slrBp });
    }
  }, [q.data, draft]);
  const refresh = async () => {
    // A recomputation still in flight began before the save and would answer for the old state: an invalidation
    // joins such a fetch while the query holds only placeholder data, so drop it first and ask again.
    await qc.cancelQueries({ queryKey: trpc.tax.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.tax.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.adjustment.pathKey() });
  };
  const save = useMutation(trpc.tax.saveChoices.mutationOptions({ onSuccess: () => { setNotice(t("saved")); void refresh(); } }));
  const override = useMutation(trpc.tax.setSruOverride.mutationOptions({ onSuccess: refresh }));
  const book = useMutation(trpc.tax.book.mutationOptions({
    onSuccess: (r) => {
      const touched = [...r.created, ...r.updated].sort((a, b) => a - b);
      const result = r.resultOre === null ? "" : ` ${t("resultBooked", { amount: formatOre(r.resultOre) })}`;
      setNotice(`${t("booked", { numbers: touched.join(", ") || "–", corrections: r.corrections.length })}${result}`);
      void refresh();
    },
  }));

  if (q.error?.data?.messageKey === "closingNoImport" || q.data === null) {
    return (
      <EmptyState title={tc("noImport")}>
        <Link className="font-medium text-emerald-800 underline" href={`/projects/${projectId}/import`}>{tc("goImport")}</Link>
      </EmptyState>
    );
  }
  if (q.error) return <Alert>{errorText(q.error, t("loadFailed"))}</Alert>;
  if (!q.data || !draft) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  const d: TaxData = q.data;
  const c = d.computation;
  const p = c.planning;
  const allocBad = allocText !== null && allocText.trim() !== "" && (parseAmountToOre(allocText) ?? -1) < 0;
  const setAllocation = (raw: string) => {
    setAllocText(raw);
    const ore = raw.trim() === "" ? 0 : parseAmountToOre(raw);
    if (ore !== null && ore >= 0) setDraft({ ...draft, allocationOre: ore });
  };
  const errors = c.problems.filter((x) => x.severity === "error");
  const warnings = c.problems.filter((x) => x.severity === "warning");
  const busy = save.isPending || book.isPending;
  // The funds the year starts with; this year's own allocation is the planning's figure.
  const funds = c.funds.filter((f) => f.ibOre !== 0);

  return (
    <div className="space-y-6">
      {notice && <Alert kind="success">{notice}</Alert>}
      {(save.error || book.error || override.error) && <Alert>{errorText(save.error ?? book.error ?? override.error, t("saveFailed"))}</Alert>}
      <Card title={t("checks")}>
        <ul className="grid gap-2 text-sm md:grid-cols-2" data-testid="tax-checks">
          <li data-testid="check-balance" data-ok={c.checks.balanceOk}>
            {c.checks.balanceOk ? "✓ " : "✗ "}{t(c.checks.balanceOk ? "balanceOk" : "balanceNotOk", { assets: formatOre(c.checks.assetsOre), equity: formatOre(c.checks.equityAndLiabilitiesOre) })}
          </li>
          <li data-testid="check-result" data-ok={c.checks.resultOk}>
            {c.checks.resultOk ? "✓ " : "✗ "}{t(c.checks.resultOk ? "resultOk" : "resultNotOk", { fields: formatOre(c.checks.fieldsResultOre), statement: formatOre(c.checks.statementResultOre) })}
          </li>
        </ul>
        {[...errors, ...warnings].length > 0 && (
          <ul className="mt-3 space-y-1 text-sm" data-testid="tax-problems">
            {[...errors, ...warnings].map((x, i) => (
              <li key={i} className={x.severity === "error" ? "text-red-800" : "text-amber-900"}>{t(`problem.${x.key}` as never, x.params as never)}</li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t("planning")}>
        <div className="grid gap-4 md:grid-cols-3">
          <div className="space-y-1">
            <label htmlFor="allocation" className="block text-sm font-medium text-slate-800">{t("allocation")}</label>
            <div className="flex gap-2">
              <Input id="allocation" inputMode="decimal" className="text-right tabular-nums" aria-invalid={allocBad} aria-describedby="allocation-max"
                value={allocText ?? oreToInput(draft.allocationOre ?? p.allocationOre)} onChange={(e) => setAllocation(e.target.value)} />
              <Button type="button" variant="secondary" onClick={() => setAllocation(oreToInput(p.maxAllocationOre))}>{t("useMax")}</Button>
            </div>
            <p id="allocation-max" className="text-xs text-slate-500" data-testid="allocation-max">{t("maxAllocation", { amount: formatOre(p.maxAllocationOre), account: p.allocationAccount ?? "–" })}</p>
            {allocBad && <p role="alert" className="text-sm text-red-700">{t("amountInvalid")}</p>}
          </div>
          <div className="space-y-1">
            <label htmlFor="previous-loss" className="block text-sm font-medium text-slate-800">{t("previousLoss")}</label>
            {d.previousLoss.source === "project" ? (
              <p className="text-sm" data-testid="previous-loss">{t("previousLossFrom", { amount: formatOre(d.previousLoss.amountOre), project: d.previousLoss.projectName ?? "" })}</p>
            ) : (
              <Input id="previous-loss" inputMode="decimal" className="text-right tabular-nums" defaultValue={draft.previousLossOre ? oreToInput(draft.previousLossOre) : ""}
                onChange={(e) => { const v = e.target.value.trim() === "" ? null : parseAmountToOre(e.target.value); if (v === null || v >= 0) setDraft({ ...draft, previousLossOre: v }); }} />
            )}
            <p className="text-xs text-slate-500">{t("previousLossHint")}</p>
          </div>
        </div>
        {funds.length > 0 && (
          <FundsTable funds={funds} schablon={c.schablon} choices={draft} onChange={(next) => setDraft({ ...draft, ...next })} />
        )}
        <dl className="mt-4 grid gap-3 md:grid-cols-3" aria-live="polite">
          <Figure label={t("basis")} testId="tax-basis">{formatOre(p.basisOre)}</Figure>
          <Figure label={t("taxable")} testId="tax-taxable">{formatOre(p.taxableOre)}</Figure>
          <Figure label={t("taxRate", { rate: (p.taxRateBp / 100).toLocaleString("sv-SE") })} testId="tax-amount">{formatOre(p.taxOre)}</Figure>
          <Figure label={t("resultBefore")} testId="result-before">{formatOre(p.resultBeforeTaxOre)}</Figure>
          <Figure label={t("allocationNow")} testId="allocation-now">{formatOre(p.allocationOre)}</Figure>
          <Figure label={t("resultAfter")} testId="result-after">{formatOre(p.resultAfterTaxOre)}</Figure>
        </dl>
        <div className="mt-4 flex flex-wrap gap-3">
          <Button variant="secondary" disabled={busy || allocBad} onClick={() => save.mutate({ projectId, choices: draft })}>{t("save")}</Button>
          <Button disabled={busy || allocBad} onClick={async () => {
            await save.mutateAsync({ projectId, choices: draft });
            book.mutate({ projectId });
          }}>{t("book")}</Button>
        </div>
      </Card>

      <Card title={t("vouchers")}>
        {d.vouchers.length === 0 ? <p className="text-sm text-slate-600">{t("noVouchers")}</p> : (
          <ul className="space-y-1 text-sm" data-testid="tax-vouchers">
            {d.vouchers.map((v) => (
              <li key={v.id} className="flex flex-wrap gap-2">
                <Link className="font-medium text-emerald-800 underline" href={`/projects/${projectId}/adjustments/${v.id}`}>{t("voucherNo", { number: v.number })}</Link>
                <span>{v.text}</span>
                <span className="text-slate-500">{v.exported && v.fortnoxRef ? t("exportedAs", { series: v.fortnoxRef.series, number: v.fortnoxRef.number }) : t("notExported")}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-3 text-sm"><Link className="text-emerald-800 underline" href={`/projects/${projectId}/adjustments`}>{t("toExport")}</Link></p>
      </Card>

      <div className="grid gap-6 xl:grid-cols-2">
        <Card title="INK2R"><Ink2rTable projectId={projectId} fields={c.ink2r} onOverride={(account, code) => override.mutate({ projectId, account, code })} /></Card>
        <Card title="INK2S"><Ink2sTable fields={c.ink2s} edits={draft.ink2sEdits} onChange={(ink2sEdits) => setDraft({ ...draft, ink2sEdits })} /></Card>
      </div>
      <SruPanel projectId={projectId} sender={d.choices.sender} problems={d.sruProblems} onSaved={refresh} />
    </div>
  );
}
