"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { AppRouter } from "@/server/api/root";
import { formatOre } from "@/lib/money";
import { MAX_SIE_BYTES } from "@/lib/upload-limits";
import { JobProgressBar } from "../../../../_components/progress";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, EmptyState, Field } from "../../../../_components/ui";

interface ProjectInfo {
  id: string;
  clientId: string;
  dataSource: "fortnox" | "sie";
  startDate: string;
  endDate: string;
}

type Check = { key: string; status: "ok" | "warning" | "error" | "skipped"; params?: Record<string, string | number>; items?: Record<string, string | number | null>[]; itemCount?: number };

const MAX_MB = MAX_SIE_BYTES / 1024 / 1024;
const STATUS_STYLE: Record<Check["status"], string> = {
  ok: "bg-emerald-100 text-emerald-900",
  warning: "bg-amber-100 text-amber-900",
  error: "bg-red-100 text-red-900",
  skipped: "bg-slate-100 text-slate-600",
};

export function ImportPanel({ project, sandbox }: { project: ProjectInfo; sandbox: boolean }) {
  const t = useTranslations("import");
  const te = useTranslations("errors");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const input = { projectId: project.id };
  const state = useQuery({
    ...trpc.import.state.queryOptions(input),
    // Poll while a job is queued or running; the job lives in the database, so a reload picks it up again.
    refetchInterval: (q) => (q.state.data?.job && ["queued", "running"].includes(q.state.data.job.state) ? 1000 : false),
  });
  const history = useQuery(trpc.import.history.queryOptions(input));
  const start = useMutation(trpc.import.start.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.import.state.queryKey(input) }) }));
  const [upload, setUpload] = useState<{ percent: number } | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const job = state.data?.job ?? null;
  const active = !!job && (job.state === "queued" || job.state === "running");
  const current = state.data?.current ?? null;

  // When a job ends, everything derived from the current import is stale.
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      void qc.invalidateQueries({ queryKey: trpc.import.pathKey() });
      router.refresh();
    }
    wasActive.current = active;
  }, [active, qc, trpc, router]);

  const errorText = (key: string | null | undefined, params?: Record<string, string | number> | null) =>
    key && te.has(key as never) ? te(key as never, (params ?? {}) as never) : te("internal");

  function onUpload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setUploadError(null);
    const file = (new FormData(e.currentTarget).get("file") as File | null) ?? null;
    if (!file || !file.size) {
      setUploadError(t("pickFile"));
      return;
    }
    if (file.size > MAX_SIE_BYTES) {
      setUploadError(te("sieTooLarge", { mb: MAX_MB }));
      return;
    }
    // XMLHttpRequest rather than fetch: it reports upload progress for the bar.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/projects/${project.id}/sie`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (ev) => ev.lengthComputable && setUpload({ percent: Math.round((ev.loaded / ev.total) * 100) });
    xhr.onload = () => {
      setUpload(null);
      if (xhr.status >= 400) {
        let message = te("internal");
        try {
          message = JSON.parse(xhr.responseText).message ?? message;
        } catch {}
        setUploadError(message);
      }
      void qc.invalidateQueries({ queryKey: trpc.import.state.queryKey(input) });
    };
    xhr.onerror = () => {
      setUpload(null);
      setUploadError(te("internal"));
    };
    setUpload({ percent: 0 });
    xhr.send(file);
  }

  const stepLabel = (s: string) => (t.has(`step.${s}` as never) ? t(`step.${s}` as never) : s);
  const fromFortnox = project.dataSource === "fortnox";

  return (
    <div className="space-y-6">
      <Card title={t("source")}>
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            <span className="font-medium">{fromFortnox ? t("sourceFortnox") : t("sourceSie")}</span> · {t("year")} {project.startDate} – {project.endDate}
          </p>
          {fromFortnox ? (
            <>
              {sandbox && <Alert kind="info">{t("sandboxNote")}</Alert>}
              <p className="text-sm text-slate-600">{t("fetchHint")}</p>
              <Button onClick={() => start.mutate(input)} disabled={active || start.isPending} data-testid="start-import">
                {current ? t("fetchAgain") : t("fetch")}
              </Button>
              {start.error && (
                <Alert>
                  {start.error.message}{" "}
                  {start.error.data?.fix === "connection" && (
                    <Link className="font-medium underline" href={`/clients/${project.clientId}/connection?projectId=${project.id}`}>{t("goConnect")}</Link>
                  )}
                </Alert>
              )}
            </>
          ) : (
            <form onSubmit={onUpload} className="space-y-3">
              <Field label={t("fileLabel", { mb: MAX_MB })} htmlFor="sie-file" error={uploadError}>
                <div
                  onDragOver={(e) => {
                    e.preventDefault();
                    setDragging(true);
                  }}
                  onDragLeave={() => setDragging(false)}
                  onDrop={(e) => {
                    e.preventDefault();
                    setDragging(false);
                    const dropped = e.dataTransfer.files[0];
                    if (dropped && fileInput.current) {
                      const dt = new DataTransfer();
                      dt.items.add(dropped);
                      fileInput.current.files = dt.files;
                      setFileName(dropped.name);
                    }
                  }}
                  className={`flex flex-wrap items-center gap-3 rounded-md border-2 border-dashed px-4 py-4 text-sm ${dragging ? "border-emerald-600 bg-emerald-50" : "border-slate-300 bg-slate-50"}`}
                >
                  <input
                    ref={fileInput}
                    id="sie-file"
                    name="file"
                    type="file"
                    accept=".se,.si,.sie,.txt"
                    aria-describedby={uploadError ? "sie-file-error" : undefined}
                    className="peer sr-only"
                    onChange={(e) => setFileName(e.target.files?.[0]?.name ?? null)}
                  />
                  <label
                    htmlFor="sie-file"
                    className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50 peer-focus-visible:ring-2 peer-focus-visible:ring-emerald-600"
                  >
                    {t("chooseFile")}
                  </label>
                  <span className="text-slate-600" data-testid="sie-file-name">{fileName ?? t("dropHint")}</span>
                </div>
              </Field>
              <Button type="submit" disabled={active || !!upload}>{upload ? t("uploading", { percent: upload.percent }) : t("upload")}</Button>
            </form>
          )}
        </div>
      </Card>

      {active && job && (
        <Card>
          <JobProgressBar
            label={t("running")}
            progress={job.progress}
            stepLabel={stepLabel}
            countLabel={(p) =>
              p.step === "siePrepare" ? (p.done > 0 ? t("waited", { seconds: p.done }) : null)
              : p.step === "sie" && p.total === null && p.done > 0 ? t("vouchersRead", { count: p.done })
              : p.total ? t("countOf", { done: p.done, total: p.total }) : null}
          />
        </Card>
      )}

      {!active && job?.state === "failed" && (
        <Alert>
          <p className="font-medium">{t("failed")}</p>
          <p className="mt-1">{errorText(job.errorKey, job.errorParams)}</p>
          <p className="mt-1 text-red-700">{t("failedHint")}</p>
          {job.errorFix === "connection" && (
            <Link className="mt-2 inline-block font-medium underline" href={`/clients/${project.clientId}/connection?projectId=${project.id}`}>{t("goConnect")}</Link>
          )}
        </Alert>
      )}

      {!current && !active && state.isSuccess && (
        <EmptyState title={t("empty")}>{fromFortnox ? t("emptyFortnox") : t("emptySie")}</EmptyState>
      )}

      {current && <ImportSummary imp={current} />}
      {current?.source === "fortnox" && <LedgerSchedules projectId={project.id} closingDate={project.endDate} />}

      <Card title={t("history")}>
        {history.data && history.data.length > 1 ? (
          <table className="w-full text-left text-sm" data-testid="import-history">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-4 font-medium">{t("col.date")}</th>
                <th className="py-1 pr-4 font-medium">{t("source")}</th>
                <th className="py-1 pr-4 font-medium">{t("counts.vouchers")}</th>
                <th className="py-1 font-medium">{t("col.change")}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((h) => (
                <tr key={h.id} className="border-t border-slate-100">
                  <td className="py-1.5 pr-4">{format.dateTime(new Date(h.startedAt), { dateStyle: "medium", timeStyle: "short" })}</td>
                  <td className="py-1.5 pr-4">{h.source === "fortnox" ? t("sourceFortnox") : t("sourceSie")}</td>
                  <td className="py-1.5 pr-4 tabular-nums">{h.counts.vouchers ?? "—"}</td>
                  <td className="py-1.5">
                    {t(`status.${h.status}` as never)}
                    {h.status === "failed" && h.errorKey ? ` · ${errorText(h.errorKey)}` : ""}
                    {h.diff && !h.diff.first ? ` · ${t("diffCounts", { created: h.diff.newVouchers, changed: h.diff.changedVouchers, removed: h.diff.removedVouchers })}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-600">{t("historyEmpty")}</p>
        )}
      </Card>
    </div>
  );
}

type CurrentImport = NonNullable<inferRouterOutputs<AppRouter>["import"]["state"]["current"]>;

function ImportSummary({ imp }: { imp: CurrentImport }) {
  const t = useTranslations("import");
  const format = useFormatter();
  const meta = imp.meta as { companyName?: string; program?: string; fileName?: string; encoding?: string };
  const countKeys = ["accounts", "vouchers", "rows", "corrections", "customerItems", "supplierItems"].filter((k) => k in imp.counts && (imp.source === "fortnox" || !k.endsWith("Items")));
  return (
    <>
      <Card title={t("summary")}>
        <div className="space-y-4">
          <p className="text-sm text-slate-600">
            {imp.publishedAt ? t("fetchedAtNoUser", { when: format.dateTime(new Date(imp.publishedAt), { dateStyle: "medium", timeStyle: "short" }) }) : null}
          </p>
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            {meta.companyName && (<><dt className="text-slate-500">{t("company")}</dt><dd className="font-medium">{meta.companyName}</dd></>)}
            {meta.fileName && (<><dt className="text-slate-500">{t("fileName")}</dt><dd>{meta.fileName}</dd></>)}
            {meta.program && (<><dt className="text-slate-500">{t("program")}</dt><dd>{meta.program}</dd></>)}
            {meta.encoding && (<><dt className="text-slate-500">{t("encoding")}</dt><dd>{meta.encoding}</dd></>)}
          </dl>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="import-counts">
            {countKeys.map((k) => (
              <div key={k} className="rounded-md bg-slate-50 p-3">
                <dt className="text-xs text-slate-500">{t(`counts.${k}` as never)}</dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${k}`}>{format.number(imp.counts[k])}</dd>
              </div>
            ))}
          </dl>
        </div>
      </Card>

      <Card title={t("checks")}>
        <ul className="divide-y divide-slate-100" data-testid="import-checks">
          {imp.checks.map((c) => (
            <CheckRow key={c.key} check={c} />
          ))}
        </ul>
      </Card>

      <Card title={t("diff")}>
        {!imp.diff || imp.diff.first ? (
          <p className="text-sm text-slate-600">{t("diffFirst")}</p>
        ) : imp.diff.newVouchers + imp.diff.changedVouchers + imp.diff.removedVouchers === 0 && imp.diff.movedAccounts.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="diff-none">{t("diffNone")}</p>
        ) : (
          <div className="space-y-4 text-sm" data-testid="import-diff">
            <p>{t("diffCounts", { created: imp.diff.newVouchers, changed: imp.diff.changedVouchers, removed: imp.diff.removedVouchers })}</p>
            {imp.diff.vouchers.length > 0 && (
              <SimpleTable
                head={[t("col.change"), t("col.series"), t("col.number"), t("col.date"), t("col.text")]}
                rows={imp.diff.vouchers.map((v) => [t(`change.${v.change}` as never), v.series, v.number, v.date ?? "", v.text])}
              />
            )}
            {imp.diff.movedAccounts.length > 0 && (
              <>
                <h3 className="font-medium">{t("movedAccounts")}</h3>
                <SimpleTable
                  head={[t("col.account"), t("col.name"), t("col.before"), t("col.after"), t("col.change")]}
                  numeric={[2, 3, 4]}
                  rows={imp.diff.movedAccounts.map((m) => [m.account, m.name ?? "", formatOre(m.beforeOre), formatOre(m.afterOre), formatOre(m.afterOre - m.beforeOre)])}
                />
              </>
            )}
            {imp.diff.signedOffChanged.length > 0 && (
              <Alert kind="warning">
                <p className="font-medium">{t("signedOffChanged")}</p>
                <p>{imp.diff.signedOffChanged.map((s) => `${s.account}: ${formatOre(s.signedOffOre)} → ${formatOre(s.afterOre)}`).join(" · ")}</p>
              </Alert>
            )}
          </div>
        )}
      </Card>

      {imp.warnings.length > 0 && (
        <Card title={t("warnings")}>
          <SimpleTable head={[t("col.line"), t("col.message")]} rows={imp.warnings.map((w) => [String(w.line || ""), w.message])} />
        </Card>
      )}
    </>
  );
}

function CheckRow({ check }: { check: Check }) {
  const t = useTranslations("import");
  const params = Object.fromEntries(
    Object.entries(check.params ?? {}).map(([k, v]) => [k, typeof v === "number" && k.endsWith("Ore") ? formatOre(v) : v]),
  );
  // Most specific text first: a check's reason (why skipped) or basis (what it compared), then its status.
  const status = `check.${check.key}_${check.status}`;
  const variant = [check.params?.reason, check.params?.basis].filter((v) => v !== undefined).map((v) => `${status}_${v}`).concat(status)
    .find((k) => t.has(k as never));
  const text = t((variant ?? `check.${check.key}`) as never, params as never);
  const p = check.params ?? {};
  return (
    <li className="py-3" data-testid={`check-${check.key}`} data-status={check.status}>
      <div className="flex items-start gap-3">
        <span className={`mt-0.5 shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[check.status]}`}>{t(`checkStatus.${check.status}` as never)}</span>
        <div className="min-w-0 flex-1 text-sm">
          <p className="text-slate-900">{text}</p>
          {check.key === "openingBalances" && check.status !== "skipped" && (
            <p className="text-xs text-slate-500">{p.against === "project" ? t("againstProject") : t("againstFile")}</p>
          )}
          {(check.key === "customerLedger" || check.key === "supplierLedger") && (
            <p className="text-xs tabular-nums text-slate-600">
              {t("ledgerLine", { ledger: formatOre(Number(p.ledgerOre)), balance: formatOre(Number(p.balanceOre)), difference: formatOre(Number(p.differenceOre)) })}
            </p>
          )}
          {check.items && check.items.length > 0 && (
            <details className="mt-2">
              <summary className="cursor-pointer text-emerald-800 hover:underline">{t("showItems", { count: check.itemCount ?? check.items.length })}</summary>
              <div className="mt-2">
                <SimpleTable
                  head={Object.keys(check.items[0]).map((k) => (t.has(`col.${k.replace(/Ore$/, "")}` as never) ? t(`col.${k.replace(/Ore$/, "")}` as never) : k))}
                  numeric={Object.keys(check.items[0]).flatMap((k, i) => (k.endsWith("Ore") ? [i] : []))}
                  rows={check.items.map((it) => Object.entries(it).map(([k, v]) => (k.endsWith("Ore") && typeof v === "number" ? formatOre(v) : String(v ?? ""))))}
                />
              </div>
            </details>
          )}
        </div>
      </div>
    </li>
  );
}

function LedgerSchedules({ projectId, closingDate }: { projectId: string; closingDate: string }) {
  const t = useTranslations("import");
  return (
    <Card title={t("schedules")}>
      <p className="mb-4 text-sm text-slate-600">{t("schedulesHint", { date: closingDate })}</p>
      <div className="space-y-6">
        <LedgerSchedule projectId={projectId} side="customer" />
        <LedgerSchedule projectId={projectId} side="supplier" />
      </div>
    </Card>
  );
}

function LedgerSchedule({ projectId, side }: { projectId: string; side: "customer" | "supplier" }) {
  const t = useTranslations("import");
  const trpc = useTRPC();
  const q = useQuery(trpc.import.ledgerSchedule.queryOptions({ projectId, side }));
  const s = q.data;
  if (!s) return null;
  return (
    <section data-testid={`schedule-${side}`}>
      <h3 className="mb-2 font-medium text-slate-900">{t(side)}</h3>
      {s.unavailable ? (
        <p className="text-sm text-amber-900" data-testid={`schedule-${side}-unavailable`}>
          {t(`check.${side}LedgerUnavailable_warning`, { reason: s.unavailable, account: s.account })}
        </p>
      ) : s.items.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noOpenItems")}</p>
      ) : (
        <details>
          <summary className="cursor-pointer text-sm text-emerald-800 hover:underline">{t("showItems", { count: s.items.length })}</summary>
          <div className="mt-2">
            <SimpleTable
              head={[t("itemCol.counterparty"), t("itemCol.invoice"), t("itemCol.invoiceDate"), t("itemCol.dueDate"), t("itemCol.currency"), t("itemCol.total"), t("itemCol.open")]}
              numeric={[5, 6]}
              rows={s.items.map((i) => [
                `${i.counterpartyNumber} ${i.counterpartyName}`,
                i.externalInvoiceNumber && i.externalInvoiceNumber !== i.invoiceNumber ? `${i.invoiceNumber} (${i.externalInvoiceNumber})` : i.invoiceNumber,
                i.invoiceDate,
                i.dueDate ?? "",
                i.currency === "SEK" ? "SEK" : `${i.currency} ${i.currencyRate}`,
                formatOre(i.totalOre),
                formatOre(i.openOre),
              ])}
            />
          </div>
        </details>
      )}
      {!s.unavailable && (
        <dl className="mt-3 grid max-w-md grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm tabular-nums">
          <dt>{t("sumLedger")}</dt>
          <dd className="text-right" data-testid={`schedule-${side}-sum`}>{formatOre(s.sumOre)}</dd>
          <dt>{t("sumBalance")}</dt>
          <dd className="text-right">{formatOre(s.balanceOre)}</dd>
          <dt className="font-medium">{t("sumDifference")}</dt>
          <dd className={`text-right font-medium ${s.differenceOre === 0 ? "text-emerald-800" : "text-red-700"}`} data-testid={`schedule-${side}-difference`}>
            {formatOre(s.differenceOre)}
          </dd>
        </dl>
      )}
    </section>
  );
}

function SimpleTable({ head, rows, numeric = [] }: { head: string[]; rows: string[][]; numeric?: number[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} className={`py-1 pr-4 font-medium ${numeric.includes(i) ? "text-right" : ""}`}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-t border-slate-100">
              {r.map((c, j) => (
                <td key={j} className={`py-1.5 pr-4 ${numeric.includes(j) ? "text-right tabular-nums" : ""}`}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
