"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "../../../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../../../_components/ui";
import { ConfirmButton } from "../../../_components/confirm-button";

export function ClientActions({ client }: { client: { id: string; name: string; orgNr: string } }) {
  const t = useTranslations("clients");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.client.update.mutationOptions({ onSuccess: () => router.refresh() }));
  const remove = useMutation(trpc.client.delete.mutationOptions({ onSuccess: () => router.push("/clients") }));
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    update.mutate({ clientId: client.id, name: String(f.get("name")), orgNr: String(f.get("orgNr")) });
  };
  return (
    <div className="space-y-5">
      <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
        <Field label={t("name")} htmlFor="edit-name">
          <Input id="edit-name" name="name" defaultValue={client.name} required />
        </Field>
        <Field label={t("orgNr")} htmlFor="edit-orgnr">
          <Input id="edit-orgnr" name="orgNr" defaultValue={client.orgNr} required />
        </Field>
        <Button type="submit" variant="secondary" disabled={update.isPending}>{tc("save")}</Button>
      </form>
      {(update.error || remove.error) && <Alert>{(update.error ?? remove.error)!.message}</Alert>}
      <ConfirmButton
        label={t("deleteClient")}
        question={t("deleteConfirm", { name: client.name })}
        onConfirm={() => remove.mutate({ clientId: client.id })}
        busy={remove.isPending}
      />
    </div>
  );
}
