"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { formatOre } from "@/lib/money";

export type ScheduleStatus = "not_started" | "in_progress" | "reconciled";

const STATUS_STYLE: Record<ScheduleStatus | "changed", string> = {
  not_started: "bg-slate-100 text-slate-700",
  in_progress: "bg-amber-100 text-amber-900",
  reconciled: "bg-emerald-100 text-emerald-900",
  changed: "bg-red-100 text-red-900",
};

/** A schedule's status; a signed-off one whose balance moved since says so instead. */
export function StatusChip({ status, changed }: { status: ScheduleStatus; changed?: boolean }) {
  const t = useTranslations("closing");
  const key = status === "reconciled" && changed ? "changed" : status;
  return (
    <span className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[key]}`} data-testid="status-chip" data-status={key}>
      {t(`status.${key}`)}
    </span>
  );
}

/** An amount in a table cell: right-aligned, tabular figures, sv-SE, red when asked to stand out. */
export function Amount({ ore, strong, alert, muted }: { ore: number | null | undefined; strong?: boolean; alert?: boolean; muted?: boolean }) {
  if (ore === null || ore === undefined) return <span className="text-slate-400">–</span>;
  return (
    <span className={`tabular-nums ${strong ? "font-semibold" : ""} ${alert ? "font-semibold text-red-700" : ""} ${muted && ore === 0 ? "text-slate-400" : ""}`}>
      {formatOre(ore)}
    </span>
  );
}

export function Figure({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="rounded-md bg-slate-50 p-3">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums" data-testid={testId}>{children}</dd>
    </div>
  );
}

/** The translated message of a tRPC error (the server already translated it). */
export function errorText(err: unknown, fallback: string): string {
  return (err as { message?: string } | null)?.message || fallback;
}
