"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "./ui";

/** A destructive action that asks once more, inline, before it runs. */
export function ConfirmButton({ label, question, onConfirm, busy, confirmLabel }: { label: string; question: string; onConfirm: () => void; busy?: boolean; confirmLabel?: string }) {
  const t = useTranslations("common");
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="secondary" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <div role="alertdialog" aria-label={label} className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
      <span className="text-red-900">{question}</span>
      <Button variant="danger" onClick={onConfirm} disabled={busy} autoFocus>
        {confirmLabel ?? t("confirmDelete")}
      </Button>
      <Button variant="secondary" onClick={() => setAsking(false)}>
        {t("cancel")}
      </Button>
    </div>
  );
}
