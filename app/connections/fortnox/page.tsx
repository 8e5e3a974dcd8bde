import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { formatOrgNr } from "@/lib/org-nr";
import { AuthFrame } from "../../_components/auth-frame";
import { EmptyState } from "../../_components/ui";

/**
 * The stable link the help center points at. Signed out → sign in and come back; one client → its connection
 * page; several → choose the client first.
 */
export default async function FortnoxConnectionLink() {
  const caller = await serverCaller();
  const me = await caller.account.me().catch(() => null);
  if (!me?.user) redirect(`/signin?callbackUrl=${encodeURIComponent("/connections/fortnox")}`);
  if (!me.firm) redirect("/onboarding");
  const clients = await caller.client.list();
  if (clients.length === 1) redirect(`/clients/${clients[0].id}/connection`);
  const t = await getTranslations("connection");
  return (
    <AuthFrame signedIn>
      {clients.length === 0 ? (
        <EmptyState title={t("noClients")}>
          <p>{t("noClientsHint")}</p>
          <Link href="/clients" className="mt-3 inline-block font-medium text-emerald-800 underline">{t("goToClients")}</Link>
        </EmptyState>
      ) : (
        <>
          <h1 className="text-xl font-semibold">{t("pickClientTitle")}</h1>
          <p className="mb-4 mt-1 text-sm text-slate-600">{t("pickClientSub")}</p>
          <ul className="divide-y divide-slate-100" aria-label={t("pickClientTitle")}>
            {clients.map((c) => (
              <li key={c.id}>
                <Link href={`/clients/${c.id}/connection`} className="flex justify-between py-3 hover:bg-slate-50">
                  <span className="font-medium text-emerald-800">{c.name}</span>
                  <span className="font-mono text-sm text-slate-600">{formatOrgNr(c.orgNr)}</span>
                </Link>
              </li>
            ))}
          </ul>
          <Link href="/connections" className="mt-4 inline-block text-sm font-medium text-emerald-800 underline">{t("overviewTitle")}</Link>
        </>
      )}
    </AuthFrame>
  );
}
