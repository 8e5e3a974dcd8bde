"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "../../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../../_components/ui";

const MAX_USES = 20;

/** Owners only: create a link (single use unless more are chosen), see the latest links, revoke one. */
export function InvitesPanel() {
  const t = useTranslations("settings");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.firm.invites.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.firm.invites.queryKey() });
  const create = useMutation(trpc.firm.createInvite.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.firm.revokeInvite.mutationOptions({ onSuccess: refresh }));
  const [uses, setUses] = useState(1);
  const [copied, setCopied] = useState(false);
  const link = create.data ? `${window.location.origin}/invite/${create.data.token}` : null;
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-4">
      {(create.error ?? revoke.error ?? list.error) && <Alert>{(create.error ?? revoke.error ?? list.error)!.message}</Alert>}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setCopied(false);
          create.mutate({ maxUses: uses });
        }}
      >
        <div className="w-40">
          <Field label={t("inviteUses")} htmlFor="invite-uses" hint={t("inviteUsesHint", { max: MAX_USES })}>
            <Input id="invite-uses" type="number" min={1} max={MAX_USES} value={uses} onChange={(e) => setUses(Math.max(1, Math.min(MAX_USES, Number(e.target.value) || 1)))} aria-describedby="invite-uses-hint" />
          </Field>
        </div>
        <Button type="submit" disabled={create.isPending}>{t("createInvite")}</Button>
      </form>
      {link && create.data && (
        <Field label={t("inviteLink")} htmlFor="invite-link" hint={t("inviteExpires", { date: format.dateTime(create.data.expiresAt, { dateStyle: "medium" }), uses: create.data.maxUses })}>
          <div className="flex gap-2">
            <Input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} aria-describedby="invite-link-hint" />
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(link);
                setCopied(true);
              }}
            >
              {copied ? tc("copied") : tc("copy")}
            </Button>
          </div>
        </Field>
      )}
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-800">{t("invitesListed")}</h3>
        {list.data && list.data.length === 0 && <p className="text-sm text-slate-600">{t("invitesNone")}</p>}
        <ul className="divide-y divide-slate-100 text-sm">
          {(list.data ?? []).map((i) => (
            <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid="invite">
              <span>
                {t("inviteBy", { name: i.createdByName ?? "–", date: date(i.createdAt) })}
                <span className="block text-xs text-slate-500">
                  {t("inviteUsed", { used: i.used, max: i.maxUses })} · {t(`inviteStatus_${i.status}`, { date: date(i.status === "revoked" ? i.revokedAt! : i.expiresAt), name: i.revokedByName ?? "–" })}
                </span>
              </span>
              {i.status === "active" && (
                <Button variant="secondary" disabled={revoke.isPending} onClick={() => revoke.mutate({ inviteId: i.id })} aria-label={t("revokeInviteOf", { date: date(i.createdAt) })}>
                  {t("revokeInvite")}
                </Button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
