import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { CONNECT_ERROR_KEYS } from "@/server/connections/connect";
import { formatOrgNr } from "@/lib/org-nr";
import { Alert, Card, PageTitle } from "../../../../_components/ui";
import { StatusBadge } from "../../../../_components/connection-status";
import { ConnectPanel, DisconnectButton, PendingActions } from "./connection-actions";

type Search = Promise<{ error?: string; fortnox?: string; projectId?: string }>;

export default async function ConnectionPage({ params, searchParams }: { params: Promise<{ clientId: string }>; searchParams: Search }) {
  const { clientId } = await params;
  const search = await searchParams;
  const { client, connection: c, history, sandbox } = await (await serverCaller()).connection.get({ clientId });
  const t = await getTranslations("connection");
  const te = await getTranslations("errors");
  const ta = await getTranslations("activity");
  const format = await getFormatter();
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : t("unknown"));
  const day = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "long" }) : t("unknown"));
  // Only keys the callback can send are shown: nothing else from the URL reaches the page.
  const callbackError = (CONNECT_ERROR_KEYS as readonly string[]).includes(search.error ?? "") ? te(search.error as never) : null;
  const result = search.fortnox === "connected" || search.fortnox === "pending_confirmation" ? search.fortnox : null;
  const status = c?.status ?? "none";
  const fortnoxOrgNr = c?.orgNr ? formatOrgNr(c.orgNr) : t("unknown");
  const actionLabel = (a: string) => (ta.has(`action.${a}` as never) ? ta(`action.${a}` as never) : a);

  return (
    <div className="space-y-6">
      <Link href={search.projectId ? `/projects/${search.projectId}` : `/clients/${client.id}`} className="text-sm text-emerald-800 hover:underline">
        ← {client.name}
      </Link>
      <PageTitle sub={formatOrgNr(client.orgNr)}>{t("title", { client: client.name })}</PageTitle>
      {sandbox && (
        <div data-testid="sandbox-banner">
          <Alert kind="info">{t("sandboxBanner")}</Alert>
        </div>
      )}
      {callbackError && <Alert>{callbackError}</Alert>}
      {result && c?.status === result && <Alert kind={result === "connected" ? "success" : "warning"}>{t(`result_${result}`)}</Alert>}

      <Card title={t("stateTitle")} actions={<StatusBadge status={status} label={t(`status_${status}`)} testId="connection-state" />}>
        {c ? (
          <div className="space-y-5">
            <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-slate-500">{t("company")}</dt>
                <dd className="font-medium text-slate-900" data-testid="connection-company">{c.companyName || t("unknown")}</dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("fortnoxOrgNr")}</dt>
                <dd className="font-mono text-slate-900" data-testid="connection-org-nr">
                  {fortnoxOrgNr}
                  {!c.orgNrMatches && <span className="ml-2 font-sans text-xs font-medium text-amber-800">({t("orgNrDiffers")})</span>}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("databaseNumber")}</dt>
                <dd className="font-mono text-slate-900" data-testid="connection-database-number">{c.tenantId ?? t("unknown")}</dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("connectedBy")}</dt>
                <dd className="text-slate-900" data-testid="connection-connected-by">
                  {c.connectedByName ?? t("unknown")} · {when(c.connectedAt)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("validUntil")}</dt>
                <dd className="text-slate-900" data-testid="connection-valid-until" title={c.validUntil ? t("validHint", { date: day(c.validUntil) }) : undefined}>
                  {c.kind === "service" ? t("validUntilService") : day(c.validUntil)}
                </dd>
              </div>
            </dl>

            <details className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
              <summary className="cursor-pointer font-medium text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600">{t("details")}</summary>
              <dl className="mt-3 grid gap-x-8 gap-y-2 sm:grid-cols-2">
                <div>
                  <dt className="text-slate-500">{t("kind")}</dt>
                  <dd>{t(`kind_${c.kind}`)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">{t("lastRefreshed")}</dt>
                  <dd>{when(c.lastRefreshedAt)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">{t("accessValidUntil")}</dt>
                  <dd>{when(c.accessTokenExpiresAt)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">{t("scopes")}</dt>
                  <dd className="font-mono text-xs">{c.scopes.join(" ") || t("unknown")}</dd>
                </div>
              </dl>
              {c.validUntil && <p className="mt-3 text-slate-600">{t("validHint", { date: day(c.validUntil) })}</p>}
            </details>

            {c.status === "pending_confirmation" && (
              <div className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" role="alert" data-testid="connection-pending">
                <p className="font-semibold">{t("pendingTitle")}</p>
                {c.warnings.orgNrMismatch && (
                  <p>{t("mismatchText", { company: c.companyName ?? "", fortnoxOrgNr, client: client.name, clientOrgNr: formatOrgNr(client.orgNr) })}</p>
                )}
                {c.warnings.sameCompanyAs && <p>{t("sameCompanyText", { company: c.companyName ?? "", other: c.warnings.sameCompanyAs.name })}</p>}
                <PendingActions clientId={client.id} />
              </div>
            )}
            {c.status === "needs_reconnect" && <Alert kind="warning">{c.lastErrorKey ? te(c.lastErrorKey as never) : t("needsReconnectText")}</Alert>}
            {c.status === "error" && <Alert>{c.lastErrorKey && te.has(c.lastErrorKey as never) ? te(c.lastErrorKey as never) : t("errorText")}</Alert>}
            {c.status === "connected" && c.lastErrorKey && te.has(c.lastErrorKey as never) && <Alert kind="warning">{te(c.lastErrorKey as never)}</Alert>}

            <div className="flex flex-wrap items-start gap-3">
              {(c.status === "needs_reconnect" || c.status === "error") && <ConnectPanel clientId={client.id} reconnect />}
              {c.status !== "pending_confirmation" && <DisconnectButton clientId={client.id} clientName={client.name} />}
            </div>
          </div>
        ) : (
          <ConnectPanel clientId={client.id} />
        )}
      </Card>

      <Card title={t("historyTitle")}>
        {history.length === 0 ? (
          <p className="text-sm text-slate-600">{t("historyEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="connection-history">
            {history.map((h) => (
              <li key={h.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span className="font-medium text-slate-900">{actionLabel(h.action)}</span>
                <span className="text-slate-600">
                  {h.userName ?? t("system")} · {when(h.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t("sieTitle")}>
        <p className="text-sm text-slate-700">{t("sieAlternative")}</p>
        <Link href={`/clients/${client.id}`} className="mt-3 inline-block text-sm font-medium text-emerald-800 underline">
          {t("goToClient")}
        </Link>
      </Card>
    </div>
  );
}
