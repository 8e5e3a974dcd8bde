"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useId, useMemo, useState } from "react";
import { formatOre } from "@/lib/money";
import { JobProgressBar } from "../../../../_components/progress";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, Select } from "../../../../_components/ui";
import { useJobPolling } from "../../../../_components/use-job-polling";

interface AdjustmentLite {
  id: string;
  number: number;
  date: string;
  text: string;
  status: "notExported" | "exporting" | "exported";
  debitOre: number;
}

/**
 * "Exportera verifikationer": choose the adjustments not yet exported and a manual Fortnox series, see each voucher
 * as Fortnox will receive it with the pre-checks, then send them as a background job with a progress bar. The same
 * selection can be downloaded as a SIE 4I file for any other bookkeeping program.
 */
export function ExportPanel({ projectId, clientId, adjustments }: { projectId: string; clientId: string; adjustments: AdjustmentLite[] }) {
  const t = useTranslations("export");
  const te = useTranslations("errors");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const seriesId = useId();
  const headingId = useId();
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [series, setSeries] = useState<string | null>(null);
  const [checked, setChecked] = useState<{ ids: string[]; series: string } | null>(null);

  // When a job ends, the adjustments' export status and the reconciliation change.
  const { query: state, job, active } = useJobPolling(trpc.export.state.queryOptions({ projectId }), () => {
    void qc.invalidateQueries({ queryKey: trpc.adjustment.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.reconciliation.pathKey() });
  });
  const exportable = useMemo(() => adjustments.filter((a) => a.status === "notExported"), [adjustments]);
  // The series list comes from Fortnox when the dialog opens; the checks run when the user asks for them.
  const seriesQuery = useQuery({ ...trpc.export.prepare.queryOptions({ projectId, adjustmentIds: [], series: null }), enabled: open && !!state.data?.connection.ok });
  const prepared = useQuery({
    ...trpc.export.prepare.queryOptions({ projectId, adjustmentIds: checked?.ids ?? [], series: checked?.series ?? null }),
    enabled: !!checked,
  });
  // The extra consent for attachments: back here afterwards (the callback returns to this page).
  const searchParams = useSearchParams();
  const [consenting, setConsenting] = useState(false);
  const startConnect = useMutation(trpc.connection.startConnect.mutationOptions());
  async function giveAttachmentPermission(kind: "user" | "service") {
    setConsenting(true);
    try {
      const { authorizationParams } = await startConnect.mutateAsync({ clientId, kind, purpose: "attachments", projectId });
      await signIn("fortnox", { callbackUrl: `/projects/${projectId}/adjustments` }, authorizationParams);
    } catch {
      setConsenting(false);
    }
  }
  const start = useMutation(
    trpc.export.start.mutationOptions({
      onSuccess: () => {
        setChecked(null);
        setSelected([]);
        void qc.invalidateQueries({ queryKey: trpc.export.state.queryKey({ projectId }) });
        void qc.invalidateQueries({ queryKey: trpc.adjustment.pathKey() });
      },
    }),
  );

  const chosenSeries = series ?? seriesQuery.data?.chosen ?? state.data?.lastSeries ?? null;
  const errorText = (key: string | null | undefined, params?: Record<string, string | number> | null) =>
    key && te.has(key as never) ? te(key as never, (params ?? {}) as never) : te("internal");
  const connection = state.data?.connection;
  const reason = connection && !connection.ok ? errorText(connection.reasonKey) : null;
  const failed = (state.data?.items ?? []).filter((i) => i.state === "failed" && i.error);
  const byId = new Map(adjustments.map((a) => [a.id, a]));
  const checkedNow = checked && prepared.data && checked.series === chosenSeries && checked.ids.join() === selected.join();
  const problems = checkedNow ? prepared.data!.vouchers.flatMap((v) => v.problems) : [];
  const missingScopes = checkedNow ? prepared.data!.missingScopes : [];
  const sieHref = `/api/projects/${projectId}/adjustments-sie${selected.length ? `?ids=${selected.join(",")}` : ""}`;

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].sort((a, b) => (byId.get(a)?.number ?? 0) - (byId.get(b)?.number ?? 0))));

  return (
    <Card title={t("title")}>
      <div className="space-y-4">
        <p className="text-sm text-slate-600">{t("intro")}</p>
        <div className="flex flex-wrap items-center gap-3">
          <span title={reason ?? undefined}>
            <Button onClick={() => setOpen((o) => !o)} disabled={!connection?.ok || active} aria-expanded={open} aria-controls={`${headingId}-dialog`} data-testid="open-export">
              {t("open")}
            </Button>
          </span>
          <a className="text-sm font-medium text-emerald-800 underline" href={sieHref} download data-testid="download-sie">
            {selected.length ? t("downloadSieSelected", { count: selected.length }) : t("downloadSie")}
          </a>
        </div>
        {searchParams.get("fortnox") === "connected" && (
          <div data-testid="attachment-permission-given">
            <Alert kind="success">{t("permissionGiven")}</Alert>
          </div>
        )}
        {reason && (
          <Alert kind="warning">
            {t("disabledBecause", { reason })}{" "}
            <Link className="font-medium underline" href={`/clients/${clientId}/connection?projectId=${projectId}`}>{t("goConnect")}</Link>
          </Alert>
        )}

        {active && job && (
          <JobProgressBar
            label={t("running")}
            progress={job.progress}
            stepLabel={(s) => (t.has(`step.${s}` as never) ? t(`step.${s}` as never) : s)}
            countLabel={(p) => (p.total ? t("countOf", { done: p.done, total: p.total }) : null)}
          />
        )}
        {!active && job?.state === "succeeded" && job.result && (
          <Alert kind="success">{t("done", { count: Number((job.result as { exported?: number }).exported ?? 0) })}</Alert>
        )}
        {!active && job?.state === "failed" && (
          <Alert>
            <p className="font-medium">{t("stopped")}</p>
            <p>{errorText(job.errorKey, job.errorParams)}</p>
            <p className="mt-1">{t("stoppedHint")}</p>
          </Alert>
        )}
        {failed.length > 0 && (
          <Alert kind="warning">
            <p className="font-medium">{t("refused")}</p>
            <ul className="mt-1 list-disc pl-5">
              {failed.map((f) => (
                <li key={f.itemId}>{t("refusedItem", { number: byId.get(f.voucherId)?.number ?? "?", reason: errorText(f.error!.key, f.error!.params) })}</li>
              ))}
            </ul>
          </Alert>
        )}

        {open && connection?.ok && (
          <section id={`${headingId}-dialog`} role="dialog" aria-labelledby={headingId} className="space-y-4 rounded-md border border-slate-200 bg-slate-50 p-4">
            <h3 id={headingId} className="font-semibold text-slate-900">{t("dialogTitle")}</h3>
            {exportable.length === 0 ? (
              <p className="text-sm text-slate-600">{t("nothingToExport")}</p>
            ) : (
              <>
                <fieldset>
                  <legend className="mb-2 text-sm font-medium text-slate-800">{t("choose")}</legend>
                  <label className="mb-1 flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={selected.length === exportable.length}
                      onChange={(e) => setSelected(e.target.checked ? exportable.map((a) => a.id) : [])}
                    />
                    {t("all")}
                  </label>
                  <ul className="space-y-1">
                    {exportable.map((a) => (
                      <li key={a.id}>
                        <label className="flex items-center gap-2 text-sm">
                          <input type="checkbox" checked={selected.includes(a.id)} onChange={() => toggle(a.id)} data-testid={`export-pick-${a.number}`} />
                          <span className="font-medium">{a.number}</span> <span>{a.date}</span> <span>{a.text}</span>
                          <span className="ml-auto tabular-nums text-slate-600">{formatOre(a.debitOre)}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
                <div className="max-w-sm">
                  <label htmlFor={seriesId} className="block text-sm font-medium text-slate-800">{t("series")}</label>
                  {seriesQuery.error ? (
                    <Alert>{seriesQuery.error.message}</Alert>
                  ) : (
                    <Select id={seriesId} value={chosenSeries ?? ""} onChange={(e) => setSeries(e.target.value || null)} disabled={!seriesQuery.data}>
                      <option value="">{seriesQuery.data ? t("seriesPick") : t("seriesLoading")}</option>
                      {seriesQuery.data?.series.map((s) => (
                        <option key={s.code} value={s.code} disabled={!s.manual}>
                          {s.code} – {s.description}
                          {s.manual ? "" : ` (${t("notManual")})`}
                        </option>
                      ))}
                    </Select>
                  )}
                  <p className="mt-1 text-xs text-slate-500">{t("seriesHint")}</p>
                </div>
                <div className="flex flex-wrap gap-3">
                  <Button variant="secondary" disabled={!selected.length || !chosenSeries || prepared.isFetching} onClick={() => setChecked({ ids: selected, series: chosenSeries! })}>
                    {t("check")}
                  </Button>
                  <Button
                    disabled={!checkedNow || problems.length > 0 || missingScopes.length > 0 || start.isPending}
                    onClick={() => start.mutate({ projectId, adjustmentIds: selected, series: chosenSeries! })}
                    data-testid="start-export"
                  >
                    {t("send", { count: selected.length })}
                  </Button>
                </div>
                {prepared.error && (
                  <Alert>
                    {prepared.error.message}{" "}
                    {prepared.error.data?.fix === "connection" && (
                      <Link className="font-medium underline" href={`/clients/${clientId}/connection?projectId=${projectId}`}>{t("goConnect")}</Link>
                    )}
                  </Alert>
                )}
                {missingScopes.length > 0 && (
                  <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" role="alert" data-testid="attachment-permission">
                    <p className="font-medium">{t("attachmentsNeedPermissionTitle")}</p>
                    <p>{t("attachmentsNeedPermission", { scopes: missingScopes.join(", ") })}</p>
                    {startConnect.error && <Alert>{startConnect.error.message}</Alert>}
                    <Button onClick={() => giveAttachmentPermission(prepared.data!.connectionKind)} disabled={consenting}>
                      {consenting ? t("givingPermission") : t("givePermission")}
                    </Button>
                  </div>
                )}
                {checkedNow && prepared.data!.lockedPeriodUnknown && (
                  <div data-testid="locked-period-unknown">
                    <Alert kind="info">{t("lockedPeriodUnknown")}</Alert>
                  </div>
                )}
                {start.error && <Alert>{start.error.message}</Alert>}
                {checkedNow && (
                  <div className="space-y-3" data-testid="export-preview">
                    {problems.length > 0 ? (
                      <Alert kind="warning">{t("checksFailed", { count: problems.length })}</Alert>
                    ) : missingScopes.length === 0 ? (
                      <Alert kind="success">{t("checksOk")}</Alert>
                    ) : null}
                    {prepared.data!.vouchers.map((v) => (
                      <div key={v.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
                        <p className="font-medium">
                          {t("previewHead", { series: v.preview.series, date: v.preview.transactionDate, text: v.preview.description })}
                        </p>
                        <p className="text-xs text-slate-500">{t("previewComments", { comments: v.preview.comments ?? "" })}</p>
                        <table className="mt-2 w-full text-left text-xs">
                          <thead className="text-slate-500">
                            <tr>
                              <th className="pr-3 font-medium">{t("col.account")}</th>
                              <th className="pr-3 text-right font-medium">{t("col.debit")}</th>
                              <th className="pr-3 text-right font-medium">{t("col.credit")}</th>
                              <th className="font-medium">{t("col.text")}</th>
                            </tr>
                          </thead>
                          <tbody>
                            {v.preview.rows.map((r, i) => (
                              <tr key={i}>
                                <td className="pr-3 font-mono">{r.account}</td>
                                <td className="pr-3 text-right tabular-nums">{r.debitOre ? formatOre(r.debitOre) : ""}</td>
                                <td className="pr-3 text-right tabular-nums">{r.creditOre ? formatOre(r.creditOre) : ""}</td>
                                <td>{r.text ?? ""}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                        {v.preview.attachments.length > 0 && <p className="mt-1 text-xs text-slate-600">{t("previewFiles", { files: v.preview.attachments.join(", ") })}</p>}
                        {v.problems.length > 0 && (
                          <ul className="mt-2 list-disc pl-5 text-red-800">
                            {v.problems.map((p, i) => <li key={i}>{errorText(p.key, p.params)}</li>)}
                          </ul>
                        )}
                      </div>
                    ))}
                  </div>
                )}
              </>
            )}
          </section>
        )}
      </div>
    </Card>
  );
}
