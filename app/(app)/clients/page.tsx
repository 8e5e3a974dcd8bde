import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { formatOrgNr } from "@/lib/org-nr";
import { Card, EmptyState, PageTitle } from "../../_components/ui";
import { CreateClientForm } from "./create-client-form";

export default async function ClientsPage() {
  const t = await getTranslations("clients");
  const clients = await (await serverCaller()).client.list();
  return (
    <div className="space-y-6">
      <PageTitle sub={t("sub")}>{t("title")}</PageTitle>
      {clients.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100" aria-label={t("title")}>
            {clients.map((c) => (
              <li key={c.id} className="flex items-center justify-between py-3">
                <Link href={`/clients/${c.id}`} className="font-medium text-emerald-800 hover:underline">
                  {c.name}
                </Link>
                <span className="font-mono text-sm text-slate-600">{formatOrgNr(c.orgNr)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title={t("add")}>
        <CreateClientForm />
      </Card>
    </div>
  );
}
