"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { ADJUSTMENT_TEMPLATES, type AdjustmentTemplate } from "@/lib/adjustment-templates";
import { formatOre, oreToInput, parseAmountToOre } from "@/lib/money";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, Field, Input } from "../../../../_components/ui";
import { AttachmentsPanel } from "../_components/attachments-panel";
import { errorText } from "../_components/closing-ui";
import { STATUS_STYLE } from "./adjustment-list";

type Row = { account: string; debit: string; credit: string; text: string };
const emptyRow = (): Row => ({ account: "", debit: "", credit: "", text: "" });

/** Editor of one adjustment voucher: date in the year, text, balanced rows on chart accounts; read-only once exported. */
export function AdjustmentEditor({ projectId, year, template, adjustmentId }: { projectId: string; year: { start: string; end: string }; template: AdjustmentTemplate["key"] | null; adjustmentId: string | null }) {
  const t = useTranslations("adjustments");
  const te = useTranslations("errors");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const ids = { date: useId(), text: useId(), amount: useId(), list: useId() };
  const chart = useQuery(trpc.reconciliation.chart.queryOptions({ projectId }));
  const existing = useQuery({ ...trpc.adjustment.get.queryOptions({ projectId, adjustmentId: adjustmentId ?? "00000000-0000-4000-8000-000000000000" }), enabled: !!adjustmentId });
  const tpl = ADJUSTMENT_TEMPLATES.find((x) => x.key === template) ?? null;

  const [date, setDate] = useState(year.end);
  const [text, setText] = useState(tpl ? t(`template.${tpl.key}`) : "");
  const [kind, setKind] = useState<string>(tpl?.key ?? "manual");
  const [rows, setRows] = useState<Row[]>(tpl ? tpl.rows.map((r) => ({ ...emptyRow(), account: r.account })) : [emptyRow(), emptyRow()]);
  const [templateAmount, setTemplateAmount] = useState("");
  const [newNames, setNewNames] = useState<Record<string, string>>({});
  const [asking, setAsking] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  // An existing voucher fills the form once.
  useEffect(() => {
    const a = existing.data;
    if (!a || loaded) return;
    setDate(a.date);
    setText(a.text);
    setKind(a.kind);
    setRows(a.rows.map((r) => ({ account: r.account, debit: r.amountOre > 0 ? oreToInput(r.amountOre) : "", credit: r.amountOre < 0 ? oreToInput(-r.amountOre) : "", text: r.text ?? "" })));
    setLoaded(true);
  }, [existing.data, loaded]);

  const names = useMemo(() => new Map((chart.data ?? []).map((c) => [c.number, c.name])), [chart.data]);
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: trpc.adjustment.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.reconciliation.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.schedule.pathKey() });
  };
  const create = useMutation(trpc.adjustment.create.mutationOptions({ onSuccess: (a) => { invalidate(); router.push(`/projects/${projectId}/adjustments/${a.id}?saved=1`); } }));
  const update = useMutation(trpc.adjustment.update.mutationOptions({ onSuccess: () => { invalidate(); setProblem(null); setSavedAt(Date.now()); } }));
  const remove = useMutation(trpc.adjustment.delete.mutationOptions({ onSuccess: () => { invalidate(); router.push(`/projects/${projectId}/adjustments`); } }));
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const justCreated = typeof window !== "undefined" && new URLSearchParams(window.location.search).get("saved") === "1";

  if (existing.error) return <Alert>{existing.error.message}</Alert>;
  if (adjustmentId && !existing.data) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  const a = existing.data ?? null;
  const readOnly = !!a && a.status !== "notExported";

  const amounts = rows.map((r) => {
    const d = r.debit.trim() ? parseAmountToOre(r.debit) : 0;
    const c = r.credit.trim() ? parseAmountToOre(r.credit) : 0;
    return d === null || c === null ? null : d - c;
  });
  const debit = amounts.reduce<number>((s, x) => s + (x && x > 0 ? x : 0), 0);
  const credit = amounts.reduce<number>((s, x) => s + (x && x < 0 ? -x : 0), 0);
  const diff = debit - credit;
  const update1 = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  function applyTemplateAmount(v: string) {
    setTemplateAmount(v);
    const ore = parseAmountToOre(v);
    if (!tpl || ore === null) return;
    setRows(rows.map((r, i) => ({ ...r, debit: tpl.rows[i]?.side === "debit" ? oreToInput(ore) : "", credit: tpl.rows[i]?.side === "credit" ? oreToInput(ore) : "" })));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const bad = amounts.findIndex((x) => x === null);
    if (bad >= 0) return setProblem(t("invalidAmount", { row: bad + 1 }));
    const used = rows.filter((r, i) => r.account.trim() || amounts[i]);
    // A number the chart lacks is probably a typo: ask before adding it, with a name.
    const unknown = [...new Set(used.map((r) => r.account.trim()).filter((n) => n && chart.data && !names.has(n)))];
    const unnamed = unknown.filter((n) => !newNames[n]?.trim());
    if (unnamed.length) {
      setAsking(unknown);
      return setProblem(null);
    }
    const voucher = {
      date,
      text,
      kind: kind as never,
      rows: rows.map((r, i) => ({ r, amountOre: amounts[i] ?? 0 })).filter(({ r, amountOre }) => r.account.trim() || amountOre).map(({ r, amountOre }) => ({ account: r.account.trim(), amountOre, text: r.text.trim() || null })),
      newAccounts: unknown.map((n) => ({ number: n, name: newNames[n] ?? "" })),
    };
    if (a) update.mutate({ projectId, adjustmentId: a.id, voucher });
    else create.mutate({ projectId, voucher });
  }

  const serverError = create.error ?? update.error ?? remove.error;
  return (
    <div className="space-y-6">
      {a && (
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900">{t("editorTitle", { number: a.number })}</h1>
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.status]}`} data-testid="adjustment-status">{t(`status.${a.status}`)}</span>
        </div>
      )}
      {readOnly && (
        <Alert kind="info">
          {a!.status === "exported" ? t("readOnlyExported") : t("readOnlyExporting")}
          {a!.exportedAt && a!.fortnoxRef && ` ${t("exportedRef", { when: format.dateTime(new Date(a!.exportedAt), { dateStyle: "medium" }), series: a!.fortnoxRef.series, number: a!.fortnoxRef.number })}`}
        </Alert>
      )}
      {(justCreated || savedAt) && !update.isPending && !serverError && <p className="text-sm text-emerald-800" role="status">{t("saved")}</p>}

      <Card>
        <form onSubmit={submit} className="space-y-4" aria-label={t("editorLabel")}>
          <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
            <Field label={t("date")} htmlFor={ids.date} hint={t("dateHint", { start: year.start, end: year.end })}>
              <Input id={ids.date} type="date" min={year.start} max={year.end} value={date} onChange={(e) => setDate(e.target.value)} required disabled={readOnly} />
            </Field>
            <Field label={t("text")} htmlFor={ids.text}>
              <Input id={ids.text} value={text} onChange={(e) => setText(e.target.value)} maxLength={200} required disabled={readOnly} />
            </Field>
          </div>
          {tpl && !a && (
            <div className="max-w-xs">
              <Field label={t("templateAmount")} htmlFor={ids.amount} hint={t("templateAmountHint")}>
                <Input id={ids.amount} value={templateAmount} onChange={(e) => applyTemplateAmount(e.target.value)} inputMode="decimal" className="text-right tabular-nums" />
              </Field>
            </div>
          )}

          <datalist id={ids.list}>
            {(chart.data ?? []).map((c) => <option key={c.number} value={c.number}>{c.name ?? ""}</option>)}
          </datalist>
          <table className="w-full text-sm" data-testid="adjustment-rows">
            <thead className="text-xs text-slate-500">
              <tr>
                <th scope="col" className="w-28 py-1 pr-2 text-left font-medium">{t("col.account")}</th>
                <th scope="col" className="py-1 pr-2 text-left font-medium">{t("col.accountName")}</th>
                <th scope="col" className="w-36 py-1 pr-2 text-right font-medium">{t("col.debit")}</th>
                <th scope="col" className="w-36 py-1 pr-2 text-right font-medium">{t("col.credit")}</th>
                <th scope="col" className="py-1 pr-2 text-left font-medium">{t("col.rowText")}</th>
                <th scope="col" className="w-10"><span className="sr-only">{t("col.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const n = r.account.trim();
                const known = !n || names.has(n);
                return (
                  <tr key={i}>
                    <td className="py-1 pr-2">
                      <Input aria-label={t("rowAccount", { row: i + 1 })} list={ids.list} value={r.account} onChange={(e) => update1(i, { account: e.target.value })} inputMode="numeric" maxLength={10} disabled={readOnly} className="font-mono" />
                    </td>
                    <td className={`py-1 pr-2 ${known ? "text-slate-700" : "text-amber-800"}`}>{n ? (known ? names.get(n) : t("unknownAccount")) : ""}</td>
                    <td className="py-1 pr-2">
                      <Input aria-label={t("rowDebit", { row: i + 1 })} value={r.debit} onChange={(e) => update1(i, { debit: e.target.value, credit: e.target.value ? "" : r.credit })} inputMode="decimal" disabled={readOnly} className="text-right tabular-nums" />
                    </td>
                    <td className="py-1 pr-2">
                      <Input aria-label={t("rowCredit", { row: i + 1 })} value={r.credit} onChange={(e) => update1(i, { credit: e.target.value, debit: e.target.value ? "" : r.debit })} inputMode="decimal" disabled={readOnly} className="text-right tabular-nums" />
                    </td>
                    <td className="py-1 pr-2">
                      <Input aria-label={t("rowText", { row: i + 1 })} value={r.text} onChange={(e) => update1(i, { text: e.target.value })} maxLength={100} disabled={readOnly} />
                    </td>
                    <td className="py-1 text-right">
                      {!readOnly && rows.length > 2 && (
                        <Button type="button" variant="ghost" className="px-2 py-1" aria-label={t("removeRow", { row: i + 1 })} onClick={() => setRows(rows.filter((_, j) => j !== i))}>✕</Button>
                      )}
                    </td>
                  </tr>
                );
              })}
              <tr className="border-t border-slate-200 font-semibold">
                <td colSpan={2} className="py-1.5 pr-2">{t("sum")}</td>
                <td className="py-1.5 pr-2 text-right tabular-nums" data-testid="sum-debit">{formatOre(debit)}</td>
                <td className="py-1.5 pr-2 text-right tabular-nums" data-testid="sum-credit">{formatOre(credit)}</td>
                <td colSpan={2} className={`py-1.5 pr-2 ${diff === 0 ? "text-emerald-800" : "text-red-700"}`} data-testid="balance-state">
                  {diff === 0 ? t("balanced") : t("difference", { amount: formatOre(diff) })}
                </td>
              </tr>
            </tbody>
          </table>

          {asking.length > 0 && !readOnly && (
            <div role="alertdialog" aria-label={t("newAccountTitle")} className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
              {asking.map((n) => (
                <Field key={n} label={t("newAccountQuestion", { account: n })} htmlFor={`${ids.list}-${n}`}>
                  <Input id={`${ids.list}-${n}`} value={newNames[n] ?? ""} onChange={(e) => setNewNames({ ...newNames, [n]: e.target.value })} placeholder={t("newAccountName")} autoFocus={n === asking[0]} maxLength={100} />
                </Field>
              ))}
              <p className="text-amber-900">{t("newAccountHint")}</p>
            </div>
          )}

          {!readOnly && (
            <div className="flex flex-wrap items-center gap-3">
              <Button type="button" variant="secondary" onClick={() => setRows([...rows, emptyRow()])}>{t("addRow")}</Button>
              <Button type="submit" disabled={create.isPending || update.isPending}>{asking.length ? t("saveWithNewAccount") : t("save")}</Button>
              <Link href={`/projects/${projectId}/adjustments`} className="text-sm text-slate-700 underline">{t("cancel")}</Link>
              {a && (
                <Button
                  type="button"
                  variant="ghost"
                  className="ml-auto text-red-700"
                  onClick={() => {
                    if (window.confirm(t("deleteQuestion", { number: a.number }))) remove.mutate({ projectId, adjustmentId: a.id });
                  }}
                >
                  {t("delete")}
                </Button>
              )}
            </div>
          )}
          {(problem || serverError) && <Alert>{problem ?? errorText(serverError, te("internal"))}</Alert>}
        </form>
      </Card>

      <Card>
        {a ? <AttachmentsPanel projectId={projectId} target={{ adjustmentId: a.id }} readOnly={readOnly} /> : <p className="text-sm text-slate-600">{t("attachmentsAfterSave")}</p>}
      </Card>
    </div>
  );
}
