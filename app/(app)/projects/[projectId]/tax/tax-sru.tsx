"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import type { TaxSender } from "@/db/schema/tax";
import type { TaxProblem } from "@/server/tax/problems";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, Field, Input } from "../../../../_components/ui";
import { errorText } from "../_components/closing-ui";

const FIELDS = ["postalCode", "city", "address", "contact", "email", "phone"] as const;

/** The sender's address (INFO.SRU needs it), the check before writing, the two downloads and the printable view. */
export function SruPanel({ projectId, sender, problems, onSaved }: { projectId: string; sender: TaxSender; problems: TaxProblem[]; onSaved: () => void }) {
  const t = useTranslations("tax");
  const trpc = useTRPC();
  const [form, setForm] = useState<TaxSender>(sender);
  const save = useMutation(trpc.tax.saveChoices.mutationOptions({ onSuccess: onSaved }));
  const errors = problems.filter((p) => p.severity === "error");
  const href = (file: string) => `/api/projects/${projectId}/sru?file=${file}`;
  return (
    <Card title={t("sru")}>
      <form className="grid gap-3 md:grid-cols-3" onSubmit={(e) => { e.preventDefault(); save.mutate({ projectId, choices: { sender: form } }); }}>
        {FIELDS.map((f) => (
          <Field key={f} label={t(`sender.${f}`)} htmlFor={`sender-${f}`}>
            <Input id={`sender-${f}`} value={form[f] ?? ""} maxLength={f === "postalCode" ? 10 : 250} onChange={(e) => setForm({ ...form, [f]: e.target.value })} />
          </Field>
        ))}
        <div className="md:col-span-3"><Button type="submit" variant="secondary" disabled={save.isPending}>{t("saveSender")}</Button></div>
      </form>
      {save.error && <div className="mt-3"><Alert>{errorText(save.error, t("saveFailed"))}</Alert></div>}
      <div className="mt-4 space-y-3">
        {errors.length > 0 ? (
          <Alert kind="warning">
            <p>{t("sruBlocked")}</p>
            <ul className="mt-1 list-disc pl-5" data-testid="sru-problems">
              {errors.map((p, i) => <li key={i}>{t(`problem.${p.key}` as never, p.params as never)}</li>)}
            </ul>
          </Alert>
        ) : <p className="text-sm text-emerald-900" data-testid="sru-ok">{t("sruOk")}</p>}
        <div className="flex flex-wrap gap-3">
          {["INFO.SRU", "BLANKETTER.SRU"].map((file) => errors.length ? (
            <Button key={file} type="button" variant="secondary" disabled>{t("download", { file })}</Button>
          ) : (
            <a key={file} href={href(file)} download={file}
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-slate-400">
              {t("download", { file })}
            </a>
          ))}
          <Link href={`/projects/${projectId}/tax/print`} className="inline-flex items-center px-2 py-2 text-sm text-emerald-800 underline">{t("print")}</Link>
        </div>
      </div>
    </Card>
  );
}
