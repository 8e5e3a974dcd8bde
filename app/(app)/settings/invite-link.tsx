"use client";
import { useMutation } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "../../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../../_components/ui";

export function InviteLink() {
  const t = useTranslations("settings");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const create = useMutation(trpc.firm.createInvite.mutationOptions());
  const [copied, setCopied] = useState(false);
  const link = create.data ? `${window.location.origin}/invite/${create.data.token}` : null;
  return (
    <div className="space-y-3">
      {create.error && <Alert>{create.error.message}</Alert>}
      <Button onClick={() => create.mutate()} disabled={create.isPending}>{t("createInvite")}</Button>
      {link && create.data && (
        <Field label={t("inviteLink")} htmlFor="invite-link" hint={t("inviteExpires", { date: format.dateTime(create.data.expiresAt, { dateStyle: "medium" }) })}>
          <div className="flex gap-2">
            <Input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
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
    </div>
  );
}
