"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../_components/ui";

export function CreateFirmForm() {
  const t = useTranslations("onboarding");
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.firm.create.mutationOptions({ onSuccess: () => router.push("/clients") }));
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    create.mutate({ name: String(new FormData(e.currentTarget).get("firmName")) });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {create.error && <Alert>{create.error.message}</Alert>}
      <Field label={t("firmName")} htmlFor="firmName">
        <Input id="firmName" name="firmName" required autoFocus />
      </Field>
      <Button type="submit" disabled={create.isPending} className="w-full">
        {t("createFirm")}
      </Button>
    </form>
  );
}
