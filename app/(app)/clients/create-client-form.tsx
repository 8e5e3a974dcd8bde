"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "../../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../../_components/ui";

export function CreateClientForm() {
  const t = useTranslations("clients");
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.client.create.mutationOptions({ onSuccess: (c) => router.push(`/clients/${c.id}`) }));
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({ name: String(f.get("name")), orgNr: String(f.get("orgNr")) });
  };
  const orgError = create.error?.data && ["orgNrFormat", "orgNrChecksum", "clientOrgNrTaken"].includes(String((create.error.data as { messageKey?: string }).messageKey));
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-start">
      <Field label={t("name")} htmlFor="client-name">
        <Input id="client-name" name="name" required />
      </Field>
      <Field label={t("orgNr")} htmlFor="client-orgnr" hint={t("orgNrHint")} error={orgError ? create.error!.message : null}>
        <Input id="client-orgnr" name="orgNr" required inputMode="numeric" placeholder="NNNNNN-NNNN" aria-invalid={orgError || undefined} />
      </Field>
      <div className="sm:pt-6">
        <Button type="submit" disabled={create.isPending}>{t("add")}</Button>
      </div>
      {create.error && !orgError && <div className="sm:col-span-3"><Alert>{create.error.message}</Alert></div>}
    </form>
  );
}
