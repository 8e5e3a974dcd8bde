"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../../_components/ui";

export function FirmNameForm({ name }: { name: string }) {
  const t = useTranslations("settings");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState(name);
  const rename = useMutation(trpc.firm.rename.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate({ name: value });
      }}
    >
      {rename.error && <Alert>{rename.error.message}</Alert>}
      {rename.isSuccess && <Alert kind="success">{t("firmRenamed")}</Alert>}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <Field label={t("firmName")} htmlFor="firm-name">
            <Input id="firm-name" value={value} maxLength={200} required onChange={(e) => setValue(e.target.value)} />
          </Field>
        </div>
        <Button type="submit" variant="secondary" disabled={rename.isPending || !value.trim() || value.trim() === name}>{tc("save")}</Button>
      </div>
    </form>
  );
}
