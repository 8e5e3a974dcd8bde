import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { CONNECT_ERROR_KEYS } from "@/server/connections/connect";
import { formatOrgNr } from "@/lib/org-nr";
import { Alert, EmptyState, PageTitle } from "../../_components/ui";
import { StatusBadge } from "../../_components/connection-status";

/** Översikt av kopplingar: every client of the firm, its Fortnox state and what it needs. */
export default async function ConnectionsOverviewPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const { clients, sandbox } = await (await serverCaller()).connection.overview();
  const t = await getTranslations("connection");
  const te = await getTranslations("errors");
  const format = await getFormatter();
  const day = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium" }) : t("unknown"));
  const shownError = (CONNECT_ERROR_KEYS as readonly string[]).includes(error ?? "") ? te(error as never) : null;
  return (
    <div className="space-y-6">
      <PageTitle sub={t("overviewSub")}>{t("overviewTitle")}</PageTitle>
      {sandbox && <Alert kind="info">{t("sandboxBanner")}</Alert>}
      {shownError && <Alert>{shownError}</Alert>}
      {clients.length === 0 ? (
        <EmptyState title={t("noClients")}>
          <p>{t("noClientsHint")}</p>
          <Link href="/clients" className="mt-3 inline-block font-medium text-emerald-800 underline">{t("goToClients")}</Link>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm" data-testid="connections-overview">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_client")}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_state")}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_company")}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_validUntil")}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_lastImport")}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_lastExport")}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t("col_action")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {clients.map((c) => {
                const status = c.status ?? "none";
                const actionText = t(`action_${c.action}`);
                return (
                  <tr key={c.clientId} data-testid={`overview-${c.clientId}`}>
                    <th scope="row" className="px-4 py-3 font-medium text-slate-900">
                      {c.clientName}
                      <span className="block font-mono text-xs font-normal text-slate-500">{formatOrgNr(c.clientOrgNr)}</span>
                    </th>
                    <td className="px-4 py-3">
                      <StatusBadge status={status} label={t(`status_${status}`)} />
                    </td>
                    <td className="px-4 py-3">
                      {c.companyName ? (
                        <span title={c.tenantId ? `${t("databaseNumber")}: ${c.tenantId}` : undefined}>{c.companyName}</span>
                      ) : (
                        t("unknown")
                      )}
                    </td>
                    <td className="px-4 py-3">{c.kind === "service" && c.status === "connected" ? t("validUntilService") : day(c.validUntil)}</td>
                    <td className="px-4 py-3">{day(c.lastImportAt)}</td>
                    <td className="px-4 py-3">{day(c.lastExportAt)}</td>
                    <td className="px-4 py-3">
                      <Link
                        href={`/clients/${c.clientId}/connection`}
                        aria-label={t("actionFor", { action: actionText, client: c.clientName })}
                        className={
                          c.action === "none"
                            ? "font-medium text-emerald-800 hover:underline"
                            : "inline-block rounded-md bg-emerald-700 px-3 py-1.5 text-xs font-medium text-white hover:bg-emerald-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2"
                        }
                      >
                        {actionText}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
