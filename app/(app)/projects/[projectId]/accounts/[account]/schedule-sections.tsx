"use client";
import { useMutation } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useId, useState, type FormEvent } from "react";
import type { AppRouter } from "@/server/api/root";
import { formatOre, oreToInput, parseAmountToOre } from "@/lib/money";
import { useTRPC } from "../../../../../_components/trpc-provider";
import { Alert, Button, Input } from "../../../../../_components/ui";
import { Amount, errorText } from "../../_components/closing-ui";

// The parts of the schedule panel: the accounts it covers, its specification rows and comment, the ledger items.

export type View = inferRouterOutputs<AppRouter>["schedule"]["get"];

export function AccountsInSchedule({ view, projectId, onChange }: { view: View; projectId: string; onChange: () => void }) {
  const t = useTranslations("schedule");
  const te = useTranslations("errors");
  const trpc = useTRPC();
  const id = useId();
  const [add, setAdd] = useState("");
  const addAccount = useMutation(trpc.schedule.addAccount.mutationOptions({ onSuccess: () => { setAdd(""); onChange(); } }));
  const remove = useMutation(trpc.schedule.removeAccount.mutationOptions({ onSuccess: onChange }));
  const signed = view.status === "reconciled";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (add.trim()) addAccount.mutate({ projectId, account: view.account, add: add.trim() });
  };
  return (
    <div className="space-y-2 text-sm">
      <h3 className="font-medium text-slate-900">{t("accountsTitle")}</h3>
      <table className="w-full max-w-2xl">
        <tbody>
          {view.accounts.map((a) => (
            <tr key={a.number} className="border-t border-slate-100">
              <td className="py-1 pr-3 font-mono">
                <Link href={`/projects/${projectId}/accounts/${encodeURIComponent(a.number)}?view=analysis`} className="text-emerald-800 hover:underline">{a.number}</Link>
              </td>
              <td className="py-1 pr-3">{a.name}</td>
              <td className="py-1 pr-3 text-right"><Amount ore={a.adjustedOre} /></td>
              <td className="py-1 text-right">
                {!signed && view.accounts.length > 1 && (
                  <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => remove.mutate({ projectId, account: view.account, remove: a.number })}>
                    {t("removeAccount", { account: a.number })}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!signed && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor={id} className="block text-xs text-slate-600">{t("addAccountLabel")}</label>
            <Input id={id} value={add} onChange={(e) => setAdd(e.target.value)} inputMode="numeric" className="w-32 py-1" />
          </div>
          <Button type="submit" variant="secondary" className="py-1" disabled={addAccount.isPending}>{t("addAccount")}</Button>
          <span className="text-xs text-slate-500">{t("addAccountHint")}</span>
        </form>
      )}
      {(addAccount.error || remove.error) && <Alert>{errorText(addAccount.error ?? remove.error, te("internal"))}</Alert>}
    </div>
  );
}

type Row = { text: string; amount: string };

export function RowsEditor({ view, projectId, account, readOnly, onSaved }: { view: View; projectId: string; account: string; readOnly: boolean; onSaved: () => void }) {
  const t = useTranslations("schedule");
  const te = useTranslations("errors");
  const trpc = useTRPC();
  const [rows, setRows] = useState<Row[]>(() => view.rows.map((r) => ({ text: r.text, amount: oreToInput(r.amountOre) })));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.schedule.saveRows.mutationOptions({ onSuccess: () => { setSaved(true); onSaved(); } }));
  // biome-ignore lint/correctness/useExhaustiveDependencies: "saved" is cleared whenever the rows change, on purpose
  useEffect(() => setSaved(false), [rows]);

  const parsed = rows.map((r) => parseAmountToOre(r.amount || "0"));
  const sum = parsed.reduce<number>((s, x) => s + (x ?? 0), 0) + view.ledgerOre;
  const update = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  function submit(e: FormEvent) {
    e.preventDefault();
    const bad = parsed.findIndex((x) => x === null);
    if (bad >= 0) {
      setProblem(t("invalidAmount", { row: bad + 1 }));
      return;
    }
    setProblem(null);
    save.mutate({ projectId, account, rows: rows.map((r, i) => ({ text: r.text, amountOre: parsed[i]! })) });
  }
  return (
    <form onSubmit={submit} className="space-y-3">
      <p className="text-xs text-slate-500">{t("rowsHint")}</p>
      <table className="w-full text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-2 text-left font-medium">{t("rowText")}</th>
            <th scope="col" className="w-48 py-1 pr-2 text-right font-medium">{t("rowAmount")}</th>
            <th scope="col" className="w-10"><span className="sr-only">{t("rowActions")}</span></th>
          </tr>
        </thead>
        <tbody>
          {view.ledgerSide && (
            <tr className="text-slate-600">
              <td className="py-1 pr-2">{t(`ledgerRow.${view.ledgerSide}`, { count: view.ledgerItems.length })}</td>
              <td className="py-1 pr-2 text-right"><Amount ore={view.ledgerOre} /></td>
              <td />
            </tr>
          )}
          {rows.map((r, i) => (
            <tr key={i}>
              <td className="py-1 pr-2">
                <Input aria-label={t("rowTextLabel", { row: i + 1 })} value={r.text} onChange={(e) => update(i, { text: e.target.value })} disabled={readOnly} maxLength={200} />
              </td>
              <td className="py-1 pr-2">
                <Input aria-label={t("rowAmountLabel", { row: i + 1 })} value={r.amount} onChange={(e) => update(i, { amount: e.target.value })} disabled={readOnly} inputMode="decimal" className="text-right tabular-nums" />
              </td>
              <td className="py-1 text-right">
                {!readOnly && (
                  <Button type="button" variant="ghost" className="px-2 py-1" aria-label={t("removeRow", { row: i + 1 })} onClick={() => setRows(rows.filter((_, j) => j !== i))}>✕</Button>
                )}
              </td>
            </tr>
          ))}
          <tr className="border-t border-slate-200 font-semibold">
            <td className="py-1.5 pr-2">{t("specified")}</td>
            <td className="py-1.5 pr-2 text-right tabular-nums">{formatOre(sum)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      {!readOnly && (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" variant="secondary" onClick={() => setRows([...rows, { text: "", amount: "" }])}>{t("addRow")}</Button>
          <Button type="submit" disabled={save.isPending}>{t("saveRows")}</Button>
          {saved && <span className="text-sm text-emerald-800" role="status">{t("saved")}</span>}
        </div>
      )}
      {(problem || save.error) && <Alert>{problem ?? errorText(save.error, te("internal"))}</Alert>}
    </form>
  );
}

export function CommentEditor({ view, projectId, account, readOnly, onSaved }: { view: View; projectId: string; account: string; readOnly: boolean; onSaved: () => void }) {
  const t = useTranslations("schedule");
  const te = useTranslations("errors");
  const trpc = useTRPC();
  const id = useId();
  const [comment, setComment] = useState(view.comment);
  const save = useMutation(trpc.schedule.setComment.mutationOptions({ onSuccess: onSaved }));
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ projectId, account, comment });
      }}
    >
      <label htmlFor={id} className="block text-sm text-slate-600">{t("commentHint")}</label>
      <textarea
        id={id}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        disabled={readOnly}
        rows={3}
        maxLength={5000}
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-emerald-600 focus:outline-none focus:ring-1 focus:ring-emerald-600"
      />
      {!readOnly && <Button type="submit" variant="secondary" disabled={save.isPending || comment === view.comment}>{t("saveComment")}</Button>}
      {save.error && <Alert>{errorText(save.error, te("internal"))}</Alert>}
    </form>
  );
}

export function LedgerItems({ items }: { items: View["ledgerItems"] }) {
  const t = useTranslations("import");
  return (
    <details>
      <summary className="cursor-pointer text-emerald-800 hover:underline">{t("showItems", { count: items.length })}</summary>
      <div className="mt-2 max-h-96 overflow-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">{t("itemCol.counterparty")}</th>
              <th className="py-1 pr-3 font-medium">{t("itemCol.invoice")}</th>
              <th className="py-1 pr-3 font-medium">{t("itemCol.invoiceDate")}</th>
              <th className="py-1 pr-3 font-medium">{t("itemCol.dueDate")}</th>
              <th className="py-1 pr-3 text-right font-medium">{t("itemCol.open")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={`${i.invoiceNumber}-${i.counterpartyNumber}`} className="border-t border-slate-100">
                <td className="py-1 pr-3">{i.counterpartyNumber} {i.counterpartyName}</td>
                <td className="py-1 pr-3">{i.invoiceNumber}</td>
                <td className="py-1 pr-3">{i.invoiceDate}</td>
                <td className="py-1 pr-3">{i.dueDate ?? ""}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{formatOre(i.openOre)}{i.currency !== "SEK" ? ` (${i.currency})` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
