"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { MAX_SIE_BYTES } from "@/lib/upload-limits";
import { JobProgressBar } from "../../../../_components/progress";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Card, EmptyState } from "../../../../_components/ui";
import { useJobPolling } from "../../../../_components/use-job-polling";
import { ImportSummary } from "./import-summary";
import { LedgerSchedules } from "./ledger-schedules";
import { SieUploadForm } from "./sie-upload-form";

// The import page: fetch from Fortnox or upload a SIE file, follow the job, then the current import's summary
// (import-summary.tsx), its ledgers (ledger-schedules.tsx) and the history of imports.

interface ProjectInfo {
  id: string;
  clientId: string;
  dataSource: "fortnox" | "sie";
  startDate: string;
  endDate: string;
}

const MAX_MB = MAX_SIE_BYTES / 1024 / 1024;

export function ImportPanel({ project, sandbox }: { project: ProjectInfo; sandbox: boolean }) {
  const t = useTranslations("import");
  const te = useTranslations("errors");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const input = { projectId: project.id };
  // When a job ends, everything derived from the current import is stale.
  const { query: state, job, active } = useJobPolling(trpc.import.state.queryOptions(input), () => {
    void qc.invalidateQueries({ queryKey: trpc.import.pathKey() });
    router.refresh();
  });
  const history = useQuery(trpc.import.history.queryOptions(input));
  const start = useMutation(trpc.import.start.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.import.state.queryKey(input) }) }));
  const current = state.data?.current ?? null;

  const errorText = (key: string | null | undefined, params?: Record<string, string | number> | null) =>
    key && te.has(key as never) ? te(key as never, (params ?? {}) as never) : te("internal");

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
            <SieUploadForm
              projectId={project.id}
              maxMb={MAX_MB}
              disabled={active}
              onSent={() => void qc.invalidateQueries({ queryKey: trpc.import.state.queryKey(input) })}
            />
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
