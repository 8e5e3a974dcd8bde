import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/server/api/context";
import { formatOrgNr } from "@/server/firms/org-nr";
import { Alert, Card, PageTitle } from "../../../../_components/ui";

export default async function ConnectionPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { clientId } = await params;
  const client = await (await serverCaller()).client.get({ clientId });
  const t = await getTranslations("connection");
  return (
    <div className="space-y-6">
      <Link href={`/clients/${client.id}`} className="text-sm text-emerald-800 hover:underline">← {client.name}</Link>
      <PageTitle sub={formatOrgNr(client.orgNr)}>{t("title", { client: client.name })}</PageTitle>
      <Card>
        <p className="text-sm font-medium" data-testid="connection-state">{t("notConnected")}</p>
      </Card>
      <Alert kind="info">{t("sieAlternative")}</Alert>
    </div>
  );
}
