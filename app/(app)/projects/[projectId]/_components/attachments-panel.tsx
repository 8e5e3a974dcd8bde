"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type DragEvent, type FormEvent } from "react";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from "@/lib/upload-limits";
import { useTRPC } from "../../../../_components/trpc-provider";
import { Alert, Button, Input } from "../../../../_components/ui";
import { errorText } from "./closing-ui";

export type AttachmentTarget = { account: string } | { adjustmentId: string };

const MAX_MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;
const ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.doc,.xlsx,.xls,.csv,.txt";
const KNOWN = /\.(pdf|png|jpe?g|docx?|xlsx?|csv|txt)$/i;
const ICON: Record<string, string> = { pdf: "PDF", png: "PNG", jpeg: "JPG", docx: "DOC", doc: "DOC", xlsx: "XLS", xls: "XLS", csv: "CSV", txt: "TXT" };

/**
 * The documents of a schedule or an adjustment: drop files (or pick them), preview PDFs and images in the page,
 * download, link to another account, remove. The server checks every file's content; its message is shown.
 */
export function AttachmentsPanel({ projectId, target, readOnly, onChange }: { projectId: string; target: AttachmentTarget; readOnly?: boolean; onChange?: () => void }) {
  const t = useTranslations("attachments");
  const te = useTranslations("errors");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const inputId = useId();
  const list = useQuery(trpc.attachment.list.queryOptions({ projectId, target }));
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.attachment.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.schedule.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.reconciliation.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.adjustment.pathKey() });
    onChange?.();
  };
  const unlink = useMutation(trpc.attachment.unlink.mutationOptions({ onSuccess: refresh }));
  const link = useMutation(trpc.attachment.link.mutationOptions({ onSuccess: refresh }));

  const query = "account" in target ? `account=${encodeURIComponent(target.account)}` : `adjustmentId=${target.adjustmentId}`;

  async function uploadFiles(files: File[]) {
    const problems: string[] = [];
    let last: { id: string; kind: string } | null = null;
    for (const file of files) {
      // The same limits the server enforces, said before a byte is sent.
      if (!KNOWN.test(file.name)) {
        problems.push(te("attachmentType", { name: file.name }));
        continue;
      }
      if (file.size > MAX_ATTACHMENT_BYTES) {
        problems.push(te("attachmentTooLarge", { name: file.name, mb: MAX_MB }));
        continue;
      }
      setBusy(file.name);
      try {
        const res = await fetch(`/api/projects/${projectId}/attachments?${query}`, {
          method: "POST",
          headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(file.name) },
          body: file,
        });
        const body = (await res.json().catch(() => ({}))) as { message?: string; id?: string; kind?: string };
        if (!res.ok) problems.push(body.message ?? te("internal"));
        else last = { id: body.id!, kind: body.kind! };
      } catch {
        problems.push(te("internal"));
      }
    }
    setBusy(null);
    setErrors(problems);
    setNotice(last ? t("uploaded", { count: files.length - problems.length }) : null);
    if (last && ["pdf", "png", "jpeg"].includes(last.kind)) setPreview(last.id);
    refresh();
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (readOnly || busy) return;
    void uploadFiles([...e.dataTransfer.files]);
  }

  const items = list.data ?? [];
  return (
    <section aria-labelledby={`${inputId}-title`} className="space-y-3" data-testid="attachments">
      <h3 id={`${inputId}-title`} className="font-semibold text-slate-900">{t("title")} <span className="font-normal text-slate-500">({items.length}/{MAX_ATTACHMENTS})</span></h3>
      {!readOnly && (
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`rounded-lg border-2 border-dashed p-4 text-center text-sm ${dragging ? "border-emerald-600 bg-emerald-50" : "border-slate-300 bg-slate-50"}`}
          data-testid="dropzone"
        >
          <p className="text-slate-700">
            {t("drop")}{" "}
            <label className="cursor-pointer rounded font-medium text-emerald-800 underline focus-within:outline-none focus-within:ring-2 focus-within:ring-emerald-600">
              {t("pick")}
              <input
                id={inputId}
                type="file"
                multiple
                accept={ACCEPT}
                className="sr-only"
                aria-label={t("pickLabel")}
                disabled={!!busy}
                onChange={(e) => {
                  const files = [...(e.target.files ?? [])];
                  e.target.value = "";
                  if (files.length) void uploadFiles(files);
                }}
              />
            </label>
          </p>
          <p className="mt-1 text-xs text-slate-500">{t("limits", { mb: MAX_MB })}</p>
          {busy && <p className="mt-2 text-slate-700" role="status">{t("uploading", { name: busy })}</p>}
        </div>
      )}
      {errors.length > 0 && (
        <Alert>
          <ul className="list-disc space-y-1 pl-5">
            {errors.map((e, i) => <li key={i}>{e}</li>)}
          </ul>
        </Alert>
      )}
      {notice && <p className="text-sm text-emerald-800" role="status">{notice}</p>}
      {(unlink.error || link.error) && <Alert>{errorText(unlink.error ?? link.error, te("internal"))}</Alert>}
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {items.map((a) => {
            const href = `/api/projects/${projectId}/attachments/${a.id}`;
            const elsewhere = a.accounts.filter((x) => !("account" in target) || x !== target.account);
            return (
              <li key={a.id} className="p-3" data-testid="attachment">
                <div className="flex flex-wrap items-center gap-3">
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{ICON[a.kind] ?? a.kind}</span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium text-slate-900">{a.fileName}</span>
                    <span className="block text-xs text-slate-500">
                      {t("meta", { size: format.number(Math.max(1, Math.round(a.size / 1024))), who: a.uploadedByName ?? "–", when: format.dateTime(new Date(a.uploadedAt), { dateStyle: "medium", timeStyle: "short" }) })}
                      {elsewhere.length > 0 && ` · ${t("linkedTo", { accounts: elsewhere.join(", ") })}`}
                      {a.adjustmentNumbers.length > 0 && ` · ${t("onAdjustments", { numbers: a.adjustmentNumbers.join(", ") })}`}
                    </span>
                  </span>
                  <span className="flex flex-wrap gap-2">
                    {a.previewable && (
                      <Button variant="secondary" className="px-3 py-1" onClick={() => setPreview(preview === a.id ? null : a.id)} aria-expanded={preview === a.id}>
                        {preview === a.id ? t("hidePreview") : t("preview")}
                      </Button>
                    )}
                    <a href={href} download={a.fileName} className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-slate-400 focus-visible:ring-offset-2">{t("download")}</a>
                    {!readOnly && <LinkForm onLink={(account) => link.mutate({ projectId, attachmentId: a.id, target: { account } })} busy={link.isPending} />}
                    {!readOnly && (
                      <Button
                        variant="ghost"
                        className="px-3 py-1 text-red-700"
                        onClick={() => {
                          if (window.confirm(t("removeQuestion", { name: a.fileName }))) unlink.mutate({ projectId, attachmentId: a.id, target });
                        }}
                      >
                        {t("remove")}
                      </Button>
                    )}
                  </span>
                </div>
                {preview === a.id && (
                  <div className="mt-3 overflow-hidden rounded border border-slate-200 bg-slate-100" data-testid="attachment-preview">
                    {a.kind === "pdf" ? (
                      <iframe src={`${href}?inline=1`} title={t("previewTitle", { name: a.fileName })} className="h-[70vh] w-full bg-white" />
                    ) : (
                      // eslint-disable-next-line @next/next/no-img-element
                      <img src={`${href}?inline=1`} alt={t("previewTitle", { name: a.fileName })} className="mx-auto max-h-[70vh]" />
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function LinkForm({ onLink, busy }: { onLink: (account: string) => void; busy: boolean }) {
  const t = useTranslations("attachments");
  const id = useId();
  const [open, setOpen] = useState(false);
  const [account, setAccount] = useState("");
  if (!open) {
    return <Button variant="ghost" className="px-3 py-1" onClick={() => setOpen(true)}>{t("linkTo")}</Button>;
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (account.trim()) onLink(account.trim());
    setOpen(false);
    setAccount("");
  };
  return (
    <form onSubmit={submit} className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">{t("linkAccount")}</label>
      <Input id={id} value={account} onChange={(e) => setAccount(e.target.value)} placeholder={t("linkAccount")} className="w-28 py-1" inputMode="numeric" autoFocus />
      <Button type="submit" className="px-3 py-1" disabled={busy}>{t("link")}</Button>
      <Button type="button" variant="ghost" className="px-2 py-1" onClick={() => setOpen(false)}>{t("cancel")}</Button>
    </form>
  );
}
