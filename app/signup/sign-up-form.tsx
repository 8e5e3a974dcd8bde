"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../_components/trpc-provider";
import { Alert, Button, Field, Input } from "../_components/ui";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const form = new FormData(e.currentTarget);
    const input = { name: String(form.get("name")), email: String(form.get("email")), password: String(form.get("password")) };
    try {
      await signUp.mutateAsync(input);
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    const res = await signIn("credentials", { redirect: false, email: input.email, password: input.password });
    if (res?.ok && !res.error) window.location.assign(callbackUrl);
    else setError(t("wrongCredentials"));
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && <Alert>{error}</Alert>}
      <Field label={t("name")} htmlFor="name">
        <Input id="name" name="name" autoComplete="name" required autoFocus />
      </Field>
      <Field label={t("email")} htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <Field label={t("password")} htmlFor="password" hint={t("passwordHint")}>
        <Input id="password" name="password" type="password" autoComplete="new-password" minLength={10} required aria-describedby="password-hint" />
      </Field>
      <Button type="submit" disabled={signUp.isPending} className="w-full">
        {signUp.isPending ? t("signingUp") : t("signUp")}
      </Button>
    </form>
  );
}
