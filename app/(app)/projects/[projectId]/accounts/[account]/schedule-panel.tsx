"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { formatOre } from "@/lib/money";
import { useTRPC } from "../../../../../_components/trpc-provider";
import { Alert, Button, Card } from "../../../../../_components/ui";
import { AttachmentsPanel } from "../../_components/attachments-panel";
import { Amount, errorText, Figure, StatusChip } from "../../_components/closing-ui";
import { AccountsInSchedule, CommentEditor, LedgerItems, RowsEditor } from "./schedule-sections";

/** The schedule of a balance-sheet account: figures, specification rows, ledger items, comment, documents, sign-off. */
export function SchedulePanel({ projectId, account, closingDate }: { projectId: string; account: string; closingDate: string }) {
  const t = useTranslations("schedule");
  const te = useTranslations("errors");
  const ti = useTranslations("import");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const input = { projectId, account };
  const q = useQuery(trpc.schedule.get.queryOptions(input));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.schedule.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.reconciliation.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.attachment.pathKey() });
  };
  const signOff = useMutation(trpc.schedule.signOff.mutationOptions({ onSuccess: refresh }));
  const reopen = useMutation(trpc.schedule.reopen.mutationOptions({ onSuccess: refresh }));
  const setLedger = useMutation(trpc.schedule.setLedger.mutationOptions({ onSuccess: refresh }));

  if (q.error) return <Alert>{q.error.message}</Alert>;
  if (!q.data) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  const s = q.data;
  const signed = s.status === "reconciled";
  const actionError = signOff.error ?? reopen.error ?? setLedger.error;

  return (
    <div className="space-y-6" data-testid="schedule">
      <Card
        title={
          <span className="flex items-center gap-3">
            {t("title")} <StatusChip status={s.status} changed={s.changedSinceSignOff} />
          </span>
        }
        actions={
          signed ? (
            <Button variant="secondary" onClick={() => reopen.mutate(input)} disabled={reopen.isPending}>{t("reopen")}</Button>
          ) : (
            <Button onClick={() => signOff.mutate(input)} disabled={signOff.isPending} data-testid="sign-off">{t("signOff")}</Button>
          )
        }
      >
        <div className="space-y-4">
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-5">
            <Figure label={t("book")}><Amount ore={s.bookOre} /></Figure>
            <Figure label={t("adjustments")}><Amount ore={s.adjustmentOre} /></Figure>
            <Figure label={t("adjusted")} testId="schedule-adjusted"><Amount ore={s.adjustedOre} /></Figure>
            <Figure label={t("specified")} testId="schedule-specified"><Amount ore={s.specifiedOre} /></Figure>
            <div className={`rounded-md p-3 ${s.differenceOre === 0 ? "bg-emerald-50" : "bg-red-50 ring-1 ring-red-300"}`}>
              <dt className="text-xs text-slate-600">{t("difference")}</dt>
              <dd className={`text-lg font-semibold tabular-nums ${s.differenceOre === 0 ? "text-emerald-800" : "text-red-700"}`} data-testid="schedule-difference">
                {formatOre(s.differenceOre)}
              </dd>
            </div>
          </dl>
          {signed && s.signedOff && (
            <p className="text-sm text-emerald-900" data-testid="signed-off">
              {t("signedOff", { name: s.signedOff.byName ?? "–", when: format.dateTime(new Date(s.signedOff.at), { dateStyle: "medium", timeStyle: "short" }) })}
            </p>
          )}
          {s.changedSinceSignOff && (
            <Alert kind="warning">
              {t("changedSinceSignOff", { accounts: s.accounts.filter((a) => a.changed).map((a) => `${a.number} (${formatOre(a.signedOffAdjustedOre ?? 0)} → ${formatOre(a.adjustedOre)})`).join(", ") })}
            </Alert>
          )}
          {actionError && <Alert>{errorText(actionError, te("internal"))}</Alert>}
          <AccountsInSchedule view={s} projectId={projectId} onChange={refresh} />
        </div>
      </Card>

      {s.ledgerUnavailable && (
        <Card title={t(`ledgerTitle.${s.ledgerUnavailable.side}`, { date: closingDate })}>
          <div data-testid="ledger-unavailable">
            <Alert kind="warning">
              {ti(`check.${s.ledgerUnavailable.side}LedgerUnavailable_warning`, { reason: s.ledgerUnavailable.reason, account })}
            </Alert>
          </div>
        </Card>
      )}

      {s.ledgerAvailable && (
        <Card title={t(`ledgerTitle.${s.ledgerAvailable}`, { date: closingDate })}>
          <div className="space-y-3 text-sm">
            <label className="inline-flex items-center gap-2">
              <input type="checkbox" checked={!!s.ledgerSide} disabled={signed || setLedger.isPending} onChange={(e) => setLedger.mutate({ ...input, use: e.target.checked })} />
              {t(`useLedger.${s.ledgerAvailable}`)}
            </label>
            {s.ledgerSide && (
              <>
                <p>
                  {t("ledgerSum", { count: s.ledgerItems.length })}: <strong className="tabular-nums" data-testid="ledger-sum">{formatOre(s.ledgerOre)}</strong>
                </p>
                {s.ledgerItems.length > 0 && <LedgerItems items={s.ledgerItems} />}
              </>
            )}
          </div>
        </Card>
      )}

      <Card title={t("rowsTitle")}>
        <RowsEditor key={account} view={s} projectId={projectId} account={account} readOnly={signed} onSaved={refresh} />
      </Card>

      <Card title={t("commentTitle")}>
        <CommentEditor key={account} view={s} projectId={projectId} account={account} readOnly={signed} onSaved={refresh} />
      </Card>

      <Card>
        <AttachmentsPanel projectId={projectId} target={{ account }} readOnly={signed} />
      </Card>
    </div>
  );
}
