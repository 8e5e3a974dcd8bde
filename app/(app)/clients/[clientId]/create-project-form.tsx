"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "../../../_components/trpc-provider";
import { Alert, Button, Field, Input, Select } from "../../../_components/ui";

/** Defaults to the last full calendar year: what most closings are about. */
function lastCalendarYear() {
  const y = new Date().getFullYear() - 1;
  return { start: `${y}-01-01`, end: `${y}-12-31` };
}

export function CreateProjectForm({ clientId }: { clientId: string }) {
  const t = useTranslations("projects");
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.project.create.mutationOptions({ onSuccess: (p) => router.push(`/projects/${p.id}`) }));
  const year = lastCalendarYear();
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({
      clientId,
      name: String(f.get("name") ?? "") || undefined,
      startDate: String(f.get("startDate")),
      endDate: String(f.get("endDate")),
      dataSource: f.get("dataSource") === "sie" ? "sie" : "fortnox",
    });
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
      {create.error && <div className="sm:col-span-2"><Alert>{create.error.message}</Alert></div>}
      <Field label={t("name")} htmlFor="project-name" hint={t("nameHint")}>
        <Input id="project-name" name="name" />
      </Field>
      <Field label={t("dataSource")} htmlFor="project-source">
        <Select id="project-source" name="dataSource" defaultValue="fortnox">
          <option value="fortnox">{t("source_fortnox")}</option>
          <option value="sie">{t("source_sie")}</option>
        </Select>
      </Field>
      <Field label={t("startDate")} htmlFor="project-start" hint={t("yearHint")}>
        <Input id="project-start" name="startDate" type="date" defaultValue={year.start} required />
      </Field>
      <Field label={t("endDate")} htmlFor="project-end">
        <Input id="project-end" name="endDate" type="date" defaultValue={year.end} required />
      </Field>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={create.isPending}>{t("new")}</Button>
      </div>
    </form>
  );
}
