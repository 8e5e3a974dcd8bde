"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { formatOre } from "@/lib/money";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Card } from "../../../../_components/ui";
import { SimpleTable } from "./simple-table";

// The customer and supplier ledgers at the closing date (Fortnox imports only): their open items, and their sum
// against the balance of the ledger account.

export function LedgerSchedules({ projectId, closingDate }: { projectId: string; closingDate: string }) {
  const t = useTranslations("import");
  return (
    <Card title={t("schedules")}>
      <p className="mb-4 text-sm text-slate-600">{t("schedulesHint", { date: closingDate })}</p>
      <div className="space-y-6">
        <LedgerSchedule projectId={projectId} side="customer" />
        <LedgerSchedule projectId={projectId} side="supplier" />
      </div>
    </Card>
  );
}

function LedgerSchedule({ projectId, side }: { projectId: string; side: "customer" | "supplier" }) {
  const t = useTranslations("import");
  const trpc = useTRPC();
  const q = useQuery(trpc.import.ledgerSchedule.queryOptions({ projectId, side }));
  const s = q.data;
  if (!s) return null;
  return (
    <section data-testid={`schedule-${side}`}>
      <h3 className="mb-2 font-medium text-slate-900">{t(side)}</h3>
      {s.unavailable ? (
        <p className="text-sm text-amber-900" data-testid={`schedule-${side}-unavailable`}>
          {t(`check.${side}LedgerUnavailable_warning`, { reason: s.unavailable, account: s.account })}
        </p>
      ) : s.items.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noOpenItems")}</p>
      ) : (
        <details>
          <summary className="cursor-pointer text-sm text-emerald-800 hover:underline">{t("showItems", { count: s.items.length })}</summary>
          <div className="mt-2">
            <SimpleTable
              head={[t("itemCol.counterparty"), t("itemCol.invoice"), t("itemCol.invoiceDate"), t("itemCol.dueDate"), t("itemCol.currency"), t("itemCol.total"), t("itemCol.open")]}
              numeric={[5, 6]}
              rows={s.items.map((i) => [
                `${i.counterpartyNumber} ${i.counterpartyName}`,
                i.externalInvoiceNumber && i.externalInvoiceNumber !== i.invoiceNumber ? `${i.invoiceNumber} (${i.externalInvoiceNumber})` : i.invoiceNumber,
                i.invoiceDate,
                i.dueDate ?? "",
                i.currency === "SEK" ? "SEK" : `${i.currency} ${i.currencyRate}`,
                formatOre(i.totalOre),
                formatOre(i.openOre),
              ])}
            />
          </div>
        </details>
      )}
      {!s.unavailable && (
        <dl className="mt-3 grid max-w-md grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm tabular-nums">
          <dt>{t("sumLedger")}</dt>
          <dd className="text-right" data-testid={`schedule-${side}-sum`}>{formatOre(s.sumOre)}</dd>
          <dt>{t("sumBalance")}</dt>
          <dd className="text-right">{formatOre(s.balanceOre)}</dd>
          <dt className="font-medium">{t("sumDifference")}</dt>
          <dd className={`text-right font-medium ${s.differenceOre === 0 ? "text-emerald-800" : "text-red-700"}`} data-testid={`schedule-${side}-difference`}>
            {formatOre(s.differenceOre)}
          </dd>
        </dl>
      )}
    </section>
  );
}
