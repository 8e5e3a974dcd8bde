"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useFormatter, useTranslations } from "next-intl";
import type { AppRouter } from "@/server/api/root";
import { formatOre } from "@/lib/money";
import { Alert, Card } from "../../../../_components/ui";
import { SimpleTable } from "./simple-table";

// What the current import holds: its counts, the checks run on it, what changed since the previous import, and
// the file's warnings.

type Check = { key: string; status: "ok" | "warning" | "error" | "skipped"; params?: Record<string, string | number>; items?: Record<string, string | number | null>[]; itemCount?: number };

const STATUS_STYLE: Record<Check["status"], string> = {
  ok: "bg-emerald-100 text-emerald-900",
  warning: "bg-amber-100 text-amber-900",
  error: "bg-red-100 text-red-900",
  skipped: "bg-slate-100 text-slate-600",
};

type CurrentImport = NonNullable<inferRouterOutputs<AppRouter>["import"]["state"]["current"]>;

export function ImportSummary({ imp }: { imp: CurrentImport }) {
  const t = useTranslations("import");
  const format = useFormatter();
  const meta = imp.meta as { companyName?: string; program?: string; fileName?: string; encoding?: string };
  // By code in the user's language, with what the file added; a code this version does not know keeps its text.
  const warningText = (w: CurrentImport["warnings"][number]) => {
    const key = `warningCode.${w.code}`;
    if (!t.has(key)) return w.message;
    return w.detail ? `${t(key)}: ${w.detail}` : t(key);
  };
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
          <div data-testid="import-warnings">
            <SimpleTable head={[t("col.line"), t("col.message")]} rows={imp.warnings.map((w) => [String(w.line || ""), warningText(w)])} />
          </div>
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
