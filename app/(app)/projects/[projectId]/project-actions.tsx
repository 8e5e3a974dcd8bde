"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "../../../_components/trpc-provider";
import { Alert, Button, Field, Input, Select } from "../../../_components/ui";
import { ConfirmButton } from "../../../_components/confirm-button";

export function ProjectActions({ project }: { project: { id: string; name: string; dataSource: "fortnox" | "sie"; clientId: string } }) {
  const t = useTranslations("projects");
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const rename = useMutation(trpc.project.rename.mutationOptions(refresh));
  const source = useMutation(trpc.project.setDataSource.mutationOptions(refresh));
  const remove = useMutation(trpc.project.delete.mutationOptions({ onSuccess: () => router.push(`/clients/${project.clientId}`) }));
  const error = rename.error ?? source.error ?? remove.error;
  return (
    <div className="space-y-5">
      {error && <Alert>{error.message}</Alert>}
      <form
        className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end"
        onSubmit={(e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          rename.mutate({ projectId: project.id, name: String(new FormData(e.currentTarget).get("name")) });
        }}
      >
        <Field label={t("renameLabel")} htmlFor="rename">
          <Input id="rename" name="name" defaultValue={project.name} required />
        </Field>
        <Button type="submit" variant="secondary" disabled={rename.isPending}>{t("rename")}</Button>
      </form>
      <Field label={t("switchSource")} htmlFor="source">
        <Select
          id="source"
          value={project.dataSource}
          onChange={(e) => source.mutate({ projectId: project.id, dataSource: e.target.value as "fortnox" | "sie" })}
          className="max-w-xs"
        >
          <option value="fortnox">{t("source_fortnox")}</option>
          <option value="sie">{t("source_sie")}</option>
        </Select>
      </Field>
      <ConfirmButton
        label={t("deleteProject")}
        question={t("deleteConfirm", { name: project.name })}
        onConfirm={() => remove.mutate({ projectId: project.id })}
        busy={remove.isPending}
      />
    </div>
  );
}
