"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { Fragment, useState } from "react";
import type { FormField, Ink2sField } from "@/server/tax/types";
import { formatOre, oreToInput, parseAmountToOre } from "@/lib/money";
import { Button, Input, Select } from "../../../../_components/ui";
import { Amount } from "../_components/closing-ui";

export type Edits = Record<string, { amountOre: number; comment: string }>;

/** INK2R: each field with its amount; opening a field shows its accounts, each linked to its analysis. */
export function Ink2rTable({ projectId, fields, onOverride }: { projectId: string; fields: FormField[]; onOverride: (account: string, code: string | null) => void }) {
  const t = useTranslations("tax");
  const [open, setOpen] = useState<string | null>(null);
  return (
    <table className="w-full text-sm" data-testid="ink2r">
      <thead>
        <tr className="border-b text-left text-xs text-slate-500">
          <th className="py-2 pr-2">{t("col.row")}</th><th className="pr-2">{t("col.field")}</th><th className="pr-2">{t("col.code")}</th>
          <th className="text-right">{t("col.amount")}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <Fragment key={f.code}>
            <tr className="border-b border-slate-100">
              <td className="py-1.5 pr-2 tabular-nums">{f.row}</td>
              <td className="pr-2">
                <button type="button" className="text-left text-emerald-900 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600"
                  aria-expanded={open === f.code} onClick={() => setOpen(open === f.code ? null : f.code)}>
                  {f.label}
                </button>
              </td>
              <td className="pr-2 font-mono text-xs">{f.code}</td>
              <td className="text-right"><Amount ore={f.amountOre} /></td>
            </tr>
            {open === f.code && (
              <tr><td /><td colSpan={3} className="pb-3">
                <FieldLines projectId={projectId} field={f} onOverride={onOverride} />
              </td></tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function FieldLines({ projectId, field, onOverride }: { projectId: string; field: FormField; onOverride: (account: string, code: string | null) => void }) {
  const t = useTranslations("tax");
  const [code, setCode] = useState<Record<string, string>>({});
  return (
    <table className="w-full rounded bg-slate-50 text-xs" aria-label={t("linesOf", { field: field.label })}>
      <tbody>
        {field.lines.map((l, i) => (
          <tr key={`${l.account ?? "x"}-${i}`}>
            <td className="px-2 py-1 font-mono">
              {l.account ? <Link className="text-emerald-800 underline" href={`/projects/${projectId}/accounts/${l.account}?view=analysis`}>{l.account}</Link> : "–"}
            </td>
            <td className="px-2">{l.name ?? t(`source.${l.source}`)}</td>
            <td className="px-2 text-slate-500">{t(`source.${l.source}`)}{l.plannedOre ? ` · ${t("planned", { amount: formatOre(l.plannedOre) })}` : ""}</td>
            <td className="px-2 text-right"><Amount ore={l.amountOre} /></td>
            <td className="px-2">
              {l.account && (
                <form className="flex items-center gap-1" onSubmit={(e) => { e.preventDefault(); onOverride(l.account!, code[l.account!]?.trim() || null); }}>
                  <label className="sr-only" htmlFor={`sru-${l.account}`}>{t("overrideLabel", { account: l.account })}</label>
                  <Input id={`sru-${l.account}`} className="w-20 py-0.5 text-xs" inputMode="numeric" maxLength={4} placeholder={field.code}
                    value={code[l.account] ?? ""} onChange={(e) => setCode({ ...code, [l.account!]: e.target.value })} />
                  <Button type="submit" variant="ghost" className="px-2 py-0.5 text-xs">{t("override")}</Button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** INK2S: the adjustments with a suggestion or an amount, each editable with a comment; other fields can be added. */
export function Ink2sTable({ fields, edits, onChange }: { fields: Ink2sField[]; edits: Edits; onChange: (e: Edits) => void }) {
  const t = useTranslations("tax");
  const [adding, setAdding] = useState("");
  const [text, setText] = useState<Record<string, string>>({});
  // Computed rows only when they carry an amount (4.15 always: it is the answer).
  const shown = fields.filter((f) => (f.editable ? f.amountOre !== 0 || f.suggestedOre !== 0 || edits[f.code] : f.amountOre !== 0 || f.code === "7670"));
  const addable = fields.filter((f) => f.editable && !shown.includes(f));
  const setAmount = (f: Ink2sField, raw: string) => {
    setText({ ...text, [f.code]: raw });
    const ore = parseAmountToOre(raw);
    if (ore !== null) onChange({ ...edits, [f.code]: { amountOre: ore, comment: edits[f.code]?.comment ?? "" } });
  };
  return (
    <div className="space-y-3">
      <table className="w-full text-sm" data-testid="ink2s">
        <thead>
          <tr className="border-b text-left text-xs text-slate-500">
            <th className="py-2 pr-2">{t("col.row")}</th><th className="pr-2">{t("col.field")}</th>
            <th className="pr-2 text-right">{t("col.suggested")}</th><th className="pr-2 text-right">{t("col.amount")}</th><th>{t("col.comment")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => {
            const e = edits[f.code];
            const bad = text[f.code] !== undefined && parseAmountToOre(text[f.code]) === null;
            return (
              <tr key={f.code} className={`border-b border-slate-100 ${f.editable ? "" : "font-medium"}`}>
                <td className="py-1.5 pr-2 tabular-nums">{f.row}</td>
                <td className="pr-2">{f.label}{e && <span className="ml-1 text-xs text-amber-800">({t("edited")})</span>}</td>
                <td className="pr-2 text-right text-slate-500">{f.editable ? <Amount ore={f.suggestedOre} /> : null}</td>
                <td className="pr-2 text-right">
                  {f.editable ? (
                    <>
                      <label className="sr-only" htmlFor={`ink2s-${f.code}`}>{t("amountOf", { row: f.row })}</label>
                      <Input id={`ink2s-${f.code}`} className="ml-auto w-36 py-1 text-right tabular-nums" aria-invalid={bad}
                        value={text[f.code] ?? oreToInput(e?.amountOre ?? f.amountOre)} onChange={(ev) => setAmount(f, ev.target.value)} />
                      {bad && <span role="alert" className="text-xs text-red-700">{t("amountInvalid")}</span>}
                    </>
                  ) : <Amount ore={f.amountOre} strong />}
                </td>
                <td>
                  {f.editable && e && (
                    <div className="flex items-center gap-1">
                      <label className="sr-only" htmlFor={`ink2s-c-${f.code}`}>{t("commentOf", { row: f.row })}</label>
                      <Input id={`ink2s-c-${f.code}`} className="py-1" maxLength={500} value={e.comment} placeholder={t("commentPlaceholder")}
                        onChange={(ev) => onChange({ ...edits, [f.code]: { ...e, comment: ev.target.value } })} />
                      <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => {
                        const next = { ...edits };
                        delete next[f.code];
                        const nt = { ...text };
                        delete nt[f.code];
                        setText(nt);
                        onChange(next);
                      }}>{t("reset")}</Button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {addable.length > 0 && (
        <form className="flex items-end gap-2" onSubmit={(e) => {
          e.preventDefault();
          if (adding) onChange({ ...edits, [adding]: { amountOre: 0, comment: "" } });
          setAdding("");
        }}>
          <div>
            <label htmlFor="ink2s-add" className="block text-xs text-slate-600">{t("addAdjustment")}</label>
            <Select id="ink2s-add" value={adding} onChange={(e) => setAdding(e.target.value)} className="py-1.5">
              <option value="">–</option>
              {addable.map((f) => <option key={f.code} value={f.code}>{f.row} {f.label}</option>)}
            </Select>
          </div>
          <Button type="submit" variant="secondary" disabled={!adding}>{t("add")}</Button>
        </form>
      )}
    </div>
  );
}
