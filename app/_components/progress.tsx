"use client";
import { useTranslations } from "next-intl";
import type { JobProgress } from "@/lib/job-progress";

export type ProgressValue = JobProgress;

/**
 * The progress bar of a background job: which step of how many, and a count within it. A step without a known
 * total fills its share of the bar when it is done; the bar never goes backwards.
 */
export function JobProgressBar({ label, progress, stepLabel, countLabel }: { label: string; progress: ProgressValue | null; stepLabel: (step: string) => string; countLabel?: (p: ProgressValue) => string | null }) {
  const t = useTranslations("import");
  const p = progress;
  const within = p && p.total ? Math.min(1, p.done / p.total) : 0;
  const percent = p ? Math.round(((p.stepIndex + within) / Math.max(1, p.stepCount)) * 100) : 0;
  const count = p ? countLabel?.(p) : null;
  return (
    <div className="space-y-2" data-testid="job-progress">
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <span className="font-medium text-slate-900">{label}</span>
        <span className="tabular-nums text-slate-600">{percent} %</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={p ? t("stepOf", { index: p.stepIndex + 1, count: p.stepCount, step: stepLabel(p.step) }) : t("queued")}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-emerald-600 transition-all duration-500" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-slate-700" aria-live="polite">
        {p ? t("stepOf", { index: p.stepIndex + 1, count: p.stepCount, step: stepLabel(p.step) }) : t("queued")}
        {count ? ` · ${count}` : ""}
        {p?.etaSeconds ? ` · ${t("eta", { minutes: Math.max(1, Math.ceil(p.etaSeconds / 60)) })}` : ""}
      </p>
    </div>
  );
}
