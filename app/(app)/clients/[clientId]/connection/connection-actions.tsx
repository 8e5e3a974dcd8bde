"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button } from "../../../../_components/ui";
import { ConfirmButton } from "../../../../_components/confirm-button";

/** Anslut till Fortnox / Anslut igen: records the attempt (httpOnly cookie), then NextAuth sends the browser to Fortnox. */
export function ConnectPanel({ clientId, reconnect = false }: { clientId: string; reconnect?: boolean }) {
  const t = useTranslations("connection");
  const trpc = useTRPC();
  const [service, setService] = useState(false);
  const [redirecting, setRedirecting] = useState(false);
  const start = useMutation(trpc.connection.startConnect.mutationOptions());
  async function connect() {
    setRedirecting(true);
    try {
      const { authorizationParams } = await start.mutateAsync({ clientId, kind: service ? "service" : "user" });
      await signIn("fortnox", { callbackUrl: `/clients/${clientId}/connection` }, authorizationParams);
    } catch {
      setRedirecting(false);
    }
  }
  const busy = redirecting || start.isPending;
  return (
    <div className="space-y-4">
      {start.error && <Alert>{start.error.message}</Alert>}
      {!reconnect && <p className="text-sm text-slate-700">{t("connectIntro")}</p>}
      <div className="flex items-start gap-2">
        <input
          id={`service-${clientId}`}
          type="checkbox"
          className="mt-1 h-4 w-4 rounded border-slate-300 text-emerald-700 focus:ring-emerald-600"
          checked={service}
          onChange={(e) => setService(e.target.checked)}
          aria-describedby={`service-${clientId}-hint`}
        />
        <div>
          <label htmlFor={`service-${clientId}`} className="text-sm font-medium text-slate-800">
            {t("serviceOption")}
          </label>
          <p id={`service-${clientId}-hint`} className="text-xs text-slate-500">
            {t("serviceHint")}
          </p>
        </div>
      </div>
      <Button onClick={connect} disabled={busy}>
        {busy ? t("connecting") : reconnect ? t("reconnect") : t("connect")}
      </Button>
    </div>
  );
}

export function DisconnectButton({ clientId, clientName }: { clientId: string; clientName: string }) {
  const t = useTranslations("connection");
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.connection.disconnect.mutationOptions({ onSuccess: () => router.replace(`/clients/${clientId}/connection`) }));
  return (
    <div className="space-y-2">
      {remove.error && <Alert>{remove.error.message}</Alert>}
      <ConfirmButton
        label={t("disconnect")}
        question={t("disconnectConfirm", { client: clientName })}
        confirmLabel={t("disconnectYes")}
        onConfirm={() => remove.mutate({ clientId })}
        busy={remove.isPending}
      />
    </div>
  );
}

/** The org-nr (or same company) warning: use the connection, or cancel it (revoked at Fortnox, tokens deleted). */
export function PendingActions({ clientId }: { clientId: string }) {
  const t = useTranslations("connection");
  const trpc = useTRPC();
  const router = useRouter();
  const done = { onSuccess: () => router.replace(`/clients/${clientId}/connection`) };
  const confirm = useMutation(trpc.connection.confirm.mutationOptions(done));
  const cancel = useMutation(trpc.connection.cancel.mutationOptions(done));
  const busy = confirm.isPending || cancel.isPending;
  const error = confirm.error ?? cancel.error;
  return (
    <div className="space-y-3">
      {error && <Alert>{error.message}</Alert>}
      <div className="flex flex-wrap gap-3">
        <Button onClick={() => confirm.mutate({ clientId })} disabled={busy}>
          {t("confirm")}
        </Button>
        <Button variant="secondary" onClick={() => cancel.mutate({ clientId })} disabled={busy}>
          {t("cancel")}
        </Button>
      </div>
    </div>
  );
}
