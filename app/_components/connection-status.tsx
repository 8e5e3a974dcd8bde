const STYLE: Record<string, string> = {
  connected: "bg-emerald-100 text-emerald-900",
  pending_confirmation: "bg-amber-100 text-amber-900",
  needs_reconnect: "bg-amber-100 text-amber-900",
  error: "bg-red-100 text-red-900",
  none: "bg-slate-100 text-slate-700",
};

/** The Fortnox connection state as a small badge (connection page, connections overview). */
export function StatusBadge({ status, label, testId }: { status: string; label: string; testId?: string }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-medium ${STYLE[status] ?? STYLE.none}`} data-testid={testId}>
      {label}
    </span>
  );
}
