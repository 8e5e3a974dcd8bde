"use client";
import { useTranslations } from "next-intl";
import { type FormEvent, useRef, useState } from "react";
import { Button, Field } from "../../../../_components/ui";
import { useSieUpload } from "./use-sie-upload";

// The SIE file picker with drag and drop, for projects whose books come as a file.

export function SieUploadForm({ projectId, maxMb, disabled, onSent }: { projectId: string; maxMb: number; disabled: boolean; onSent: () => void }) {
  const t = useTranslations("import");
  const upload = useSieUpload({ projectId, maxMb, onSent });
  const [fileName, setFileName] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    upload.send((new FormData(e.currentTarget).get("file") as File | null) ?? null);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3">
      <Field label={t("fileLabel", { mb: maxMb })} htmlFor="sie-file" error={upload.error}>
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const dropped = e.dataTransfer.files[0];
            if (dropped && fileInput.current) {
              const dt = new DataTransfer();
              dt.items.add(dropped);
              fileInput.current.files = dt.files;
              setFileName(dropped.name);
            }
          }}
          className={`flex flex-wrap items-center gap-3 rounded-md border-2 border-dashed px-4 py-4 text-sm ${dragging ? "border-emerald-600 bg-emerald-50" : "border-slate-300 bg-slate-50"}`}
        >
          <input
            ref={fileInput}
            id="sie-file"
            name="file"
            type="file"
            accept=".se,.si,.sie,.txt"
            aria-describedby={upload.error ? "sie-file-error" : undefined}
            className="peer sr-only"
            onChange={(e) => setFileName(e.target.files?.[0]?.name ?? null)}
          />
          <label
            htmlFor="sie-file"
            className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50 peer-focus-visible:ring-2 peer-focus-visible:ring-emerald-600"
          >
            {t("chooseFile")}
          </label>
          <span className="text-slate-600" data-testid="sie-file-name">{fileName ?? t("dropHint")}</span>
        </div>
      </Field>
      <Button type="submit" disabled={disabled || !!upload.progress}>{upload.progress ? t("uploading", { percent: upload.progress.percent }) : t("upload")}</Button>
    </form>
  );
}
