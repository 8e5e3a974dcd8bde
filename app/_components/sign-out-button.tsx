"use client";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "./ui";

export function SignOutButton() {
  const t = useTranslations("nav");
  return (
    <Button variant="ghost" onClick={() => signOut({ callbackUrl: "/signin" })}>
      {t("signOut")}
    </Button>
  );
}
